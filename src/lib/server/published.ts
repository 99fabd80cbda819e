// The read side: everything pages and the public API know comes from here. It reads the index of
// snapshots in the main database and each snapshot's own file, never reports or rates
// (tests/privacy/read-side.test.ts).
import Database from "better-sqlite3";
import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { join } from "node:path";
import { publishedCells, publishedShares } from "../../../db/published-schema.ts";
import { snapshots } from "../../../db/schema.ts";
import {
  fallbackLadder, geographyLadder, licenseLadder, modalityLadder, type GeoStep, type LadderStep, type LicenseStep,
} from "../rules/ladders.ts";
import { snapshotsDirOf, type Db } from "./db.ts";

export type Snapshot = typeof snapshots.$inferSelect;
export type CellRow = typeof publishedCells.$inferSelect & { snapshotId: number };
export type ShareRow = typeof publishedShares.$inferSelect & { snapshotId: number };

const publishedSchema = { publishedCells, publishedShares };
type SnapshotFileDb = BetterSQLite3Database<typeof publishedSchema> & { $client: Database.Database };

export function snapshotFileName(id: number): string {
  return `snapshot-${id}.db`;
}

// Snapshot files never change once published, so read-only connections are kept open.
const openFiles = new Map<string, SnapshotFileDb>();
const MAX_OPEN_FILES = 16;

function snapshotFile(db: Db, snapshotId: number): SnapshotFileDb {
  const path = join(snapshotsDirOf(db.$client), snapshotFileName(snapshotId));
  let file = openFiles.get(path);
  if (!file) {
    if (openFiles.size >= MAX_OPEN_FILES) {
      const [oldest] = openFiles.keys();
      openFiles.get(oldest!)!.$client.close();
      openFiles.delete(oldest!);
    }
    file = drizzle({ client: new Database(path, { readonly: true, fileMustExist: true }), schema: publishedSchema });
    openFiles.set(path, file);
  }
  return file;
}

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

function conditions(filter: CellFilter): SQL[] {
  const c = publishedCells;
  return [
    filter.cellKey === undefined ? undefined : eq(c.cellKey, filter.cellKey),
    filter.cpt === undefined ? undefined : eq(c.cpt, filter.cpt),
    filter.geoLevel === undefined ? undefined : eq(c.geoLevel, filter.geoLevel),
    filter.geo === undefined ? undefined : eq(c.geo, filter.geo),
    nullable(c.channel, filter.channel),
    nullable(c.platform, filter.platform),
    nullable(c.payer, filter.payer),
    filter.licenseLevel === undefined ? undefined : eq(c.licenseLevel, filter.licenseLevel),
    nullable(c.license, filter.license),
    filter.modality === undefined ? undefined : eq(c.modality, filter.modality),
    filter.yearWindow === undefined ? undefined : eq(c.yearWindow, filter.yearWindow),
  ].filter((condition): condition is SQL => condition !== undefined);
}

/** A cell key names the cell's place, which lets the place index serve a lookup by key. */
function withPlaceFromKey(filter: CellFilter): CellFilter {
  if (filter.cellKey === undefined) return filter;
  const [cpt, place] = filter.cellKey.split("|");
  const [geoLevel, geo] = (place ?? "").split(":");
  if (!cpt || !geo || !["state", "division", "national"].includes(geoLevel ?? "")) return filter;
  return { cpt, geoLevel: geoLevel as CellFilter["geoLevel"] & string, geo, ...filter };
}

/** Published cells of a snapshot matching the filter, in the snapshot's own (stable) order. */
export function findCells(db: Db, snapshotId: number, filter: CellFilter, page: { limit?: number; offset?: number } = {}): CellRow[] {
  return snapshotFile(db, snapshotId)
    .select()
    .from(publishedCells)
    .where(and(...conditions(withPlaceFromKey(filter))))
    .orderBy(sql`rowid`)
    .limit(page.limit ?? 1000)
    .offset(page.offset ?? 0)
    .all()
    .map((row) => ({ ...row, snapshotId }));
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
  return snapshotFile(db, snapshotId).select().from(publishedShares)
    .where(eq(publishedShares.platform, platform))
    .orderBy(asc(publishedShares.question)).all()
    .map((row) => ({ ...row, snapshotId }));
}
