// Reference data: validates db/seed/ and loads it into the reference tables (the lists are read back by
// src/lib/read/reference.ts).
// Seed rows are inserted only when missing (ON CONFLICT DO NOTHING): moderators edit these tables,
// and a restart must never undo their edits. See db/seed/SOURCES.md for where each file comes from.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import {
  censusDivisions, cptCodes, licenseGroups, licenseTypes, medicareRates, payers, platforms, states,
  payerTicAliases,
} from "../../../db/schema.ts";
import {
  CONTRACT_HOLDERS, CPT_PATTERN, DIVISIONS, LICENSE_GROUPS, LICENSES, PLAN_TYPES, SLUG_PATTERN, STATES,
} from "../schemas/codes.ts";
import type { Db } from "../server/db.ts";
import { dollarsToCents } from "../shared/money.ts";
import { normalizeAlias } from "./tic/alias.ts";

/** Absolute path of db/seed/ (this file lives in src/lib/write/). */
export const SEED_DIR = resolve(import.meta.dirname ?? join(process.cwd(), "src/lib/write"), "../../../db/seed");

export const MEDICARE_CSV = "medicare-pfs.csv";
export const MEDICARE_SOURCE = "CMS Physician Fee Schedule, national non-facility amount";
export const MEDICARE_SOURCE_URL = "https://www.cms.gov/medicare/payment/fee-schedules/physician/look-up-tool";

// ---- seed file schemas ----

const text = z.string().trim().min(1);
const httpsUrl = z.url({ protocol: /^https$/ });
const slug = z.string().regex(SLUG_PATTERN, "must be a lowercase slug like `grow-therapy`");
const cpt = z.string().regex(CPT_PATTERN, "must be a 5-character CPT code").length(5);

const cptCodeSeed = z.strictObject({
  code: cpt,
  label: text.max(60),
  description: text,
  minutes: z.int().positive().nullable(),
  isAddOn: z.boolean(),
  sort: z.int(),
});

const licenseGroupSeed = z.strictObject({
  slug: z.enum(LICENSE_GROUPS),
  name: text,
  /** Documentation only: license_groups has no description column. */
  description: text.optional(),
  sort: z.int(),
});

const licenseTypeSeed = z.strictObject({
  slug: z.enum(LICENSES),
  name: text,
  description: text,
  groupSlug: z.enum(LICENSE_GROUPS),
  sort: z.int(),
});

const divisionSeed = z.strictObject({
  slug: z.enum(DIVISIONS),
  name: text,
  region: z.enum(["Northeast", "Midwest", "South", "West"]),
});

const stateSeed = z.strictObject({
  code: z.enum(STATES),
  name: text,
  division: z.enum(DIVISIONS),
});

const payerSeed = z.strictObject({
  slug,
  name: text,
  planTypes: z.array(z.enum(PLAN_TYPES)).min(1),
  notes: z.string(),
  sourceUrl: httpsUrl.nullable(),
});

const ownerSeed = z.strictObject({
  name: text,
  relation: text,
  source: text,
  sourceUrl: httpsUrl,
});

const platformSeed = z.strictObject({
  slug,
  name: text,
  website: httpsUrl,
  feeModel: text,
  feeModelSource: text,
  feeModelSourceUrl: httpsUrl,
  contractHolder: z.enum(CONTRACT_HOLDERS),
  contractHolderSource: text,
  contractHolderSourceUrl: httpsUrl,
  owners: z.array(ownerSeed),
});

const medicareRow = z.strictObject({
  cpt,
  year: z.coerce.number().int().min(2000).max(2100),
  national_nonfacility_usd: z.string().regex(/^\d+(?:\.\d{1,2})?$/, "must be a dollar amount like 154.29"),
});

/** Issue 11: the names an insurer's TiC files give as `reporting_entity_name`, per payer. */
const payerTicAliasSeed = z.strictObject({
  payer: slug,
  aliases: z.array(text).min(1),
  source: text,
});

export type CptCodeSeed = z.infer<typeof cptCodeSeed>;
export type LicenseGroupSeed = z.infer<typeof licenseGroupSeed>;
export type LicenseTypeSeed = z.infer<typeof licenseTypeSeed>;
export type DivisionSeed = z.infer<typeof divisionSeed>;
export type StateSeed = z.infer<typeof stateSeed>;
export type PayerSeed = z.infer<typeof payerSeed>;
export type PlatformSeed = z.infer<typeof platformSeed>;
export type MedicareSeed = { cpt: string; year: number; amountCents: number };

