// Shared test data builders: plain "exact" report objects → BandedRates + Dimensions, the way the
// snapshot loader builds them. Exact amounts live only in the test's own objects; what reaches
// computeCells carries pay as a band index (via bandIndexOfCents, as the loader's SQL does) and a
// payer amount only for `platform` and `group` rates (the loader never passes a `direct` one).
import { bandIndexOfCents } from "../src/lib/rules/bands.ts";
import { computeCells, type BandedRates, type Dimensions, type PublishedCell, type SuppressionTally } from "../src/lib/rules/cells.ts";

export type Channel = "platform" | "direct" | "group" | "self_pay";
export type Modality = "in_person" | "telehealth";

/** One line of a report, with exact amounts in cents. */
export type ExactRate = {
  cpt: string;
  modality: Modality;
  /** null only for self_pay */
  payer: string | null;
  year: number;
  paidCents: number;
  /** the payer amount from an EOB or remittance, if given */
  allowedCents: number | null;
};

/** One visit to the form. */
export type ExactReport = {
  state: string;
  license: string;
  channel: Channel;
  /** set when and only when channel is "platform" */
  platform: string | null;
  rates: ExactRate[];
};

/** Reference data, as the loader reads it from the reference tables (fixed lists, not derived from reports). */
export type Reference = {
  cpts: readonly string[];
  stateDivision: ReadonlyArray<readonly [string, string]>;
  licenseGroup: ReadonlyArray<readonly [string, string]>;
  channels: readonly Channel[];
  platforms: readonly string[];
  payers: readonly string[];
  /** cpt → year → Medicare national non-facility amount in cents */
  medicareCents: ReadonlyMap<string, ReadonlyMap<number, number>>;
};

export const REFERENCE: Reference = {
  cpts: ["90791", "90834", "90837"],
  stateDivision: [
    ["CA", "pacific"], ["OR", "pacific"], ["WA", "pacific"],
    ["NJ", "middle-atlantic"], ["NY", "middle-atlantic"],
    ["TX", "west-south-central"],
    ["ID", "mountain"],
  ],
  licenseGroup: [
    ["lcsw", "masters"], ["lpc", "masters"], ["lmft", "masters"],
    ["psychologist", "doctoral"],
    ["psychiatrist", "prescriber"], ["pmhnp", "prescriber"],
    ["associate", "prelicensed"],
  ],
  channels: ["platform", "direct", "group", "self_pay"],
  platforms: ["alma", "headway", "grow-therapy", "rula"],
  payers: ["aetna", "cigna", "optum-uhc", "medicare"],
  // public CMS figures from db/seed/medicare-pfs.csv
  medicareCents: new Map([
    ["90791", new Map([[2025, 16691], [2026, 17335]])],
    ["90834", new Map([[2025, 10416], [2026, 11390]])],
    ["90837", new Map([[2025, 15429], [2026, 16700]])],
  ]),
};

/** Dollars (2 decimals, as submitted) → integer cents. */
export function cents(dollars: number): number {
  return Math.round(dollars * 100);
}

export function rate(overrides: Partial<ExactRate> = {}): ExactRate {
  return {
    cpt: "90837", modality: "telehealth", payer: "cigna", year: 2025, paidCents: cents(100), allowedCents: null,
    ...overrides,
  };
}

export function report(overrides: Partial<ExactReport> = {}): ExactReport {
  const channel = overrides.channel ?? "direct";
  return {
    state: "OR", license: "lpc", channel,
    platform: channel === "platform" ? "alma" : null,
    rates: [rate(channel === "self_pay" ? { payer: null } : {})],
    ...overrides,
  };
}

/** The same report with its rates replaced by `f(rate, index)`; never mutates. */
export function withRates(r: ExactReport, f: (rate: ExactRate, index: number) => ExactRate): ExactReport {
  return { ...r, rates: r.rates.map((x, i) => f({ ...x }, i)) };
}

function indexer(values: readonly string[], what: string): (value: string) => number {
  const map = new Map(values.map((v, i) => [v, i]));
  return (value) => {
    const i = map.get(value);
    if (i === undefined) throw new Error(`unknown ${what} ${value}`);
    return i;
  };
}

/** Dimensions as the loader builds them: reference lists, plus the distinct years present in the reports. */
export function buildDimensions(reports: readonly ExactReport[], reference: Reference = REFERENCE): Dimensions {
  const divisions = [...new Set(reference.stateDivision.map(([, d]) => d))];
  const groups = [...new Set(reference.licenseGroup.map(([, g]) => g))];
  const years = [...new Set(reports.flatMap((r) => r.rates.map((x) => x.year)))].sort((a, b) => a - b);
  return {
    cpts: reference.cpts,
    states: reference.stateDivision.map(([s]) => s),
    divisions,
    divisionOfState: reference.stateDivision.map(([, d]) => divisions.indexOf(d)),
    licenses: reference.licenseGroup.map(([l]) => l),
    licenseGroups: groups,
    groupOfLicense: reference.licenseGroup.map(([, g]) => groups.indexOf(g)),
    channels: reference.channels,
    platforms: reference.platforms,
    payers: reference.payers,
    years,
    medicareCents: reference.medicareCents,
  };
}

/**
 * Column-oriented banded rates, one report after another (so rates of a report are contiguous),
 * report index = position in `reports`. Pay goes in only as its band index; the payer amount only
 * for platform and group rates that carry one (−1 otherwise, as the loader does for `direct`).
 * Pay of $2,760 or more has no band: such a report is held and never loaded, so this throws.
 */
