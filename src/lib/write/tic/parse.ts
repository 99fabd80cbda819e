// Reads one TiC file (in-network rates or table of contents) through the byte scanner and keeps
// only the rates Ratecard publishes: reference CPT codes, mapped provider groups, professional
// billing, dollar prices. Everything else is skipped without being decoded.
import { z } from "zod";
import {
  firstIssue, ticFileHeader, ticNegotiatedRate, ticProviderReference, ticProviderReferenceFile, ticReportingStructure,
  type TicFileHeader, type TicNegotiatedPrice, type TicProviderGroup, type TicReportingStructure,
} from "../../schemas/tic.ts";
import { JsonScanner, TicFormatError } from "./scanner.ts";

/** One kept rate, as tic_rates stores it. */
export type KeptRate = {
  tin: string;
  cpt: string;
  modifiers: string;
  serviceCodes: string;
  negotiatedType: string;
  negotiatedRate: number;
  expirationDate: string;
  networks: string;
};

export type ParsedInNetwork = {
  kind: "in-network";
  header: TicFileHeader;
  rates: KeptRate[];
  nonDollarRates: number;
};
export type ParsedTableOfContents = { kind: "table-of-contents"; header: TicFileHeader; structures: TicReportingStructure[] };
export type ParsedTicFile = ParsedInNetwork | ParsedTableOfContents;

export type ParseOptions = {
  /** The CPT codes to keep. */
  cpts: ReadonlySet<string>;
  /** The keys (normalized TIN or type-2 NPI) under which a provider group's rates are kept; [] drops it. */
  matchGroup: (group: TicProviderGroup) => string[];
  /** Fetches and decodes a remote provider reference file (schema 1.x `location`). */
  fetchProviderReference: (url: string) => Promise<unknown>;
  /** Called as soon as the reporting entity is known; may throw to stop early (an unknown payer). */
  onReportingEntity?: (name: string) => void;
};

export const DOLLAR_TYPES: ReadonlySet<string> = new Set(["negotiated", "fee schedule"]);
export const NON_DOLLAR_TYPES: ReadonlySet<string> = new Set(["percentage", "per diem", "derived"]);

/** A kept in_network item may hold this much per negotiated rate entry. */
const ENTRY_LIMIT = 64 << 20;
/** Before its billing code is known, an item's rates are held up to this size (codes usually come first). */
const PENDING_ITEM_LIMIT = 256 << 20;

const HEADER_KEYS = new Set(Object.keys(ticFileHeader.shape));

/** EIN "01-2345678", "012345678" or 12345678 → "012345678"; an NPI → its 10 digits; null when neither. */
export function normalizeTin(value: string | number): string | null {
  const digits = String(value).replace(/[\s-]/g, "");
  if (!/^\d{1,10}$/.test(digits)) return null;
  if (digits.length === 10) return digits;
  return digits.padStart(9, "0");
}

/** The matcher of an import: a group is kept under its TIN when mapped, else under each mapped type-2 NPI. */
export function mappedGroupMatcher(mapped: ReadonlySet<string>): (group: TicProviderGroup) => string[] {
  return (group) => {
    const tin = group.tin.type.toLowerCase() === "npi"
      ? (/^\d{10}$/.test(String(group.tin.value).trim()) ? String(group.tin.value).trim() : null)
      : normalizeTin(group.tin.value);
    if (tin !== null && mapped.has(tin)) return [tin];
    const keys: string[] = [];
    for (const npi of group.npi) {
      const n = String(npi).trim();
      if (n.length === 10 && mapped.has(n) && !keys.includes(n)) keys.push(n);
    }
    return keys;
  };
}

type Match = { key: string; networks: readonly string[] };
type Candidate = { cpt: string; prices: TicNegotiatedPrice[]; refIds: number[] };

function joined(values: readonly string[] | undefined): string {
  return values ? [...new Set(values.map((v) => v.trim()))].sort().join(";") : "";
}

function validated<T>(schema: z.ZodType<T>, value: unknown, what: string, at: number): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new TicFormatError(at, `${what}: ${firstIssue(result.error)}`);
  return result.data;
}

