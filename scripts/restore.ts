// `npm run restore -- FILE`: puts a backup made by `npm run backup` back as DATABASE_PATH.
// Stop the server first: the restore refuses while any process has the database open. The file is
// checked (a Ratecard database: reports and snapshots tables, PRAGMA integrity_check = ok), copied
// beside DATABASE_PATH, synced, and renamed over it, so the database is at every moment either the
// old one or the restored one; stale -wal/-shm files are removed first (after the old database has
// been checkpointed, so nothing is lost if the restore stops halfway). The snapshot files in
// `FILE.snapshots/` replace `<DATABASE_PATH>.snapshots/`. Reports erased since the backup was made
// (the tombstones in `<DATABASE_PATH>.ledger/`) are erased from the copy before it is put in place.
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError, parseConfig } from "../src/lib/server/config.ts";
import { readTombstones } from "../src/lib/write/ledger.ts";
import { fsyncPath, integrityOf } from "./backup.ts";

export class RestoreError extends Error {}

export type RestoreResult = { database: string; bytes: number; reports: number; erased: number; snapshots: number; snapshotFiles: number | null; missingSnapshotFiles: number[] };

/** Deletes the tombstoned reports (and, by cascade, their rates) from a database being restored. */
function eraseTombstoned(copy: Database.Database, ids: readonly string[]): number {
  copy.pragma("foreign_keys = ON");
  copy.pragma("secure_delete = ON");
  const remove = copy.prepare("DELETE FROM reports WHERE id = ?");
  return copy.transaction(() => ids.reduce((erased, id) => erased + remove.run(id).changes, 0))();
}

const REQUIRED_TABLES = ["reports", "rates", "snapshots"];
const SNAPSHOT_FILE = /^snapshot-(\d+)\.snapshot$/;

/** Opens FILE read-only and checks it is a sound Ratecard database; returns its report and snapshot ids. */
export function verifyBackup(file: string): { reports: number; snapshotIds: number[] } {
  if (!existsSync(file) || !statSync(file).isFile()) throw new RestoreError(`No backup file at ${file}`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new RestoreError(`${file} is not an SQLite database (${(error as Error).message})`);
  }
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name));
    const missing = REQUIRED_TABLES.filter((table) => !tables.has(table));
    if (missing.length > 0) throw new RestoreError(`${file} is not a Ratecard database (no ${missing.join(", ")} table)`);
    const integrity = integrityOf(db);
    if (integrity !== "ok") throw new RestoreError(`${file} failed PRAGMA integrity_check: ${integrity}`);
    const reports = (db.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
    const snapshotIds = (db.prepare("SELECT id FROM snapshots ORDER BY id").all() as { id: number }[]).map((row) => row.id);
    return { reports, snapshotIds };
  } catch (error) {
    if (error instanceof RestoreError) throw error;
    throw new RestoreError(`${file} is not a readable SQLite database (${(error as Error).message})`);
  } finally {
    db.close();
  }
}

/**
 * Refuses when another process (a running server, a script) has the database open, and otherwise
 * checkpoints it so that its -wal file holds nothing the main file lacks.
 */
export function assertNotInUse(databasePath: string): void {
  if (!existsSync(databasePath)) return;
  const db = new Database(databasePath, { fileMustExist: true, timeout: 0 });
  try {
    // In WAL mode every open connection holds a shared lock; an exclusive one is granted only when none does.
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT");
    db.pragma("wal_checkpoint(TRUNCATE)");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
      throw new RestoreError(`${databasePath} is in use (a running server?): stop it first, then restore.`);
    }
    // A damaged database is what a restore is for: no server can be using it, replace it.
    if (code.startsWith("SQLITE_NOTADB") || code.startsWith("SQLITE_CORRUPT")) return;
    throw error;
  } finally {
    db.close();
  }
}