export type SeedData = {
  cptCodes: CptCodeSeed[];
  licenseGroups: LicenseGroupSeed[];
  licenseTypes: LicenseTypeSeed[];
  divisions: DivisionSeed[];
  states: StateSeed[];
  payers: PayerSeed[];
  platforms: PlatformSeed[];
  medicare: MedicareSeed[];
  payerTicAliases: z.infer<typeof payerTicAliasSeed>[];
};

// ---- reading and checking the seed files ----

export class SeedError extends Error {
  constructor(file: string, problem: string) {
    super(`Seed file db/seed/${file} is invalid: ${problem}`);
    this.name = "SeedError";
  }
}

function readSeedFile(dir: string, file: string): string {
  try {
    return readFileSync(join(dir, file), "utf8");
  } catch (error) {
    throw new SeedError(file, `cannot be read (${(error as Error).message})`);
  }
}

function parseJsonFile<T>(dir: string, file: string, schema: z.ZodType<T>): T[] {
  let json: unknown;
  try {
    json = JSON.parse(readSeedFile(dir, file));
  } catch (error) {
    if (error instanceof SeedError) throw error;
    throw new SeedError(file, `is not valid JSON (${(error as Error).message})`);
  }
  const result = z.array(schema).safeParse(json);
  if (!result.success) throw new SeedError(file, `\n${z.prettifyError(result.error)}`);
  return result.data;
}

function parseMedicareCsv(dir: string, file: string): MedicareSeed[] {
  const lines = readSeedFile(dir, file).split(/\r?\n/).filter((line) => line.trim() !== "");
  const header = lines.shift()?.split(",").map((cell) => cell.trim());
  const expected = ["cpt", "year", "national_nonfacility_usd"];
  if (header?.join(",") !== expected.join(",")) {
    throw new SeedError(file, `the header must be "${expected.join(",")}", found "${header?.join(",") ?? ""}"`);
  }
  return lines.map((line, index) => {
    const cells = line.split(",").map((cell) => cell.trim());
    const result = medicareRow.safeParse(Object.fromEntries(expected.map((key, i) => [key, cells[i]])));
    if (!result.success || cells.length !== expected.length) {
      const problem = result.success ? `expected ${expected.length} columns` : z.prettifyError(result.error);
      throw new SeedError(file, `line ${index + 2} ("${line}"):\n${problem}`);
    }
    const amountCents = dollarsToCents(Number(result.data.national_nonfacility_usd));
    if (amountCents <= 0) throw new SeedError(file, `line ${index + 2}: the amount must be positive`);
    return { cpt: result.data.cpt, year: result.data.year, amountCents };
  });
}

function requireUnique<T>(file: string, rows: T[], key: (row: T) => string): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const k = key(row);
    if (seen.has(k)) throw new SeedError(file, `"${k}" appears more than once`);
    seen.add(k);
  }
}

function requireAll(file: string, present: string[], required: readonly string[]): void {
  const missing = required.filter((value) => !present.includes(value));
  if (missing.length > 0) throw new SeedError(file, `missing ${missing.join(", ")}`);
}

function requireKnown(file: string, values: string[], known: Iterable<string>, what: string): void {
  const knownSet = new Set(known);
  const unknown = values.filter((value) => !knownSet.has(value));
  if (unknown.length > 0) throw new SeedError(file, `unknown ${what}: ${[...new Set(unknown)].join(", ")}`);
}