class InNetworkCollector {
  readonly rates = new Map<string, { rate: KeptRate; networks: Set<string> }>();
  nonDollarRates = 0;
  refs = new Map<number, Match[]>();
  refsComplete = false;
  readonly pending: Candidate[] = [];
  private readonly options: ParseOptions;

  constructor(options: ParseOptions) {
    this.options = options;
  }

  groupMatches(groups: readonly TicProviderGroup[], networks: readonly string[]): Match[] {
    const matches: Match[] = [];
    for (const group of groups) for (const key of this.options.matchGroup(group)) matches.push({ key, networks });
    return matches;
  }

  emit(cpt: string, prices: readonly TicNegotiatedPrice[], matches: readonly Match[]): void {
    for (const match of matches) {
      for (const price of prices) {
        const type = price.negotiated_type.trim().toLowerCase();
        if (!DOLLAR_TYPES.has(type)) {
          if (NON_DOLLAR_TYPES.has(type)) this.nonDollarRates++;
          continue;
        }
        if (!(price.negotiated_rate > 0)) continue;
        const rate: KeptRate = {
          tin: match.key,
          cpt,
          modifiers: joined(price.billing_code_modifier),
          serviceCodes: joined(price.service_code),
          negotiatedType: type,
          negotiatedRate: price.negotiated_rate,
          expirationDate: price.expiration_date,
          networks: "",
        };
        const key = `${rate.tin}|${cpt}|${rate.modifiers}|${rate.serviceCodes}|${rate.negotiatedType}|${rate.negotiatedRate}|${rate.expirationDate}`;
        let kept = this.rates.get(key);
        if (!kept) this.rates.set(key, (kept = { rate, networks: new Set() }));
        for (const network of match.networks) kept.networks.add(network.trim());
      }
    }
  }

  entry(cpt: string, value: unknown, at: number): void {
    const entry = validated(ticNegotiatedRate, value, "negotiated rate", at);
    const prices = entry.negotiated_prices.filter((p) => p.billing_class.trim().toLowerCase() === "professional");
    if (prices.length === 0) return;
    if (entry.provider_groups) this.emit(cpt, prices, this.groupMatches(entry.provider_groups, []));
    const refIds = entry.provider_references ?? [];
    if (refIds.length === 0) return;
    if (this.refsComplete) {
      for (const id of refIds) this.emit(cpt, prices, this.refs.get(id) ?? []);
    } else {
      this.pending.push({ cpt, prices, refIds });
    }
  }

  resolvePending(): void {
    for (const candidate of this.pending) {
      for (const id of candidate.refIds) this.emit(candidate.cpt, candidate.prices, this.refs.get(id) ?? []);
    }
    this.pending.length = 0;
  }

  keptRates(): KeptRate[] {
    return [...this.rates.values()].map(({ rate, networks }) => ({ ...rate, networks: joined([...networks]) }));
  }
}

async function readProviderReferences(scanner: JsonScanner, collector: InNetworkCollector, options: ParseOptions): Promise<void> {
  const list = await scanner.openArray("provider_references");
  while (await scanner.nextItem(list)) {
    const at = scanner.offset;
    const ref = validated(ticProviderReference, await scanner.decode(ENTRY_LIMIT), "provider reference", at);
    let groups = ref.provider_groups ?? [];
    if (ref.location !== undefined && ref.provider_groups === undefined) {
      let remote: unknown;
      try {
        remote = await options.fetchProviderReference(ref.location);
      } catch (error) {
        throw new TicFormatError(at, `provider reference ${ref.provider_group_id} at ${ref.location} could not be read (${(error as Error).message})`);
      }
      groups = validated(ticProviderReferenceFile, remote, `provider reference file ${ref.location}`, at).provider_groups;
    }
    const matches = collector.groupMatches(groups, ref.network_name ?? []);
    if (matches.length > 0) collector.refs.set(ref.provider_group_id, [...(collector.refs.get(ref.provider_group_id) ?? []), ...matches]);
  }
  collector.refsComplete = true;
}

