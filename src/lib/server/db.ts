// Opens the one SQLite database with the settings every privacy and durability promise relies on.
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import * as schema from "../../../db/schema.ts";
import { config } from "./config.ts";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export type Connection = {
  sqlite: Database.Database;
  db: Db;
  /** True when the database's disk is read-only: published pages are served, every write gets a 503. */
  readOnlyDisk?: boolean;
};

const READ_ONLY_DISK = new Set(["EROFS", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_READONLY_DIRECTORY"]);

/**
 * SQLite cannot open a WAL database on a read-only disk (it needs its -shm file). Then the
 * server reads a private copy, opened read-only, and keeps reading snapshots where they are.
 */
function openReadOnlyCopy(path: string): Database.Database {
  removeStaleReadOnlyCopies();
  const dir = mkdtempSync(join(tmpdir(), `${READ_ONLY_COPY_PREFIX}${process.pid}-`));
  const copy = join(dir, basename(path));
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  const sqlite = new Database(copy, { readonly: true, fileMustExist: true });
  snapshotDirOverrides.set(sqlite, `${resolve(path)}.snapshots`);
  // The copy holds reports too: it goes when the process does (and, after a kill, at the next start).
  openCopies.add(dir);
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return sqlite;
}

const READ_ONLY_COPY_PREFIX = "ratecard-readonly-";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes read-only copies left by processes that are gone (killed before their exit hook ran):
 * they hold reports. Called on every start that needs a copy, and by scripts/start.ts.
 */
export function removeStaleReadOnlyCopies(dir = tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const match = new RegExp(`^${READ_ONLY_COPY_PREFIX}(\\d+)-`).exec(name);
    if (!match || (Number(match[1]) !== process.pid && processAlive(Number(match[1])))) continue;
    if (Number(match[1]) === process.pid && openCopies.has(join(dir, name))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

const openCopies = new Set<string>();

/** `readonly` opens an existing database only to read it (tests comparing pages with snapshots). */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Connection {
  let sqlite: Database.Database;
  let readOnlyDisk = false;
  try {
    if (path !== ":memory:" && !options.readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
    sqlite = new Database(path, { readonly: options.readonly ?? false });
    if (!options.readonly) sqlite.pragma("journal_mode = WAL");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (path === ":memory:" || !READ_ONLY_DISK.has(code) || !existsSync(path)) throw error;
    sqlite = openReadOnlyCopy(path);
    readOnlyDisk = true;
  }
  // FULL: a 201 means the report survives power loss, not just a crash (docs/decisions/0001).
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  // Deleted reports are overwritten with zeros, not left in free pages (rule "No identity").
  sqlite.pragma("secure_delete = ON");
  sqlite.pragma("busy_timeout = 5000");
  return { sqlite, db: drizzle({ client: sqlite, schema }), readOnlyDisk };
}

export const MIGRATIONS_FOLDER = resolve(import.meta.dirname ?? ".", "../../../db/migrations");

const memorySnapshotDirs = new WeakMap<Database.Database, string>();
const snapshotDirOverrides = new WeakMap<Database.Database, string>();

/**
 * Where a database keeps its snapshot files: `<file>.snapshots/` beside it, or a temporary
 * folder for an in-memory database (tests).
 */
export function snapshotsDirOf(sqlite: Database.Database): string {
  const override = snapshotDirOverrides.get(sqlite);
  if (override) return override;
  if (sqlite.memory) {
    let dir = memorySnapshotDirs.get(sqlite);
    if (!dir) {
      dir = mkdtempSync(join(tmpdir(), "ratecard-snapshots-"));
      memorySnapshotDirs.set(sqlite, dir);
    }
    return dir;
  }
  return `${resolve(sqlite.name)}.snapshots`;
}

export function migrateDatabase(connection: Connection, migrationsFolder = MIGRATIONS_FOLDER): void {
  migrate(connection.db, { migrationsFolder });
}

let shared: Connection | undefined;

// The server bundle and the start script each have their own copy of this module; a registry on
// globalThis lets shutdown close every connection, so SQLite checkpoints and removes the WAL.
const registryKey = Symbol.for("ratecard.connections");
const openConnections: Set<Database.Database> =
  ((globalThis as Record<symbol, unknown>)[registryKey] as Set<Database.Database> | undefined) ??
  ((globalThis as Record<symbol, unknown>)[registryKey] = new Set<Database.Database>());

/** Closes every connection this process opened through database(). */
export function closeAllDatabases(): void {
  for (const sqlite of openConnections) if (sqlite.open) sqlite.close();
  openConnections.clear();
  shared = undefined;
}


/** The process's connection to DATABASE_PATH, opened on first use. */
export function database(): Connection {
  if (!shared) {
    shared = openDatabase(config().DATABASE_PATH);
    openConnections.add(shared.sqlite);
  }
  return shared;
}

export function closeDatabase(): void {
  if (!shared) return;
  openConnections.delete(shared.sqlite);
  shared.sqlite.close();
  shared = undefined;
}
