// What the server must remember outside the database, because a restore replaces the database:
// the ids of erased reports (tombstones, applied again after a restore) and the highest snapshot
// id ever published (ids are promised immutable to caches, so none is ever reused).
// Both live in `<DATABASE_PATH>.ledger/`, which backups and restores leave alone.
import type Database from "better-sqlite3";
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const TOMBSTONES = "erased-reports";
const HIGH_WATER = "snapshot-high-water";
const REPORT_ID = /^[a-z2-7]{16}$/;

/** The ledger folder of a database file; none for an in-memory database. */
export function ledgerDirFor(databasePath: string): string {
  return `${resolve(databasePath)}.ledger`;
}

function ledgerOf(sqlite: Database.Database): string | null {
  return sqlite.memory || sqlite.readonly ? null : ledgerDirFor(sqlite.name);
}

function fsyncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Notes that a report is erased, durably, before it is deleted. The line holds the report's
 * random id only: no time, no receipt, nothing that links it to anything but the report itself.
 */
export function recordTombstone(sqlite: Database.Database, reportId: string): void {
  const dir = ledgerOf(sqlite);
  if (!dir || !REPORT_ID.test(reportId)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, TOMBSTONES);
  appendFileSync(file, `${reportId}\n`, { mode: 0o600 });
  fsyncFile(file);
}

/** The ids of every report erased from this database since its ledger began. */
export function readTombstones(databasePath: string): string[] {
  const file = join(ledgerDirFor(databasePath), TOMBSTONES);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter((line) => REPORT_ID.test(line));
}

/** The highest snapshot id this database ever published, whatever its file holds now. */
export function snapshotHighWater(sqlite: Database.Database): number {
  const dir = ledgerOf(sqlite);
  if (!dir) return 0;
  const file = join(dir, HIGH_WATER);
  if (!existsSync(file)) return 0;
  const value = Number(readFileSync(file, "utf8").trim());
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/** Records a snapshot id before it is published, so that it is never handed out again. */
export function raiseSnapshotHighWater(sqlite: Database.Database, id: number): void {
  const dir = ledgerOf(sqlite);
  if (!dir || id <= snapshotHighWater(sqlite)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, HIGH_WATER);
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${id}\n`, { mode: 0o600 });
  fsyncFile(temporary);
  renameSync(temporary, file);
}
