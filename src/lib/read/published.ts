// The read side: everything pages and the public API know comes from here. It reads the index of
// snapshots in the main database and each snapshot's own file, never reports or rates
// (tests/privacy/read-side.test.ts).
import { desc, eq } from "drizzle-orm";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { snapshots } from "../../../db/schema.ts";
import type { GeoLevel, LicenseLevel } from "../schemas/codes.ts";
import { cellKeyOf, parseCellKey } from "../rules/cell-key.ts";
import { requestLadder, type GeoStep, type LadderLookups, type LadderStep, type LicenseStep } from "../rules/ladders.ts";
import type { PublishedPayerRate } from "../rules/published-rates.ts";
import { snapshotsDirOf, type Db } from "../server/db.ts";
import { cellAt, matchingRows, readSnapshotFile, type CellValues, type CodedFilter, type PublishedShareRow, type SnapshotFile } from "./snapshot-file.ts";

export type Snapshot = typeof snapshots.$inferSelect;
export type CellRow = CellValues & { snapshotId: number; cellKey: string };
export type ShareRow = PublishedShareRow & { snapshotId: number };

export function snapshotFileName(id: number): string {
  return `snapshot-${id}.snapshot`;
}

// Snapshot files never change once published, so the few most recently used stay in memory.
const loadedFiles = new Map<string, SnapshotFile>();
const MAX_LOADED_FILES = 4;

function snapshotFile(db: Db, snapshotId: number): SnapshotFile {
  const path = join(snapshotsDirOf(db.$client), snapshotFileName(snapshotId));
  let file = loadedFiles.get(path);
  if (file) {
    loadedFiles.delete(path);
  } else {
    file = readPublishedFile(db, snapshotId);
    if (loadedFiles.size >= MAX_LOADED_FILES) loadedFiles.delete(loadedFiles.keys().next().value!);
  }
  loadedFiles.set(path, file);
  return file;
}

/** A published snapshot's file, read from disk each time (the builder compares files with it). */
export function readPublishedFile(db: Db, snapshotId: number): SnapshotFile {
  return readSnapshotFile(readFileSync(join(snapshotsDirOf(db.$client), snapshotFileName(snapshotId))));
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
  geoLevel?: GeoLevel;
  geo?: string;
  channel?: string | null;
  platform?: string | null;
  payer?: string | null;
  licenseLevel?: LicenseLevel;
  license?: string | null;
  modality?: string;
  yearWindow?: string;
  /** true: rows computed from verified reports alone; absent or false: rows from all reports (issue 12). */
  verified?: boolean;
};

/** The filter in the file's terms; null when it names a cell key that is not one. */
function codedFilter(filter: CellFilter): CodedFilter | null {
  const { cellKey, ...dimensions } = filter;
  const fromKey = cellKey === undefined ? {} : parseCellKey(cellKey);
  if (fromKey === null) return null;
  const wanted: CodedFilter = { ...fromKey };
  const { verified, ...coded } = dimensions;
  for (const [column, value] of Object.entries(coded)) if (value !== undefined) wanted[column as keyof typeof coded] = value;
  // Without a word on it, a filter means the rows from all reports, as before verified rows existed.
  wanted.verified = verified ?? wanted.verified ?? false;
  return wanted;
}

/** How many published cells of a snapshot match the filter (without one: its cells from all reports). */
export function countCells(db: Db, snapshot: Snapshot, filter: CellFilter): number {
  if (Object.values(filter).every((value) => value === undefined)) return snapshot.cellsPublished;
  const wanted = codedFilter(filter);
  if (wanted === null) return 0;
  let n = 0;
  for (const _row of matchingRows(snapshotFile(db, snapshot.id), wanted)) n++;
  return n;
}

/** Published cells of a snapshot matching the filter, in the snapshot's own (stable) order. */
export function findCells(db: Db, snapshotId: number, filter: CellFilter, page: { limit?: number; offset?: number } = {}): CellRow[] {
  const wanted = codedFilter(filter);
  if (wanted === null) return [];
  const file = snapshotFile(db, snapshotId);
  const limit = page.limit ?? 1000;
  let skip = page.offset ?? 0;
  const rows: CellRow[] = [];
  for (const row of matchingRows(file, wanted)) {
    if (rows.length >= limit) break;
    if (skip > 0) {
      skip--;
      continue;
    }
    const cell = cellAt(file, row);
    rows.push({ ...cell, cellKey: cellKeyOf(cell), snapshotId });
  }
  return rows;
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
  /** rows from verified reports alone (issue 12); false when absent */
  verified?: boolean;
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
  lookups: LadderLookups,
  names: Names,
): FallbackResult {
  const ladder = requestLadder(request, lookups);
  const wanted = ladder[0]!;
  const counted = request.verified ? "verified reports" : "reports";
  for (const step of ladder) {
    const [cell] = findCells(db, snapshot.id, {
      cpt: request.cpt, geoLevel: step.geoLevel, geo: step.geo, channel: request.channel, platform: request.platform,
      payer: request.payer, licenseLevel: step.licenseLevel, license: step.license, modality: step.modality,
      yearWindow: request.yearWindow, verified: request.verified ?? false,
    }, { limit: 1 });
    if (cell) return { cell, step, note: step === wanted ? null : generalizationNote(wanted, step, snapshot.k, names, counted) };
  }
  return { cell: null, note: notPublishedNote(snapshot.k, counted) };
}

/** The note when no step of the ladder is published. */
export function notPublishedNote(k: number, counted = "reports"): string {
  return `Not published: fewer than ${k} ${counted}, even for the whole nation and all licenses.`;
}

export function generalizationNote(wanted: LadderStep, shown: LadderStep, k: number, names: Names, counted = "reports"): string {
  const parts: string[] = [];
  if (shown.geoLevel !== wanted.geoLevel) parts.push(`showing ${shown.geoLevel === "national" ? "the whole nation" : `the ${names.geo(shown)} division`}`);
  if (shown.licenseLevel !== wanted.licenseLevel) parts.push(`showing ${shown.licenseLevel === "all" ? "all licenses" : `all ${names.license(shown)} licenses`}`);
  if (shown.modality !== wanted.modality) parts.push("showing in-person and telehealth together");
  const subject = [names.geo(wanted), wanted.licenseLevel === "all" ? null : names.license(wanted)].filter(Boolean).join(", ");
  return `${subject} has fewer than ${k} ${counted}; ${parts.join(", ")}.`;
}

export function sharesFor(db: Db, snapshotId: number, platform: string): ShareRow[] {
  return snapshotFile(db, snapshotId).shares
    .filter((share) => share.platform === platform)
    .sort((a, b) => a.question.localeCompare(b.question))
    .map((share) => ({ ...share, snapshotId }));
}

/** Every published share of a snapshot (issue 15: the shares table of a release), by platform and question. */
export function allShares(db: Db, snapshotId: number): ShareRow[] {
  return snapshotFile(db, snapshotId).shares
    .map((share) => ({ ...share, snapshotId }))
    .sort((a, b) => a.platform.localeCompare(b.platform) || a.question.localeCompare(b.question));
}

/** The insurer-published rates of a snapshot (issue 11), in the snapshot's own order. */
export function payerRatesIn(db: Db, snapshotId: number): readonly PublishedPayerRate[] {
  return snapshotFile(db, snapshotId).payerRates;
}
