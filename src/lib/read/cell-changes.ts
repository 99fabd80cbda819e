// What each snapshot changed, as recorded when it was built (issue 15 item 6; decision 0027):
// a cell's history and a snapshot's changelog come from the cell_changes table and at most a
// few snapshot files (the first of each run of one kind), not from every earlier file. Snapshots
// not recorded yet (none, once the server has started) are read from their files as before.
import { and, asc, count, eq, lte, ne } from "drizzle-orm";
import { cellChanges } from "../../../db/schema.ts";
import { cellKeyOf, parseCellKey, type CellDimensions } from "../rules/cell-key.ts";
import { NATIONAL } from "../rules/ladders.ts";
import type { PublishedTake } from "../rules/published-rates.ts";
import type { Db } from "../server/db.ts";
import type { CellDiff } from "./cell-diff.ts";
import { publishedTakeOf } from "./payer-rates.ts";
import { countCells, findCells, listSnapshots, type CellFilter, type CellRow, type Snapshot } from "./published.ts";
import type { CellValues } from "./snapshot-file.ts";

export type ChangeKind = "added" | "changed" | "removed" | "take";
export type PackedFigures = (string | number | null)[];

/** The published figures of a cell, in the order they are packed (the dimensions are in its key). */
const FIGURES = [
  "n", "nBand", "p10", "p25", "p50", "p75", "p90", "p25Band", "p50Band", "p75Band", "p50ShareInBand", "medicare",
  "p50PctMedicare", "allowedP50", "takeP50", "takeLow", "takeHigh", "verifiedNBand",
] as const satisfies readonly (keyof CellValues)[];
const TAKE = ["publishedRate", "takePublishedP50", "takePublishedLow", "takePublishedHigh"] as const satisfies readonly (keyof PublishedTake)[];

const PACKED = [...FIGURES, ...TAKE] as const;
/** A packed row as a tuple of its length, to take apart by position. */
type Unpacked<T extends readonly unknown[]> = { [K in keyof T]: never };

/** A cell as published in one snapshot: its figures and its take on the insurer's published rate. */
export type PublishedState = { cell: CellValues; take: PublishedTake };

export function packState(state: PublishedState): PackedFigures {
  return [...FIGURES.map((f) => state.cell[f]), ...TAKE.map((t) => state.take[t])];
}

export function unpackState(cellKey: string, packed: PackedFigures, dimensions = parseCellKey(cellKey)): PublishedState {
  if (!dimensions || packed.length !== PACKED.length) throw new Error(`cell_changes holds a malformed row for ${cellKey}`);
  // One literal in FIGURES order (a fixed shape, as cellAt makes): copied once per snapshot of a history.
  const [n, nBand, p10, p25, p50, p75, p90, p25Band, p50Band, p75Band, p50ShareInBand, medicare, p50PctMedicare, allowedP50, takeP50, takeLow, takeHigh,
    verifiedNBand, publishedRate, takePublishedP50, takePublishedLow, takePublishedHigh] = packed as unknown as Unpacked<typeof PACKED>;
  const cell: CellValues = {
    cpt: dimensions.cpt, geoLevel: dimensions.geoLevel, geo: dimensions.geo, channel: dimensions.channel, platform: dimensions.platform, payer: dimensions.payer,
    licenseLevel: dimensions.licenseLevel, license: dimensions.license, modality: dimensions.modality, yearWindow: dimensions.yearWindow,
    n, nBand, p10, p25, p50, p75, p90, p25Band, p50Band, p75Band, p50ShareInBand, medicare, p50PctMedicare, allowedP50, takeP50, takeLow, takeHigh,
    verified: dimensions.verified, verifiedNBand,
  };
  return { cell, take: { publishedRate, takePublishedP50, takePublishedLow, takePublishedHigh } };
}

/** Whether two states of one cell publish the same figures (the changelog's "changed"). */
export function sameFigures(a: CellValues, b: CellValues): boolean {
  return FIGURES.every((f) => a[f] === b[f]);
}

export function sameTake(a: PublishedTake, b: PublishedTake): boolean {
  return TAKE.every((t) => a[t] === b[t]);
}

/**
 * The snapshot to compare with: the one before, unless it was of the other kind. The first crowd
 * snapshot's changes are not a diff against demo data (issue 13 item 17); it is a first snapshot.
 */
export function comparablePrevious(snapshot: Snapshot, previous: Snapshot | undefined): Snapshot | undefined {
  return previous && previous.isDemo === snapshot.isDemo ? previous : undefined;
}

/** The key of a filter that names one whole cell, or null when it leaves a dimension open. */
export function wholeCellKey(filter: CellFilter): string | null {
  const { cpt, geoLevel, channel, platform, payer, licenseLevel, license, modality, yearWindow } = filter;
  if (filter.cellKey !== undefined) return filter.cellKey;
  // The nation is one place: geo_level=national names it without a geo.
  const geo = filter.geo ?? (geoLevel === "national" ? NATIONAL : undefined);
  if (cpt === undefined || geoLevel === undefined || geo === undefined || channel === undefined || platform === undefined || payer === undefined
    || licenseLevel === undefined || license === undefined || modality === undefined || yearWindow === undefined) return null;
  const dimensions: CellDimensions = { cpt, geoLevel, geo, channel, platform, payer, licenseLevel, license, modality, yearWindow };
  return cellKeyOf({ ...dimensions, verified: filter.verified ?? false });
}

