// `npm run backup [-- --keep-days N]`: an online backup of DATABASE_PATH (safe while the server
// runs) into `<folder of DATABASE_PATH>/backups/ratecard-YYYYMMDD-HHMMSS.db` (UTC), with the
// published snapshot files beside it in `ratecard-YYYYMMDD-HHMMSS.db.snapshots/`, then expires
// backups older than N days (7 by default), so that a deleted report does not live on in old
// backups (rule "No identity"). Prints what it wrote and what it expired.
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, parseConfig } from "../src/lib/server/config.ts";

export const DEFAULT_KEEP_DAYS = 7;
const BACKUP_NAME = /^ratecard-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(?:-\d+)?\.db$/;
const SNAPSHOT_FILE = /^snapshot-(\d+)\.snapshot$/;
const DAY_MS = 86_400_000;

export type BackupResult = { file: string; bytes: number; snapshotFiles: number; snapshotBytes: number; reports: number; snapshots: number };
export type Expired = { path: string; ageDays: number };

export function backupsDirOf(databasePath: string): string {
  return join(dirname(resolve(databasePath)), "backups");
}

const pad = (n: number) => String(n).padStart(2, "0");
/** `ratecard-20261125-235959.db`, in UTC. */
export function backupFileName(now: Date): string {
  return `ratecard-${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}.db`;
}

/** When a backup was taken, from its name (not its mtime, which a copy may change); null for other files. */
export function backupTime(name: string): Date | null {
  const m = BACKUP_NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** "ok", or the first problems PRAGMA integrity_check finds. */
export function integrityOf(db: Database.Database): string {
  const rows = db.pragma("integrity_check(5)") as { integrity_check: string }[];
  return rows.map((row) => row.integrity_check).join("; ");
}

/** Copies the published snapshot files whose snapshot is in the backup (files are immutable). */
function copySnapshotFiles(fromDir: string, toDir: string, ids: Set<number>): { files: number; bytes: number } {
  if (!existsSync(fromDir)) return { files: 0, bytes: 0 };
  mkdirSync(toDir, { recursive: true, mode: 0o700 });
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(fromDir)) {
    const m = SNAPSHOT_FILE.exec(name);
    if (!m || !ids.has(Number(m[1]))) continue;
    const target = join(toDir, name);
    copyFileSync(join(fromDir, name), target);
    fsyncPath(target);
    files++;
    bytes += statSync(target).size;
  }
  fsyncPath(toDir);
  return { files, bytes };
}

/**
 * Writes one backup: SQLite's online backup of the live database (a consistent copy even while
 * the server writes), checked with integrity_check, switched to a single self-contained file
 * (journal_mode=DELETE), synced and renamed into place, then the snapshot files it refers to.
 */
export async function backupDatabase(databasePath: string, options: { now?: Date; dir?: string } = {}): Promise<BackupResult> {
  const source = resolve(databasePath);
  if (!existsSync(source)) throw new Error(`No database at ${source}`);
  const dir = options.dir ?? backupsDirOf(source);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = options.now ?? new Date();
  let name = backupFileName(now);
  for (let n = 2; existsSync(join(dir, name)); n++) name = backupFileName(now).replace(/\.db$/, `-${n}.db`);
  const file = join(dir, name);
  const partial = join(dir, `.${name}.${randomBytes(4).toString("hex")}.partial`);

  const live = new Database(source, { readonly: true, fileMustExist: true });
  try {
    live.pragma("busy_timeout = 5000");
    await live.backup(partial);
    // Exact amounts: readable by the owner only.
    chmodSync(partial, 0o600);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    live.close();
  }

  let reports: number;
  let snapshotIds: Set<number>;
  try {
    const copy = new Database(partial, { fileMustExist: true });
    try {
      copy.pragma("journal_mode = DELETE");
      const integrity = integrityOf(copy);
      if (integrity !== "ok") throw new Error(`The backup failed its integrity check: ${integrity}`);
      reports = (copy.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
      snapshotIds = new Set((copy.prepare("SELECT id FROM snapshots").all() as { id: number }[]).map((row) => row.id));
    } finally {
      copy.close();
    }
    fsyncPath(partial);
    renameSync(partial, file);
    fsyncPath(dir);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }

  // After the database: a snapshot published meanwhile is not in the backup, and its file is skipped.
  const snapshots = copySnapshotFiles(`${source}.snapshots`, `${file}.snapshots`, snapshotIds);
  return { file, bytes: statSync(file).size, snapshotFiles: snapshots.files, snapshotBytes: snapshots.bytes, reports, snapshots: snapshotIds.size };
}

/**
 * Removes backups (and their snapshot folders) taken more than keepDays ago, never the one named in
 * `keep` (the backup just written), and partial files of backups that crashed more than a day ago.
 */
export function expireBackups(dir: string, keepDays: number, options: { now?: Date; keep?: string } = {}): Expired[] {
  const now = options.now ?? new Date();
  if (!existsSync(dir)) return [];
  const expired: Expired[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.endsWith(".partial")) {
      // A backup that crashed midway; never one still being written (those are minutes old at most).
      const ageDays = (now.getTime() - statSync(path).mtimeMs) / DAY_MS;
      if (ageDays > 1) {
        rmSync(path, { force: true });
        expired.push({ path, ageDays });
      }
      continue;
    }
    const taken = backupTime(name);
    if (!taken || path === options.keep) continue;
    const ageDays = (now.getTime() - taken.getTime()) / DAY_MS;
    if (ageDays <= keepDays) continue;
    rmSync(path, { force: true });
    rmSync(`${path}.snapshots`, { recursive: true, force: true });
    expired.push({ path, ageDays });
  }
  if (expired.length > 0) fsyncPath(dir);
  return expired;
}

function parseKeepDays(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_KEEP_DAYS;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(days) || days > 3650) throw new Error(`--keep-days must be a whole number of days from 0 to 3650 (got ${JSON.stringify(raw)})`);
  return days;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  let databasePath: string;
  let keepDays: number;
  try {
    const { values } = parseArgs({ options: { "keep-days": { type: "string" } }, allowPositionals: false });
    keepDays = parseKeepDays(values["keep-days"]);
    databasePath = parseConfig(process.env).DATABASE_PATH;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(error instanceof ConfigError ? 78 : 2);
  }
  const started = performance.now();
  const result = await backupDatabase(databasePath);
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Backed up ${databasePath} to ${result.file}: ${mb(result.bytes)}, ${result.reports} reports, ${result.snapshots} snapshots; ` +
      `${result.snapshotFiles} snapshot files (${mb(result.snapshotBytes)}) in ${basename(result.file)}.snapshots/ (${seconds.toFixed(1)} s).`,
  );
  const expired = expireBackups(dirname(result.file), keepDays, { keep: result.file });
  for (const { path, ageDays } of expired) console.log(`Expired ${path} (${ageDays.toFixed(1)} days old; keeping ${keepDays} days).`);
  if (expired.length === 0) console.log(`Nothing to expire (keeping ${keepDays} days).`);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(`Backup failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
