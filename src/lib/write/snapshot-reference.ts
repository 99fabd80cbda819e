// Writes the reference-table copy a snapshot is published with (src/lib/read/release/reference-copy.ts).
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { REFERENCE_TABLES } from "../schemas/api.ts";
import type { Db } from "../server/db.ts";
import { referenceRows } from "../read/api/reference-rows.ts";
import { encodeReferenceCopy, type ReferenceCopy } from "../read/release/reference-copy.ts";

/** The current reference tables as published by the API, written and synced to a new file. */
export function writeReferenceCopy(db: Db, path: string): void {
  const copy = Object.fromEntries(REFERENCE_TABLES.map((table) => [table, referenceRows(db, table)])) as ReferenceCopy;
  const fd = openSync(path, "wx");
  try {
    writeSync(fd, encodeReferenceCopy(copy));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
