// Each snapshot keeps a copy of the reference tables it was built with, beside its file, so a
// release (Data Package, SQLite) names the very labels and Medicare amounts its cells used, even
// after a moderator edits the reference data.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REFERENCE_TABLES, type ReferenceRow, type ReferenceTable } from "../../schemas/api.ts";
import { snapshotsDirOf, type Db } from "../../server/db.ts";

export type ReferenceCopy = { [T in ReferenceTable]: ReferenceRow<T>[] };

export function referenceCopyFileName(id: number): string {
  return `snapshot-${id}.reference.json`;
}

export function encodeReferenceCopy(copy: ReferenceCopy): Buffer {
  return Buffer.from(JSON.stringify(Object.fromEntries(REFERENCE_TABLES.map((table) => [table, copy[table]]))), "utf8");
}

const loaded = new Map<string, ReferenceCopy>();

/** The reference tables a snapshot was built with, or null for a snapshot published before copies were kept. */
export function snapshotReference(db: Db, snapshotId: number): ReferenceCopy | null {
  const path = join(snapshotsDirOf(db.$client), referenceCopyFileName(snapshotId));
  const cached = loaded.get(path);
  if (cached) return cached;
  if (!existsSync(path)) return null;
  const copy = JSON.parse(readFileSync(path, "utf8")) as ReferenceCopy;
  if (loaded.size >= 8) loaded.delete(loaded.keys().next().value!);
  loaded.set(path, copy);
  return copy;
}
