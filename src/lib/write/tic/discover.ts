// `npm run tic:discover`: the TINs of a file whose business_name matches, with how many psychotherapy
// rates each has, so a moderator can confirm a TIN → platform mapping before adding it.
import type { TicProviderGroup } from "../../schemas/tic.ts";
import { normalizeTin } from "./parse.ts";
import { fetchProviderReference } from "./read-file.ts";
import { parseTicFile } from "./parse.ts";
import { openSource } from "./source.ts";

export type DiscoveredTin = { tin: string; businessNames: string[]; rates: number };

function groupKey(group: TicProviderGroup): string | null {
  return group.tin.type.toLowerCase() === "npi" ? (/^\d{10}$/.test(String(group.tin.value).trim()) ? String(group.tin.value).trim() : null) : normalizeTin(group.tin.value);
}

/** Reads one in-network file; throws TicFormatError on a broken one. */
export async function discoverTins(source: string, name: RegExp, cpts: ReadonlySet<string>): Promise<DiscoveredTin[]> {
  const names = new Map<string, Set<string>>();
  const opened = await openSource(source);
  const parsed = await parseTicFile(opened.chunks, {
    cpts,
    fetchProviderReference: (url) => fetchProviderReference(url, source),
    matchGroup: (group) => {
      const businessName = group.tin.business_name;
      const key = groupKey(group);
      if (key === null || businessName === undefined || !name.test(businessName)) return [];
      let set = names.get(key);
      if (!set) names.set(key, (set = new Set()));
      set.add(businessName.trim());
      return [key];
    },
  });
  if (parsed.kind !== "in-network") throw new Error("a table of contents lists files but names no provider group: run tic:discover on one of its in-network files");
  const counts = new Map<string, number>();
  for (const rate of parsed.rates) counts.set(rate.tin, (counts.get(rate.tin) ?? 0) + 1);
  return [...names].map(([tin, set]) => ({ tin, businessNames: [...set].sort(), rates: counts.get(tin) ?? 0 }))
    .sort((a, b) => b.rates - a.rates || a.tin.localeCompare(b.tin));
}