async function readInNetworkItem(scanner: JsonScanner, collector: InNetworkCollector, options: ParseOptions): Promise<void> {
  const itemAt = scanner.offset;
  const item = await scanner.openObject("an in_network item");
  let codeType: unknown;
  let code: unknown;
  let arrangement: unknown;
  let sawRates = false;
  const early: { value: unknown; at: number }[] = [];
  let earlySize = 0;
  // Some payers write "cpt", or pad codes with spaces: compare what the schema means, not the bytes.
  const kept = () => typeof codeType === "string" && codeType.trim().toUpperCase() === "CPT" && typeof code === "string" && options.cpts.has(code.trim())
    && (arrangement === undefined || (typeof arrangement === "string" && arrangement.trim().toLowerCase() === "ffs"));
  for (let key = await scanner.nextKey(item); key !== null; key = await scanner.nextKey(item)) {
    if (key === "billing_code_type") codeType = await scanner.decode();
    else if (key === "billing_code") code = await scanner.decode();
    else if (key === "negotiation_arrangement") arrangement = await scanner.decode();
    else if (key === "negotiated_rates") {
      sawRates = true;
      const known = codeType !== undefined && code !== undefined;
      if (known && !kept()) {
        await scanner.skip();
        continue;
      }
      const rates = await scanner.openArray("negotiated_rates");
      while (await scanner.nextItem(rates)) {
        const at = scanner.offset;
        const value = await scanner.decode(ENTRY_LIMIT);
        if (known) collector.entry((code as string).trim(), value, at);
        else {
          earlySize += scanner.offset - at;
          if (earlySize > PENDING_ITEM_LIMIT) scanner.fail("an in_network item whose billing_code comes after more than 256 MB of negotiated_rates", itemAt);
          early.push({ value, at });
        }
      }
    } else await scanner.skip();
  }
  if (typeof codeType !== "string") scanner.fail("an in_network item without a billing_code_type string", itemAt);
  if (typeof code !== "string") scanner.fail("an in_network item without a billing_code string", itemAt);
  if (!sawRates) scanner.fail(`in_network item ${code}: no negotiated_rates`, itemAt);
  if (kept()) for (const { value, at } of early) collector.entry(code.trim(), value, at);
}

/** Reads one file to its end; throws TicFormatError (with its byte offset) on any problem. */
export async function parseTicFile(chunks: AsyncIterable<Uint8Array>, options: ParseOptions): Promise<ParsedTicFile> {
  const scanner = new JsonScanner(chunks);
  const collector = new InNetworkCollector(options);
  const header: Record<string, unknown> = {};
  let structures: TicReportingStructure[] | undefined;
  let sawInNetwork = false;
  const top = await scanner.openObject("the file");
  for (let key = await scanner.nextKey(top); key !== null; key = await scanner.nextKey(top)) {
    if (HEADER_KEYS.has(key)) {
      const at = scanner.offset;
      const value = await scanner.decode();
      header[key] = value;
      if (key === "reporting_entity_name") {
        if (typeof value !== "string") throw new TicFormatError(at, "reporting_entity_name must be a string");
        options.onReportingEntity?.(value);
      }
    } else if (key === "provider_references") await readProviderReferences(scanner, collector, options);
    else if (key === "in_network") {
      sawInNetwork = true;
      const items = await scanner.openArray("in_network");
      while (await scanner.nextItem(items)) await readInNetworkItem(scanner, collector, options);
    } else if (key === "reporting_structure") {
      structures = [];
      const list = await scanner.openArray("reporting_structure");
      while (await scanner.nextItem(list)) {
        const at = scanner.offset;
        structures.push(validated(ticReportingStructure, await scanner.decode(ENTRY_LIMIT), "reporting structure", at));
      }
    } else await scanner.skip();
  }
  if (!(await scanner.atEnd())) scanner.fail("more content after the end of the top-level object");
  const end = scanner.offset;
  const parsedHeader = validated(ticFileHeader, header, "file header", end);
  if (structures) return { kind: "table-of-contents", header: parsedHeader, structures };
  if (!sawInNetwork) throw new TicFormatError(end, "neither in_network nor reporting_structure: not an in-network rate file or a table of contents");
  collector.refsComplete = true;
  collector.resolvePending();
  return { kind: "in-network", header: parsedHeader, rates: collector.keptRates(), nonDollarRates: collector.nonDollarRates };
}
