// Rejected reports are kept RATECARD_REJECTED_RETENTION (30 days by default), for a moderator to
// reconsider, then erased like a deletion by receipt: tombstone, delete, checkpoint.
import { and, eq, isNull, lte } from "drizzle-orm";
import { reportRejections, reports } from "../../../db/schema.ts";
import type { Connection } from "../server/db.ts";
import { finishErasure } from "./erasure.ts";
import { recordTombstone } from "./ledger.ts";

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** Erases every report rejected on or before `now - retentionMs` (to the day); returns how many. */
export function eraseExpiredRejections(connection: Connection, retentionMs: number, now = new Date()): number {
  if (connection.readOnlyDisk) return 0;
  const { db, sqlite } = connection;
  // Reports rejected before rejection days were recorded start their retention today.
  const undated = db.select({ id: reports.id }).from(reports)
    .leftJoin(reportRejections, eq(reportRejections.reportId, reports.id))
    .where(and(eq(reports.reviewStatus, "rejected"), isNull(reportRejections.reportId))).all();
  if (undated.length > 0) {
    db.insert(reportRejections).values(undated.map(({ id }) => ({ reportId: id, rejectedOn: dayOf(now) }))).onConflictDoNothing().run();
  }
  const cutoff = dayOf(new Date(now.getTime() - retentionMs));
  const expired = db.select({ id: reportRejections.reportId }).from(reportRejections)
    .innerJoin(reports, eq(reports.id, reportRejections.reportId))
    .where(and(eq(reports.reviewStatus, "rejected"), lte(reportRejections.rejectedOn, cutoff))).all();
  if (expired.length === 0) return 0;
  for (const { id } of expired) recordTombstone(sqlite, id);
  const erased = db.transaction((tx) => expired.reduce((n, { id }) => n + tx.delete(reports).where(eq(reports.id, id)).run().changes, 0));
  finishErasure(sqlite);
  return erased;
}
