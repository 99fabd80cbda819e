// Snapshot ids and dates as published: ids above every id ever published (a restored database
// must not hand out an id that caches were told is immutable), and the creation time to the day,
// so that a report seen being made cannot be isolated by the time of the next snapshot.
import { max } from "drizzle-orm";
import { snapshots } from "../../../db/schema.ts";
import type { Connection } from "../server/db.ts";
import { raiseSnapshotHighWater, snapshotHighWater } from "./ledger.ts";

/** The next snapshot id, recorded in the ledger before it is used. Call inside the insert's transaction. */
export function nextSnapshotId(connection: Connection): number {
  const inDatabase = connection.db.select({ id: max(snapshots.id) }).from(snapshots).get()?.id ?? 0;
  const id = Math.max(inDatabase, snapshotHighWater(connection.sqlite)) + 1;
  raiseSnapshotHighWater(connection.sqlite, id);
  return id;
}

/** `YYYY-MM-DDT00:00:00Z`: the day a snapshot was made, and no finer. */
export function publishedDay(now: Date): string {
  return `${now.toISOString().slice(0, 10)}T00:00:00Z`;
}