/** Replaces the snapshot folder with the backup's (built beside it, then swapped in). */
function restoreSnapshotFiles(fromDir: string, toDir: string): number {
  const staging = `${toDir}.restoring-${randomBytes(4).toString("hex")}`;
  cpSync(fromDir, staging, { recursive: true, filter: (src) => src === fromDir || SNAPSHOT_FILE.test(src.slice(fromDir.length + 1)) });
  const files = readdirSync(staging).length;
  for (const name of readdirSync(staging)) fsyncPath(join(staging, name));
  const old = `${toDir}.replaced-${randomBytes(4).toString("hex")}`;
  if (existsSync(toDir)) renameSync(toDir, old);
  renameSync(staging, toDir);
  fsyncPath(dirname(toDir));
  rmSync(old, { recursive: true, force: true });
  return files;
}

export function restoreDatabase(file: string, databasePath: string): RestoreResult {
  const source = resolve(file);
  const target = resolve(databasePath);
  if (source === target) throw new RestoreError("The backup file is the database itself");
  const { reports, snapshotIds } = verifyBackup(source);
  assertNotInUse(target);

  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${randomBytes(6).toString("hex")}.restoring`);
  let erased: number | undefined;
  try {
    copyFileSync(source, temporary);
    // A backup from `npm run backup` is a single file (journal_mode=DELETE); one copied from a live
    // database in WAL mode is made self-contained here, then checked again as it will be served.
    const copy = new Database(temporary, { fileMustExist: true });
    try {
      copy.pragma("journal_mode = DELETE");
      const integrity = integrityOf(copy);
      if (integrity !== "ok") throw new RestoreError(`The copy failed PRAGMA integrity_check: ${integrity}`);
      erased = eraseTombstoned(copy, readTombstones(target));
    } finally {
      copy.close();
    }
    fsyncPath(temporary);
    // The old database was checkpointed above: its -wal adds nothing, and it must not be applied to the new file.
    rmSync(`${target}-wal`, { force: true });
    rmSync(`${target}-shm`, { force: true });
    rmSync(`${target}-journal`, { force: true });
    renameSync(temporary, target);
    fsyncPath(dir);
  } finally {
    rmSync(temporary, { force: true });
  }

  let snapshotFiles: number | null = null;
  if (existsSync(`${source}.snapshots`)) snapshotFiles = restoreSnapshotFiles(`${source}.snapshots`, `${target}.snapshots`);
  const present = existsSync(`${target}.snapshots`) ? new Set(readdirSync(`${target}.snapshots`)) : new Set<string>();
  const missingSnapshotFiles = snapshotIds.filter((id) => !present.has(`snapshot-${id}.snapshot`));
  return { database: target, bytes: statSync(target).size, reports: reports - (erased ?? 0), erased: erased ?? 0, snapshots: snapshotIds.length, snapshotFiles, missingSnapshotFiles };
}

function main(): void {
  const args = process.argv.slice(2).filter((arg) => arg !== "--");
  if (args.length !== 1 || args[0]!.startsWith("-")) {
    console.error("Usage: npm run restore -- FILE   (a backup written by npm run backup; stop the server first)");
    process.exit(2);
  }
  let databasePath: string;
  try {
    databasePath = parseConfig(process.env).DATABASE_PATH;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(error instanceof ConfigError ? 78 : 2);
  }
  try {
    const result = restoreDatabase(args[0]!, databasePath);
    console.log(
      `Restored ${resolve(args[0]!)} to ${result.database}: ${(result.bytes / 1024 / 1024).toFixed(1)} MB, ${result.reports} reports, ${result.snapshots} snapshots; ` +
        (result.erased > 0 ? `${result.erased} reports deleted since the backup erased again; ` : "") +
        (result.snapshotFiles === null ? "the backup has no snapshot folder, the existing one was kept." : `${result.snapshotFiles} snapshot files restored.`),
    );
    if (result.missingSnapshotFiles.length > 0) {
      console.warn(`Warning: no file for snapshot ${result.missingSnapshotFiles.join(", ")}; publish a new snapshot (npm run snapshot) before serving.`);
    }
    console.log("Start the server again to serve the restored database.");
  } catch (error) {
    if (error instanceof RestoreError) {
      console.error(`Restore refused: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}

if (import.meta.main) main();
