// A Frictionless Data Package (v2) per snapshot: the descriptor names each table's CSV by a
// relative path that resolves, from the descriptor's own URL, to that snapshot's immutable file.
import type { Db } from "../../server/db.ts";
import type { Snapshot } from "../published.ts";
import { DATA_LICENSE, citedSnapshot } from "./citation.ts";
import { payerRatesIn } from "../published.ts";
import { snapshotReference } from "./reference-copy.ts";
import { releaseTables } from "./tables.ts";

export const DATA_PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json";
export const TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json";

type Source = { title: string; path?: string };

const isUrl = (text: string) => /^https?:\/\/\S+$/.test(text);

function sources(db: Db, snapshot: Snapshot, origin: string): Source[] {
  const list: Source[] = [{
    title: snapshot.isDemo
      ? "Generated demo reports (not real therapists' pay), banded as described in the methodology"
      : "Reports shared anonymously by US psychotherapists, published only as functions of banded pay",
    path: `${origin}/methodology`,
  }];
  const seen = new Set<string>();
  for (const rate of snapshotReference(db, snapshot.id)?.["medicare-rates"] ?? []) {
    const key = `${rate.source}|${rate.source_url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push(isUrl(rate.source_url) ? { title: rate.source, path: rate.source_url } : { title: rate.source });
  }
  // Each insurer (Transparency in Coverage) file the snapshot publishes rates from.
  const files = new Set<string>();
  for (const rate of payerRatesIn(db, snapshot.id)) {
    if (files.has(rate.sourceSha256)) continue;
    files.add(rate.sourceSha256);
    const title = `${rate.reportingEntity}: Transparency in Coverage in-network file ${rate.sourceFile} (last updated ${rate.lastUpdatedOn}, SHA-256 ${rate.sourceSha256})`;
    list.push(isUrl(rate.sourceFile) ? { title, path: rate.sourceFile } : { title });
  }
  return list;
}

/**
 * The descriptor of one snapshot. `prefix` is what its resource paths start with: "" for
 * /api/v1/snapshots/{id}/datapackage.json, "snapshots/{id}/" for /api/v1/datapackage.json.
 */
export function dataPackage(db: Db, snapshot: Snapshot, origin: string, prefix: string): Record<string, unknown> {
  const cited = citedSnapshot(snapshot, origin);
  return {
    $schema: DATA_PACKAGE_PROFILE,
    name: `ratecard-snapshot-${snapshot.id}`,
    id: cited.url,
    title: cited.title,
    description: `Snapshot ${snapshot.id} of Ratecard, published ${cited.date}${snapshot.isDemo ? " from generated demo data" : ""}: `
      + `pay per session of US psychotherapists by CPT code, place, channel, platform, payer, license, session type and year, `
      + `as percentiles computed from pay bands under a minimum of ${snapshot.k} reports per cell (rules version ${snapshot.rulesVersion}). `
      + `Methodology: ${origin}/methodology.`,
    version: String(snapshot.id),
    created: snapshot.createdAt,
    homepage: `${origin}/data`,
    keywords: ["psychotherapy", "pay transparency", "CPT", "health insurance", "k-anonymity"],
    licenses: [{ name: DATA_LICENSE.id, path: DATA_LICENSE.path, title: DATA_LICENSE.title }],
    sources: sources(db, snapshot, origin),
    contributors: [{ title: "Ratecard contributors", roles: ["creator", "publisher"], path: `${origin}/` }],
    resources: releaseTables(db, snapshot).map((table) => ({
      name: table.name,
      type: "table",
      path: `${prefix}${table.path}`,
      format: "csv",
      mediatype: "text/csv",
      encoding: "utf-8",
      title: table.title,
      description: table.description,
      schema: {
        $schema: TABLE_SCHEMA_PROFILE,
        fields: table.fields,
        missingValues: [""],
        ...(table.primaryKey ? { primaryKey: table.primaryKey } : {}),
      },
    })),
  };
}