export function buildBandedRates(reports: readonly ExactReport[], dims: Dimensions): BandedRates {
  const length = reports.reduce((sum, r) => sum + r.rates.length, 0);
  const out: BandedRates = {
    length,
    report: new Int32Array(length),
    cpt: new Uint16Array(length),
    state: new Uint8Array(length),
    license: new Uint8Array(length),
    channel: new Uint8Array(length),
    platform: new Int16Array(length),
    payer: new Int16Array(length),
    modality: new Uint8Array(length),
    yearIndex: new Uint8Array(length),
    paidBand: new Uint8Array(length),
    allowedCents: new Int32Array(length),
  };
  const cptOf = indexer(dims.cpts, "cpt");
  const stateOf = indexer(dims.states, "state");
  const licenseOf = indexer(dims.licenses, "license");
  const channelOf = indexer(dims.channels, "channel");
  const platformOf = indexer(dims.platforms, "platform");
  const payerOf = indexer(dims.payers, "payer");
  const yearOf = indexer(dims.years.map(String), "year");
  let i = 0;
  reports.forEach((r, reportIndex) => {
    if ((r.channel === "platform") !== (r.platform !== null)) {
      throw new Error("platform is set when and only when channel is platform");
    }
    const carriesPayerAmount = r.channel === "platform" || r.channel === "group";
    for (const x of r.rates) {
      if ((r.channel === "self_pay") !== (x.payer === null)) throw new Error("payer is required except for self_pay");
      const paidBand = bandIndexOfCents(x.paidCents);
      if (paidBand < 0) throw new RangeError("pay of $2,760 or more is held and never loaded");
      out.report[i] = reportIndex;
      out.cpt[i] = cptOf(x.cpt);
      out.state[i] = stateOf(r.state);
      out.license[i] = licenseOf(r.license);
      out.channel[i] = channelOf(r.channel);
      out.platform[i] = r.platform === null ? -1 : platformOf(r.platform);
      out.payer[i] = x.payer === null ? -1 : payerOf(x.payer);
      out.modality[i] = x.modality === "in_person" ? 0 : 1;
      out.yearIndex[i] = yearOf(String(x.year));
      out.paidBand[i] = paidBand;
      out.allowedCents[i] = carriesPayerAmount && x.allowedCents !== null ? x.allowedCents : -1;
      i++;
    }
  });
  return out;
}

export function banded(reports: readonly ExactReport[], reference: Reference = REFERENCE): { rates: BandedRates; dims: Dimensions } {
  const dims = buildDimensions(reports, reference);
  return { rates: buildBandedRates(reports, dims), dims };
}

export type Published = { cells: PublishedCell[]; tally: SuppressionTally };

/** Runs computeCells over the reports and collects everything it publishes. */
export function publish(reports: readonly ExactReport[], k = 5, reference: Reference = REFERENCE): Published {
  const { rates, dims } = banded(reports, reference);
  const cells: PublishedCell[] = [];
  const tally = computeCells(rates, dims, k, (cell) => cells.push(cell));
  return { cells, tally };
}

/** Every published byte of a run, for byte-for-byte comparison. */
export function publishedBytes(reports: readonly ExactReport[], k = 5, reference: Reference = REFERENCE): string {
  return JSON.stringify(publish(reports, k, reference));
}

/** A small deterministic uniform source in [0, 1), the demo generator's, for seeded statistical tests. */
export { seededUniform } from "../db/seed/demo.ts";

/** Fisher–Yates with a seeded source; returns a new array. */
export function shuffled<T>(items: readonly T[], uniform: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

// ---- insurer-published rates (issue 11): rows of the importer's tables, inserted directly ----

let ticFilesInserted = 0;

export type TicFileFixture = Partial<typeof import("../db/schema.ts").ticFiles.$inferInsert>;
export type TicRateFixture = Partial<Omit<typeof import("../db/schema.ts").ticRates.$inferInsert, "fileId">>;

/**
 * One imported TiC file with its rates, as `npm run tic:import` would leave them, and (when
 * `mappings` are given) the TIN → platform mappings. Returns the file's id.
 */
export async function insertTicFile(
  connection: import("../src/lib/server/db.ts").Connection,
  file: TicFileFixture,
  rates: TicRateFixture[],
  mappings: { tin: string; platform: string; state?: string | null; source?: string }[] = [],
): Promise<number> {
  const { platformTins, ticFiles, ticRates } = await import("../db/schema.ts");
  const { db } = connection;
  for (const m of mappings) {
    db.insert(platformTins).values({ tin: m.tin, platform: m.platform, state: m.state ?? null, source: m.source ?? "command line" })
      .onConflictDoUpdate({ target: platformTins.tin, set: { platform: m.platform, state: m.state ?? null } }).run();
  }
  const row = db.insert(ticFiles).values({
    sha256: (++ticFilesInserted).toString(16).padStart(64, "0"),
    sourceFile: "2026-11_cigna_in-network-rates.json.gz",
    payer: "cigna",
    reportingEntity: "Cigna Health Life Insurance Company",
    planId: null,
    planName: null,
    planMarketType: "group",
    lastUpdatedOn: "2026-11-01",
    schemaVersion: "2.0.0",
    importedOn: "2026-11-20",
    ratesKept: rates.length,
    nonDollarRates: 0,
    ...file,
  }).returning({ id: ticFiles.id }).get();
  for (const r of rates) {
    db.insert(ticRates).values({
      fileId: row.id,
      tin: "123456789",
      cpt: "90837",
      modifiers: "",
      serviceCodes: "",
      negotiatedType: "negotiated",
      negotiatedRate: 151.74,
      expirationDate: "9999-12-31",
      networks: "OAP",
      ...r,
    }).run();
  }
  return row.id;
}
