// What changed between two snapshots: cells added, removed, and changed (any published figure),
// matched by cell key. Snapshots are immutable, so each comparison is computed once per process.
import type { Db } from "../../server/db.ts";
import { comparablePrevious, recordedChanges } from "../cell-changes.ts";
import { diffCells, type CellChange as CellChangeOf, type CellDiff } from "../cell-diff.ts";
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

export type CellChange = CellChangeOf<CellRow>;

export type Changelog = { snapshot: number; previous: number | null } & CellDiff<CellRow>;

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
  // Recorded when the snapshot was built (issue 15); compared file by file only if not (yet).
  const diff = recordedChanges(db, snapshot, previous, filter, examples)
    ?? diffCells(previous ? allCells(db, previous.id, filter) : [], allCells(db, snapshot.id, filter), (cell) => cell.cellKey, figures, examples);
  const log: Changelog = { snapshot: snapshot.id, previous: previous?.id ?? null, ...diff };
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  memo.set(key, log);
  return log;
}

export { comparablePrevious };
