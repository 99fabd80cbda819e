// Writes an imported TiC file in one transaction (all or nothing), skips a file already imported,
// and lets a newer file of the same payer and plan replace an older one's rates.
import { and, eq, gt, lt } from "drizzle-orm";
import { payerTicAliases, payers, platformTins, platforms, states, ticFiles, ticRates } from "../../../../db/schema.ts";
import type { Db } from "../../server/db.ts";
import { normalizeAlias } from "./alias.ts";
import type { KeptRate, ParsedInNetwork } from "./parse.ts";

export type TinMapping = { tin: string; platform: string; state: string | null; source: string };

/** `PLATFORM[:STATE]=TIN` → a mapping, or an error message. TINs are normalized to 9 digits (10 for an NPI). */
export function parseTinArgument(argument: string): TinMapping | string {
  const match = /^([a-z0-9-]+)(?::([A-Za-z]{2}))?=([0-9-]{1,11})$/.exec(argument.trim());
  if (!match) return `--tin ${argument}: expected PLATFORM[:STATE]=TIN, e.g. alma:OR=12-3456789`;
  const digits = match[3]!.replace(/-/g, "");
  if (digits.length === 0 || digits.length > 10) return `--tin ${argument}: a TIN has 9 digits (an NPI 10)`;
  return { platform: match[1]!, state: match[2]?.toUpperCase() ?? null, tin: digits.length === 10 ? digits : digits.padStart(9, "0"), source: "command line" };
}

/** Records a TIN's platform (insert or replace); returns an error message for an unknown platform or state. */
export function saveTinMapping(db: Pick<Db, "select" | "insert">, mapping: TinMapping): string | null {
  if (!db.select({ slug: platforms.slug }).from(platforms).where(eq(platforms.slug, mapping.platform)).get()) {
    return `unknown platform "${mapping.platform}"`;
  }
  if (mapping.state !== null && !db.select({ code: states.code }).from(states).where(eq(states.code, mapping.state)).get()) {
    return `unknown state "${mapping.state}"`;
  }
  db.insert(platformTins).values(mapping)
    .onConflictDoUpdate({ target: platformTins.tin, set: { platform: mapping.platform, state: mapping.state, source: mapping.source } })
    .run();
  return null;
}

export function mappedTins(db: Db): Set<string> {
  return new Set(db.select({ tin: platformTins.tin }).from(platformTins).all().map((row) => row.tin));
}

export function importedHashes(db: Db): Set<string> {
  return new Set(db.select({ sha256: ticFiles.sha256 }).from(ticFiles).all().map((row) => row.sha256));
}

/** The payer a reporting entity names, through the aliases; null when none does. */
export function payerForEntity(db: Db, reportingEntity: string): string | null {
  return db.select({ payer: payerTicAliases.payer }).from(payerTicAliases)
    .where(eq(payerTicAliases.alias, normalizeAlias(reportingEntity))).get()?.payer ?? null;
}

export function payerExists(db: Db, slug: string): boolean {
  return db.select({ slug: payers.slug }).from(payers).where(eq(payers.slug, slug)).get() !== undefined;
}

export type StoreResult =
  | { status: "skipped"; fileId: number }
  | { status: "imported"; fileId: number; ratesKept: number; replacedFiles: number[]; supersededBy: number | null };

export type StoreInput = {
  parsed: ParsedInNetwork;
  payer: string;
  sha256: string;
  sourceFile: string;
  /** Plan fields from the table of contents when the in-network file has none of its own. */
  plan?: { planId: string | null; planName: string | null; planMarketType: string | null } | undefined;
  importedOn?: string;
};

const INSERT_BATCH = 500;

/** One transaction: the file's row, its rates, and the removal of the rates it supersedes. */
export function storeInNetworkFile(db: Db, input: StoreInput): StoreResult {
  const { parsed, payer, sha256 } = input;
  const header = parsed.header;
  const planId = header.plan_id ?? input.plan?.planId ?? null;
  return db.transaction((tx) => {
    const existing = tx.select({ id: ticFiles.id }).from(ticFiles).where(eq(ticFiles.sha256, sha256)).get();
    if (existing) return { status: "skipped", fileId: existing.id };
    const fileId = tx.insert(ticFiles).values({
      sha256,
      sourceFile: input.sourceFile,
      payer,
      reportingEntity: header.reporting_entity_name,
      planId,
      planName: header.plan_name ?? input.plan?.planName ?? null,
      planMarketType: header.plan_market_type ?? input.plan?.planMarketType ?? null,
      lastUpdatedOn: header.last_updated_on,
      schemaVersion: header.version ?? null,
      importedOn: input.importedOn ?? new Date().toISOString().slice(0, 10),
      ratesKept: parsed.rates.length,
      nonDollarRates: parsed.nonDollarRates,
    }).returning({ id: ticFiles.id }).get().id;

    let replacedFiles: number[] = [];
    let supersededBy: number | null = null;
    if (planId !== null) {
      const samePlan = and(eq(ticFiles.payer, payer), eq(ticFiles.planId, planId));
      const newer = tx.select({ id: ticFiles.id }).from(ticFiles)
        .where(and(samePlan, gt(ticFiles.lastUpdatedOn, header.last_updated_on))).get();
      if (newer) supersededBy = newer.id;
      else {
        replacedFiles = tx.select({ id: ticFiles.id }).from(ticFiles)
          .where(and(samePlan, lt(ticFiles.lastUpdatedOn, header.last_updated_on))).all().map((row) => row.id);
        for (const id of replacedFiles) tx.delete(ticRates).where(eq(ticRates.fileId, id)).run();
      }
    }
    if (supersededBy === null) insertRates(tx, fileId, parsed.rates);
    return { status: "imported", fileId, ratesKept: parsed.rates.length, replacedFiles, supersededBy };
  });
}

function insertRates(tx: Pick<Db, "insert">, fileId: number, rates: readonly KeptRate[]): void {
  for (let i = 0; i < rates.length; i += INSERT_BATCH) {
    tx.insert(ticRates).values(rates.slice(i, i + INSERT_BATCH).map((rate) => ({ fileId, ...rate }))).run();
  }
}
