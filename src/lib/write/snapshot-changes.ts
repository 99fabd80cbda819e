// Records what a snapshot changed when it is built (issue 15 item 6; decision 0027): the cells it
// added, changed or removed against the snapshot before it (when of the same kind), with their
// published figures, into cell_changes. Everything recorded is already published in the two files.
import { asc, eq } from "drizzle-orm";
import { cellChanges, snapshots } from "../../../db/schema.ts";
import { cellKeyOf } from "../rules/cell-key.ts";
import type { Connection } from "../server/db.ts";
import { comparablePrevious, packState, sameFigures, sameTake, type ChangeKind, type PackedFigures } from "../read/cell-changes.ts";
import { takeOnRates } from "../read/payer-rates.ts";
import { readPublishedFile, type Snapshot } from "../read/published.ts";
import { cellAt, type SnapshotFile } from "../read/snapshot-file.ts";

export type ChangeRecord = { cellKey: string; kind: ChangeKind; verified: boolean; figures: PackedFigures | null };

/** A snapshot's published cells with what is needed for their take on published rates. */
export type PublishedSide = { file: SnapshotFile; isDemo: boolean };

/** The dimensions of a cell's key, as the file codes them (with the verified column). */
const KEY_COLUMNS = ["cpt", "geoLevel", "geo", "channel", "platform", "payer", "licenseLevel", "license", "modality", "yearWindow"] as const;
/** Its published figures (cell-changes.ts FIGURES), by the file's two kinds of column. */
const CODED_FIGURES = ["nBand", "p25Band", "p50Band", "p75Band", "verifiedNBand"] as const;
const INTEGER_FIGURES = ["n", "p10", "p25", "p50", "p75", "p90", "p50ShareInBand", "medicare", "p50PctMedicare", "allowedP50", "takeP50", "takeLow", "takeHigh"] as const;
/** How far ahead in the earlier file a cell is looked for before the index is asked. */
const LOOK_AHEAD = 8;

/**
 * The cells `after` adds, changes (figures, or only the take on published rates) or removes against
 * `before`. Compared column by column in the files' codes (a million-report snapshot in about a
 * second), with a cell's key, figures and take decoded only for the cells recorded.
 */
export function changesBetween(before: PublishedSide, after: PublishedSide): ChangeRecord[] {
  const a = before.file;
  const b = after.file;
  // Each of a's codes as b's code of the same value (-1: b has no such value), per column.
  const toB = (column: (typeof KEY_COLUMNS)[number] | (typeof CODED_FIGURES)[number]) => {
    const index = new Map(b.dictionaries[column].map((value, code) => [value, code]));
    return Int32Array.from(a.dictionaries[column], (value) => index.get(value) ?? -1);
  };
  // A cell's key as one number: b's codes in mixed radix, then the verified bit. Column by column,
  // which keeps each loop tight; a row of a with a value b lacks cannot be a cell of b (key -1).
  let weight = 2;
  const keysA = Float64Array.from(a.integers.verified.subarray(0, a.rows));
  const keysB = Float64Array.from(b.integers.verified.subarray(0, b.rows));
  for (const column of KEY_COLUMNS) {
    const map = toB(column);
    const codesA = a.coded[column];
    const codesB = b.coded[column];
    for (let row = 0; row < a.rows; row++) {
      const code = map[codesA[row]!]!;
      keysA[row] = code < 0 || keysA[row]! < 0 ? -1 : keysA[row]! + code * weight;
    }
    for (let row = 0; row < b.rows; row++) keysB[row] = keysB[row]! + codesB[row]! * weight;
    weight *= b.dictionaries[column].length;
  }
  if (weight > Number.MAX_SAFE_INTEGER) return changesByKeyString(before, after);

  // For each row of b, the row of a of the same cell (-1: added). Both files list cells in the same
  // order while the reference data stays the same, so most rows are found walking both files side
  // by side (looking a few rows ahead past removed cells); the rest through an index of the others.
  const match = new Int32Array(b.rows).fill(-1);
  const matched = new Uint8Array(a.rows);
  let next = 0;
  let unresolved = 0;
  for (let row = 0; row < b.rows; row++) {
    const key = keysB[row]!;
    let found = -1;
    for (let j = next; j < Math.min(a.rows, next + LOOK_AHEAD); j++) {
      if (keysA[j] === key) {
        found = j;
        break;
      }
    }
    if (found < 0) {
      unresolved++;
      continue;
    }
    match[row] = found;
    matched[found] = 1;
    next = found + 1;
  }
  if (unresolved > 0) {
    const earlier = new RowIndex(a.rows);
    for (let row = 0; row < a.rows; row++) if (!matched[row] && keysA[row]! >= 0) earlier.set(keysA[row]!, row);
    for (let row = 0; row < b.rows; row++) {
      if (match[row]! >= 0) continue;
      const old = earlier.get(keysB[row]!);
      match[row] = old;
      if (old >= 0) matched[old] = 1;
    }
  }
  const differs = new Uint8Array(b.rows);
  for (const column of CODED_FIGURES) {
    const map = toB(column);
    const codesA = a.coded[column];
    const codesB = b.coded[column];
    for (let row = 0; row < b.rows; row++) {
      const old = match[row]!;
      if (old >= 0 && map[codesA[old]!] !== codesB[row]) differs[row] = 1;
    }
  }
  for (const column of INTEGER_FIGURES) {
    const intsA = a.integers[column];
    const intsB = b.integers[column];
    for (let row = 0; row < b.rows; row++) {
      const old = match[row]!;
      if (old >= 0 && intsA[old] !== intsB[row]) differs[row] = 1;
    }
  }

  const takeBefore = takeOnRates(a.payerRates, before.isDemo);
  const takeAfter = takeOnRates(b.payerRates, after.isDemo);
  const priced = pricedCells(before, after);
  const records: ChangeRecord[] = [];
  for (let row = 0; row < b.rows; row++) {
    const old = match[row]!;
    let kind: ChangeKind | null;
    if (old < 0) kind = "added";
    else if (differs[row]) kind = "changed";
    else if (priced(row)) kind = sameTake(takeBefore(cellAt(a, old)), takeAfter(cellAt(b, row))) ? null : "take";
    else kind = null;
    if (kind) {
      const cell = cellAt(b, row);
      records.push({ cellKey: cellKeyOf(cell), kind, verified: cell.verified, figures: packState({ cell, take: takeAfter(cell) }) });
    }
  }
  for (let row = 0; row < a.rows; row++) {
    if (!matched[row]) records.push({ cellKey: cellKeyOf(cellAt(a, row)), kind: "removed", verified: a.integers.verified[row] === 1, figures: null });
  }
  return records;
}

