// At start, the data folder is made private: what an older version or a copy by hand left
// readable (the database, its WAL, snapshot files, backups, the secret) becomes owner-only.
import { chmodSync, existsSync, lstatSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** chmod, except on a read-only disk or a file of another user, which the server can only read. */
function setMode(path: string, mode: number): number {
  try {
    chmodSync(path, mode);
    return 1;
  } catch (error) {
    if (["EROFS", "EPERM", "EACCES"].includes((error as NodeJS.ErrnoException).code ?? "")) return 0;
    throw error;
  }
}

function privatize(path: string): number {
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return 0;
  let changed = 0;
  const wanted = stat.isDirectory() ? 0o700 : 0o600;
  if ((stat.mode & 0o777) !== wanted) changed += setMode(path, wanted);
  if (stat.isDirectory()) for (const name of readdirSync(path)) changed += privatize(join(path, name));
  return changed;
}

/**
 * Folders 0700 and files 0600: the database's folder itself, and everything of Ratecard's in it
 * (`<db>`, `<db>-wal`, `<db>.snapshots/`, `<db>.ledger/`, `backups/`, `secret`). Other files a
 * deployment keeps beside the database (DATABASE_PATH=./ratecard.db in a project folder) are left alone.
 * Returns how many modes were changed.
 */
export function makeDataFolderPrivate(databasePath: string): number {
  if (databasePath === ":memory:") return 0;
  const file = resolve(databasePath);
  const dir = dirname(file);
  if (!existsSync(dir)) return 0;
  const ours = (name: string) => name.startsWith(basename(file)) || name === "backups" || name === "secret";
  let changed = 0;
  if ((lstatSync(dir).mode & 0o777) !== 0o700 && readdirSync(dir).every(ours)) changed += setMode(dir, 0o700);
  for (const name of readdirSync(dir)) if (ours(name)) changed += privatize(join(dir, name));
  return changed;
}
