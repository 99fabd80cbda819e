// Records what a snapshot changed when it is built (issue 15 item 6; decision 0027): the cells it
// added, changed or removed against the snapshot before it (when of the same kind), with their
// published figures, into cell_changes. Everything recorded is already published in the two files.
import { asc, eq } from "drizzle-orm";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cellChanges, snapshots } from "../../../db/schema.ts";
import { cellKeyOf } from "../rules/cell-key.ts";
import { snapshotsDirOf, type Connection } from "../server/db.ts";
import { comparablePrevious, packState, sameFigures, sameTake, takeIndex, type ChangeKind, type PackedFigures } from "../read/cell-changes.ts";
import { snapshotFileName, type Snapshot } from "../read/published.ts";
import { cellAt, readSnapshotFile, type SnapshotFile } from "../read/snapshot-file.ts";

export type ChangeRecord = { cellKey: string; kind: ChangeKind; verified: boolean; figures: PackedFigures | null };

/** A snapshot's published cells with what is needed for their take on published rates. */
export type PublishedSide = { file: SnapshotFile; isDemo: boolean };

/** The cells `after` adds, changes (figures, or only the take on published rates) or removes against `before`. */
export function changesBetween(before: PublishedSide, after: PublishedSide): ChangeRecord[] {
  const takeBefore = takeIndex(before.file.payerRates, before.isDemo);
  const takeAfter = takeIndex(after.file.payerRates, after.isDemo);
  const earlier = new Map<string, number>();
  for (let row = 0; row < before.file.rows; row++) earlier.set(cellKeyOf(cellAt(before.file, row)), row);
  const records: ChangeRecord[] = [];
  for (let row = 0; row < after.file.rows; row++) {
    const cell = cellAt(after.file, row);
    const cellKey = cellKeyOf(cell);
    const take = takeAfter(cell);
    const old = earlier.get(cellKey);
    let kind: ChangeKind | null = "added";
    if (old !== undefined) {
      earlier.delete(cellKey);
      const oldCell = cellAt(before.file, old);
      kind = !sameFigures(oldCell, cell) ? "changed" : !sameTake(takeBefore(oldCell), take) ? "take" : null;
    }
    if (kind) records.push({ cellKey, kind, verified: cell.verified, figures: packState({ cell, take }) });
  }
  for (const [cellKey, row] of earlier) records.push({ cellKey, kind: "removed", verified: before.file.integers.verified[row] === 1, figures: null });
  return records;
}

export function insertChanges(connection: Connection, snapshotId: number, records: readonly ChangeRecord[]): void {
  const insert = connection.sqlite.prepare("INSERT INTO cell_changes (cell_key, snapshot_id, kind, verified, figures) VALUES (?, ?, ?, ?, ?)");
  for (const r of records) insert.run(r.cellKey, snapshotId, r.kind, r.verified ? 1 : 0, r.figures === null ? null : JSON.stringify(r.figures));
}

function fileOf(connection: Connection, id: number): SnapshotFile {
  return readSnapshotFile(readFileSync(join(snapshotsDirOf(connection.sqlite), snapshotFileName(id))));
}

/** The changes of a snapshot about to be published as `file`, against `previous` (the latest snapshot), if comparable. */
export function changesAgainst(connection: Connection, previous: Snapshot | undefined, file: SnapshotFile, isDemo: boolean): ChangeRecord[] {
  if (!previous || previous.isDemo !== isDemo) return [];
  return changesBetween({ file: fileOf(connection, previous.id), isDemo: previous.isDemo }, { file, isDemo });
}

/**
 * Records the changes of every snapshot published before they were recorded (a database from
 * before issue 15), oldest first, each in its own transaction. Returns how many it recorded.
 */
export function recordMissingChanges(connection: Connection, progress: (done: number, total: number) => void = () => {}): number {
  const { db, sqlite } = connection;
  const all = db.select().from(snapshots).orderBy(asc(snapshots.id)).all();
  const missing = all.filter((s) => !s.changesRecorded);
  let done = 0;
  for (const snapshot of missing) {
    const previous = comparablePrevious(snapshot, all[all.indexOf(snapshot) - 1]);
    const records = previous ? changesBetween({ file: fileOf(connection, previous.id), isDemo: previous.isDemo }, { file: fileOf(connection, snapshot.id), isDemo: snapshot.isDemo }) : [];
    sqlite.transaction(() => {
      db.delete(cellChanges).where(eq(cellChanges.snapshotId, snapshot.id)).run();
      insertChanges(connection, snapshot.id, records);
      db.update(snapshots).set({ changesRecorded: true }).where(eq(snapshots.id, snapshot.id)).run();
    })();
    progress(++done, missing.length);
  }
  return done;
}
