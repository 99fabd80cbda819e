// What changed between two snapshots: cells added, removed, and changed (any published figure),
// matched by cell key. Snapshots are immutable, so each comparison is computed once per process.
import type { Db } from "../../server/db.ts";
import { findCells, type CellFilter, type CellRow, type Snapshot } from "../published.ts";

const PAGE = 5000;

/** Every published cell of a snapshot that matches the filter, in cell-key order, a page at a time. */
export function* allCells(db: Db, snapshotId: number, filter: CellFilter = {}): Generator<CellRow> {
  for (let offset = 0; ; offset += PAGE) {
    const page = findCells(db, snapshotId, filter, { limit: PAGE, offset });
    yield* page;
    if (page.length < PAGE) return;
  }
}

export type CellChange = { before: CellRow | null; after: CellRow | null };

export type Changelog = {
  snapshot: number;
  previous: number | null;
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
  /** The first changes found (at most the number asked for): changed and added, then removed. */
  examples: CellChange[];
};

/** Every published figure of a cell, as one comparable string. */
function figures(cell: CellRow): string {
  const { snapshotId: _snapshot, ...rest } = cell;
  return JSON.stringify(rest);
}

const memo = new Map<string, Changelog>();
const MEMO_LIMIT = 1000;

export function snapshotChanges(db: Db, snapshot: Snapshot, previous: Snapshot | undefined, filter: CellFilter = {}, examples = 0): Changelog {
  const key = `${snapshot.id}|${previous?.id ?? ""}|${JSON.stringify(filter)}|${examples}`;
  const known = memo.get(key);
  if (known) return known;
  const log: Changelog = { snapshot: snapshot.id, previous: previous?.id ?? null, added: 0, removed: 0, changed: 0, unchanged: 0, examples: [] };
  const note = (change: CellChange) => {
    if (log.examples.length < examples) log.examples.push(change);
  };
  // Matched by key through a map, so nothing depends on the order findCells returns rows in.
  const earlier = new Map<string, { cell: CellRow; figures: string }>();
  if (previous) for (const cell of allCells(db, previous.id, filter)) earlier.set(cell.cellKey, { cell, figures: figures(cell) });
  for (const cell of allCells(db, snapshot.id, filter)) {
    const old = earlier.get(cell.cellKey);
    if (!old) {
      log.added++;
      note({ before: null, after: cell });
      continue;
    }
    earlier.delete(cell.cellKey);
    if (old.figures === figures(cell)) log.unchanged++;
    else {
      log.changed++;
      note({ before: old.cell, after: cell });
    }
  }
  for (const { cell } of earlier.values()) {
    log.removed++;
    note({ before: cell, after: null });
  }
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  memo.set(key, log);
  return log;
}

/**
 * The snapshot to diff against: the one before, unless it was of the other kind. The first crowd
 * snapshot's changes are not a diff against demo data (issue 13 item 17); it is a first snapshot.
 */
export function comparablePrevious(snapshot: Snapshot, previous: Snapshot | undefined): Snapshot | undefined {
  return previous && previous.isDemo === snapshot.isDemo ? previous : undefined;
}