/** A cell as a snapshot's file publishes it, or null when that snapshot does not publish it. */
export function stateIn(db: Db, snapshot: Snapshot, cellKey: string): PublishedState | null {
  const [row] = findCells(db, snapshot.id, { cellKey }, { limit: 1 });
  if (!row) return null;
  const { cellKey: _key, snapshotId: _snapshot, ...cell } = row;
  return { cell, take: publishedTakeOf(db, snapshot)(cell) };
}

export type SeriesPoint = { snapshot: Snapshot; cell: CellRow; take: PublishedTake };

/**
 * One cell in every snapshot up to `current` that publishes it, oldest first: one indexed query
 * for its recorded changes, and a file read only for a snapshot that starts a run of its kind
 * (or one not recorded yet).
 */
export function cellSeries(db: Db, current: Snapshot, cellKey: string): SeriesPoint[] {
  const snapshots = listSnapshots(db).filter((s) => s.id <= current.id).reverse();
  const recorded = new Map(
    db.select({ snapshotId: cellChanges.snapshotId, kind: cellChanges.kind, figures: cellChanges.figures }).from(cellChanges)
      .where(and(eq(cellChanges.cellKey, cellKey), lte(cellChanges.snapshotId, current.id)))
      .orderBy(asc(cellChanges.snapshotId)).all()
      .map((row) => [row.snapshotId, row]),
  );
  const points: SeriesPoint[] = [];
  const dimensions = parseCellKey(cellKey);
  let state: PublishedState | null = null;
  snapshots.forEach((snapshot, i) => {
    if (!comparablePrevious(snapshot, snapshots[i - 1]) || !snapshot.changesRecorded) state = stateIn(db, snapshot, cellKey);
    else {
      const change = recorded.get(snapshot.id);
      if (change) state = change.figures === null ? null : unpackState(cellKey, change.figures, dimensions);
    }
    if (state) points.push({ snapshot, cell: { ...state.cell, cellKey, snapshotId: snapshot.id }, take: state.take });
  });
  return points;
}

/** Whether a cell's dimensions match a filter, as findCells matches rows (verified: false unless asked). */
export function matchesFilter(cellKey: string, filter: CellFilter): boolean {
  const cell = parseCellKey(cellKey);
  if (!cell) return false;
  if (filter.cellKey !== undefined && filter.cellKey !== cellKey) return false;
  if (cell.verified !== (filter.verified ?? false)) return false;
  const { cellKey: _key, verified: _verified, ...dimensions } = filter;
  return Object.entries(dimensions).every(([column, value]) => value === undefined || cell[column as keyof CellDimensions] === value);
}

/**
 * A snapshot's changes against `previous` (the comparable one before it) from the recorded rows,
 * or null when they are not recorded (the caller then compares the two files).
 */
export function recordedChanges(db: Db, snapshot: Snapshot, previous: Snapshot | undefined, filter: CellFilter, examples: number): CellDiff<CellRow> | null {
  if (!snapshot.changesRecorded) return null;
  const diff: CellDiff<CellRow> = { added: 0, removed: 0, changed: 0, unchanged: 0, examples: [] };
  const published = countCells(db, snapshot, filter);
  if (!previous) {
    // A first snapshot of its kind: every cell is added (the examples are its first cells).
    const examplesOf = examples > 0 ? findCells(db, snapshot.id, filter, { limit: examples }).map((after) => ({ before: null, after })) : [];
    return { ...diff, added: published, examples: examplesOf };
  }
  const ofSnapshot = and(eq(cellChanges.snapshotId, snapshot.id), eq(cellChanges.verified, filter.verified ?? false), ne(cellChanges.kind, "take"));
  const { verified: _verified, ...dimensions } = filter;
  if (examples === 0 && Object.values(dimensions).every((value) => value === undefined)) {
    // Counts alone of a whole snapshot (the snapshot list): counted in SQL, nothing decoded.
    for (const row of db.select({ kind: cellChanges.kind, n: count() }).from(cellChanges).where(ofSnapshot).groupBy(cellChanges.kind).all()) {
      diff[row.kind as "added" | "changed" | "removed"] = row.n;
    }
    return { ...diff, unchanged: published - diff.added - diff.changed };
  }
  const rows = db.select({ cellKey: cellChanges.cellKey, kind: cellChanges.kind, figures: cellChanges.figures }).from(cellChanges)
    .where(ofSnapshot).orderBy(asc(cellChanges.cellKey)).all()
    .filter((row) => matchesFilter(row.cellKey, filter));
  const after = (row: (typeof rows)[number]): CellRow => ({ ...unpackState(row.cellKey, row.figures!).cell, cellKey: row.cellKey, snapshotId: snapshot.id });
  // The cell in `previous`, from its recorded series.
  const before = (row: (typeof rows)[number]): CellRow | null => {
    const point = cellSeries(db, previous, row.cellKey).at(-1);
    return point && point.snapshot.id === previous.id ? point.cell : null;
  };
  for (const row of rows) diff[row.kind as "added" | "changed" | "removed"]++;
  diff.unchanged = published - diff.added - diff.changed;
  // Examples as the file comparison gives them: changed and added cells first, then removed ones.
  for (const row of [...rows.filter((r) => r.kind !== "removed"), ...rows.filter((r) => r.kind === "removed")].slice(0, examples)) {
    diff.examples.push({ before: row.kind === "added" ? null : before(row), after: row.kind === "removed" ? null : after(row) });
  }
  return diff;
}
