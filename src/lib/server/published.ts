// The read side: everything pages and the public API know comes from here, and this module
// reads only the snapshot tables (never reports or rates; tests/privacy/read-side.test.ts).
import { and, asc, desc, eq, isNull, type SQL } from "drizzle-orm";
import { snapshotCells, snapshotShares, snapshots } from "../../../db/schema.ts";
import {
  fallbackLadder, geographyLadder, licenseLadder, modalityLadder, type GeoStep, type LadderStep, type LicenseStep,
} from "../rules/ladders.ts";
import type { Db } from "./db.ts";

export type Snapshot = typeof snapshots.$inferSelect;
export type CellRow = typeof snapshotCells.$inferSelect;
export type ShareRow = typeof snapshotShares.$inferSelect;

export function latestSnapshot(db: Db): Snapshot | undefined {
  return db.select().from(snapshots).orderBy(desc(snapshots.id)).limit(1).get();
}

export function snapshotById(db: Db, id: number): Snapshot | undefined {
  return db.select().from(snapshots).where(eq(snapshots.id, id)).get();
}

export function listSnapshots(db: Db): Snapshot[] {
  return db.select().from(snapshots).orderBy(desc(snapshots.id)).all();
}

/**
 * A filter on published cells. `undefined` matches every value of that column; `null` (or
 * "all" for modality and license level) matches the rows aggregated over the dimension.
 */
export type CellFilter = {
  cellKey?: string;
  cpt?: string;
  geoLevel?: "state" | "division" | "national";
  geo?: string;
  channel?: string | null;
  platform?: string | null;
  payer?: string | null;
  licenseLevel?: "license" | "group" | "all";
  license?: string | null;
  modality?: string;
  yearWindow?: string;
};

function nullable(column: Parameters<typeof eq>[0], value: string | null | undefined): SQL | undefined {
  if (value === undefined) return undefined;
  return value === null ? isNull(column) : eq(column, value);
}

function conditions(snapshotId: number, filter: CellFilter): SQL[] {
  return [
    eq(snapshotCells.snapshotId, snapshotId),
    filter.cellKey === undefined ? undefined : eq(snapshotCells.cellKey, filter.cellKey),
    filter.cpt === undefined ? undefined : eq(snapshotCells.cpt, filter.cpt),
    filter.geoLevel === undefined ? undefined : eq(snapshotCells.geoLevel, filter.geoLevel),
    filter.geo === undefined ? undefined : eq(snapshotCells.geo, filter.geo),
    nullable(snapshotCells.channel, filter.channel),
    nullable(snapshotCells.platform, filter.platform),
    nullable(snapshotCells.payer, filter.payer),
    filter.licenseLevel === undefined ? undefined : eq(snapshotCells.licenseLevel, filter.licenseLevel),
    nullable(snapshotCells.license, filter.license),
    filter.modality === undefined ? undefined : eq(snapshotCells.modality, filter.modality),
    filter.yearWindow === undefined ? undefined : eq(snapshotCells.yearWindow, filter.yearWindow),
  ].filter((c): c is SQL => c !== undefined);
}

export function findCells(db: Db, snapshotId: number, filter: CellFilter, page: { limit?: number; offset?: number } = {}): CellRow[] {
  return db
    .select()
    .from(snapshotCells)
    .where(and(...conditions(snapshotId, filter)))
    .orderBy(asc(snapshotCells.cellKey))
    .limit(page.limit ?? 1000)
    .offset(page.offset ?? 0)
    .all();
}

export type FallbackRequest = {
  cpt: string;
  geo: GeoStep;
  channel: string | null;
  platform: string | null;
  payer: string | null;
  license: LicenseStep;
  modality: string;
  yearWindow: string;
};

export type Names = { geo: (step: GeoStep) => string; license: (step: LicenseStep) => string };

export type FallbackResult = { cell: CellRow; step: LadderStep; note: string | null } | { cell: null; note: string };

/**
 * The first published cell along the generalization ladder (rule "Generalize, don't hide"),
 * with the note that says what was shown instead and why.
 */
export function cellWithFallback(
  db: Db,
  snapshot: Snapshot,
  request: FallbackRequest,
  lookups: { divisionOfState: (state: string) => string | undefined; groupOfLicense: (license: string) => string | undefined },
  names: Names,
): FallbackResult {
  const ladder = fallbackLadder(
    geographyLadder(request.geo, lookups.divisionOfState),
    licenseLadder(request.license, lookups.groupOfLicense),
    modalityLadder(request.modality),
  );
  const wanted = ladder[0]!;
  for (const step of ladder) {
    const [cell] = findCells(db, snapshot.id, {
      cpt: request.cpt, geoLevel: step.geoLevel, geo: step.geo, channel: request.channel, platform: request.platform,
      payer: request.payer, licenseLevel: step.licenseLevel, license: step.license, modality: step.modality,
      yearWindow: request.yearWindow,
    }, { limit: 1 });
    if (cell) return { cell, step, note: step === wanted ? null : generalizationNote(wanted, step, snapshot.k, names) };
  }
  return { cell: null, note: `Fewer than ${snapshot.k} reports match, even for the whole nation and all licenses; nothing is published for this combination.` };
}

export function generalizationNote(wanted: LadderStep, shown: LadderStep, k: number, names: Names): string {
  const parts: string[] = [];
  if (shown.geoLevel !== wanted.geoLevel) parts.push(`showing ${shown.geoLevel === "national" ? "the whole nation" : `the ${names.geo(shown)} division`}`);
  if (shown.licenseLevel !== wanted.licenseLevel) parts.push(`showing ${shown.licenseLevel === "all" ? "all licenses" : `all ${names.license(shown)} licenses`}`);
  if (shown.modality !== wanted.modality) parts.push("showing in-person and telehealth together");
  const subject = [names.geo(wanted), wanted.licenseLevel === "all" ? null : names.license(wanted)].filter(Boolean).join(", ");
  return `${subject} has fewer than ${k} reports; ${parts.join(", ")}.`;
}

export function sharesFor(db: Db, snapshotId: number, platform: string): ShareRow[] {
  return db.select().from(snapshotShares)
    .where(and(eq(snapshotShares.snapshotId, snapshotId), eq(snapshotShares.platform, platform)))
    .orderBy(asc(snapshotShares.question)).all();
}