/** Reads, validates and cross-checks every seed file; throws a SeedError naming the file on any problem. */
export function readSeedData(dir: string = SEED_DIR): SeedData {
  const data: SeedData = {
    cptCodes: parseJsonFile(dir, "cpt-codes.json", cptCodeSeed),
    licenseGroups: parseJsonFile(dir, "license-groups.json", licenseGroupSeed),
    licenseTypes: parseJsonFile(dir, "license-types.json", licenseTypeSeed),
    divisions: parseJsonFile(dir, "census-divisions.json", divisionSeed),
    states: parseJsonFile(dir, "states.json", stateSeed),
    payers: parseJsonFile(dir, "payers.json", payerSeed),
    platforms: parseJsonFile(dir, "platforms.json", platformSeed),
    medicare: parseMedicareCsv(dir, MEDICARE_CSV),
    payerTicAliases: parseJsonFile(dir, "payer-tic-aliases.json", payerTicAliasSeed),
  };

  requireUnique("cpt-codes.json", data.cptCodes, (row) => row.code);
  requireUnique("license-groups.json", data.licenseGroups, (row) => row.slug);
  requireAll("license-groups.json", data.licenseGroups.map((row) => row.slug), LICENSE_GROUPS);
  requireUnique("license-types.json", data.licenseTypes, (row) => row.slug);
  requireAll("license-types.json", data.licenseTypes.map((row) => row.slug), LICENSES);
  requireKnown("license-types.json", data.licenseTypes.map((row) => row.groupSlug),
    data.licenseGroups.map((row) => row.slug), "license group");
  requireUnique("census-divisions.json", data.divisions, (row) => row.slug);
  requireAll("census-divisions.json", data.divisions.map((row) => row.slug), DIVISIONS);
  requireUnique("states.json", data.states, (row) => row.code);
  requireAll("states.json", data.states.map((row) => row.code), STATES);
  requireKnown("states.json", data.states.map((row) => row.division), data.divisions.map((row) => row.slug), "division");
  const emptyDivisions = data.divisions.filter((d) => !data.states.some((s) => s.division === d.slug));
  if (emptyDivisions.length > 0) {
    throw new SeedError("states.json", `no state in division ${emptyDivisions.map((d) => d.slug).join(", ")}`);
  }
  requireUnique("payers.json", data.payers, (row) => row.slug);
  requireUnique("platforms.json", data.platforms, (row) => row.slug);
  requireUnique(MEDICARE_CSV, data.medicare, (row) => `${row.cpt}/${row.year}`);
  requireKnown(MEDICARE_CSV, data.medicare.map((row) => row.cpt), data.cptCodes.map((row) => row.code), "CPT code");
  requireKnown("payer-tic-aliases.json", data.payerTicAliases.map((row) => row.payer), data.payers.map((row) => row.slug), "payer");
  requireUnique("payer-tic-aliases.json", data.payerTicAliases.flatMap((row) => row.aliases), (alias) => normalizeAlias(alias));
  return data;
}

// ---- loading ----

export type LoadResult = Record<
  "cptCodes" | "licenseGroups" | "licenseTypes" | "divisions" | "states" | "payers" | "platforms" | "medicareRates"
  | "payerTicAliases",
  number
>;

/**
 * Inserts every missing reference row from the seed files, in one transaction. Existing rows are
 * never updated, so a second call changes nothing and moderator edits survive restarts.
 * Returns how many rows each table gained.
 */
export function loadReferenceData(db: Db, dir: string = SEED_DIR): LoadResult {
  const seed = readSeedData(dir);
  return db.transaction((tx) => ({
    licenseGroups: tx.insert(licenseGroups)
      .values(seed.licenseGroups.map(({ slug, name, sort }) => ({ slug, name, sort })))
      .onConflictDoNothing().run().changes,
    licenseTypes: tx.insert(licenseTypes).values(seed.licenseTypes).onConflictDoNothing().run().changes,
    divisions: tx.insert(censusDivisions).values(seed.divisions).onConflictDoNothing().run().changes,
    states: tx.insert(states).values(seed.states).onConflictDoNothing().run().changes,
    cptCodes: tx.insert(cptCodes).values(seed.cptCodes).onConflictDoNothing().run().changes,
    payers: tx.insert(payers).values(seed.payers).onConflictDoNothing().run().changes,
    platforms: tx.insert(platforms).values(seed.platforms).onConflictDoNothing().run().changes,
    medicareRates: tx.insert(medicareRates)
      .values(seed.medicare.map((row) => ({ ...row, source: MEDICARE_SOURCE, sourceUrl: MEDICARE_SOURCE_URL })))
      .onConflictDoNothing().run().changes,
    payerTicAliases: tx.insert(payerTicAliases)
      .values(seed.payerTicAliases.flatMap((row) => row.aliases.map((alias) => ({ alias: normalizeAlias(alias), payer: row.payer }))))
      .onConflictDoNothing().run().changes,
  }));
}