/**
 * Rows by numeric key (non-negative safe integers) in typed arrays with open addressing: a Map of
 * 3.5 million number keys above 2^31 costs several times as much.
 */
class RowIndex {
  #keys: Float64Array;
  #rows: Int32Array;
  #mask: number;

  constructor(size: number) {
    let capacity = 16;
    while (capacity < size * 2) capacity *= 2;
    this.#keys = new Float64Array(capacity);
    this.#rows = new Int32Array(capacity).fill(-1);
    this.#mask = capacity - 1;
  }

  #slot(key: number): number {
    const low = key >>> 0;
    const high = Math.floor(key / 4_294_967_296) >>> 0;
    let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    let slot = Math.imul(h, 0xc2b2ae35) & this.#mask;
    while (this.#rows[slot]! >= 0 && this.#keys[slot] !== key) slot = (slot + 1) & this.#mask;
    return slot;
  }

  set(key: number, row: number): void {
    const slot = this.#slot(key);
    this.#keys[slot] = key;
    this.#rows[slot] = row;
  }

  /** The row of a key, or -1. */
  get(key: number): number {
    return this.#rows[this.#slot(key)]!;
  }
}

/** Whether a row of `after` names a payer, platform and CPT that either snapshot has published rates for. */
function pricedCells(before: PublishedSide, after: PublishedSide): (row: number) => boolean {
  const b = after.file;
  const code = (column: "payer" | "platform" | "cpt", value: string) => b.dictionaries[column].indexOf(value);
  const triples = new Set<number>();
  for (const side of [before, after]) {
    if (side.isDemo) continue; // demo snapshots publish no take on published rates
    for (const rate of side.file.payerRates) {
      const [payer, platform, cpt] = [code("payer", rate.payer), code("platform", rate.platform), code("cpt", rate.cpt)];
      if (payer >= 0 && platform >= 0 && cpt >= 0) triples.add((payer * 65_536 + platform) * 65_536 + cpt);
    }
  }
  if (triples.size === 0) return () => false;
  return (row) => triples.has((b.coded.payer[row]! * 65_536 + b.coded.platform[row]!) * 65_536 + b.coded.cpt[row]!);
}

/** The same comparison by decoded cells and key strings: for files whose dictionaries are too large for a numeric key. */
export function changesByKeyString(before: PublishedSide, after: PublishedSide): ChangeRecord[] {
  const takeBefore = takeOnRates(before.file.payerRates, before.isDemo);
  const takeAfter = takeOnRates(after.file.payerRates, after.isDemo);
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

/** The changes of a snapshot about to be published as `file`, against `previous` (the latest snapshot), if comparable. */
export function changesAgainst(connection: Connection, previous: Snapshot | undefined, file: () => SnapshotFile, isDemo: boolean): ChangeRecord[] {
  if (!previous || previous.isDemo !== isDemo) return []; // a first snapshot of its kind: nothing to read
  return changesBetween({ file: readPublishedFile(connection.db, previous.id), isDemo: previous.isDemo }, { file: file(), isDemo });
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
  // Consecutive snapshots are compared in turn, so a file read as "after" serves next as "before".
  let last: { id: number; file: SnapshotFile } | null = null;
  const fileOf = (id: number) => (last?.id === id ? last.file : readPublishedFile(db, id));
  for (const snapshot of missing) {
    const previous = comparablePrevious(snapshot, all[all.indexOf(snapshot) - 1]);
    const file = previous ? fileOf(snapshot.id) : null;
    const records = previous && file ? changesBetween({ file: fileOf(previous.id), isDemo: previous.isDemo }, { file, isDemo: snapshot.isDemo }) : [];
    last = file && { id: snapshot.id, file };
    sqlite.transaction(() => {
      db.delete(cellChanges).where(eq(cellChanges.snapshotId, snapshot.id)).run();
      insertChanges(connection, snapshot.id, records);
      db.update(snapshots).set({ changesRecorded: true }).where(eq(snapshots.id, snapshot.id)).run();
    })();
    progress(++done, missing.length);
  }
  return done;
}
