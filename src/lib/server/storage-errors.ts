// Failures of the disk rather than of the request: a full or read-only disk gets a 503, never a 500.
import Database from "better-sqlite3";

const STORAGE_CODES = /^SQLITE_(READONLY|FULL|IOERR|CANTOPEN|BUSY|LOCKED|CORRUPT|NOTADB|PERM)/;

export function isStorageFailure(error: unknown): boolean {
  if (error instanceof Database.SqliteError) return STORAGE_CODES.test(error.code);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && ["ENOSPC", "EROFS", "EACCES", "EIO"].includes(code);
}

export const STORAGE_UNAVAILABLE_MESSAGE =
  "Ratecard cannot save or change reports right now (storage problem). Nothing was saved; please try again later.";
export const STORAGE_RETRY_AFTER_SECONDS = 300;
