// Readers' reports of a wrong TIN → platform mapping: stored for moderators with the month only
// (no address, agent or time), listed at /mod/reference, and erased once resolved or 90 days old,
// with the WAL checkpointed so that the text leaves both database files.
import { desc, eq, lte } from "drizzle-orm";
import { platforms, tinMappingReports } from "../../../db/schema.ts";
import { fieldErrors, type FieldError } from "../schemas/report.ts";
import { tinMappingReportSchema } from "../schemas/tin-report.ts";
import type { Db } from "../server/db.ts";
import { randomId } from "./receipts.ts";

export type TinMappingReport = typeof tinMappingReports.$inferSelect;

export type TinReportOutcome = { ok: true } | { ok: false; errors: FieldError[] };

/** How long a report is kept at most, counted from the first day of its month (only the month is stored). */
export const TIN_REPORT_RETENTION_DAYS = 90;

const monthOf = (date: Date) => date.toISOString().slice(0, 7);

function checkpointErasure(db: Db): void {
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
}

/**
 * Erases every report whose month began 90 days ago or more: a month M is erased once its first
 * day is 90 days old, so no report is kept longer than 90 days (some, from late in a month, less).
 */
export function eraseOldTinMappingReports(db: Db, now = new Date()): number {
  const cutoff = monthOf(new Date(now.getTime() - TIN_REPORT_RETENTION_DAYS * 86_400_000));
  const erased = db.delete(tinMappingReports).where(lte(tinMappingReports.month, cutoff)).run().changes;
  if (erased > 0) checkpointErasure(db);
  return erased;
}

export function reportTinMapping(db: Db, input: unknown, now = new Date()): TinReportOutcome {
  const parsed = tinMappingReportSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { tin, platform, message } = parsed.data;
  if (platform !== null && !db.select({ slug: platforms.slug }).from(platforms).where(eq(platforms.slug, platform)).get()) {
    return { ok: false, errors: [{ path: "platform", message: "Choose a platform from the list" }] };
  }
  eraseOldTinMappingReports(db, now);
  db.insert(tinMappingReports).values({ id: randomId(), tin, platform, message, month: monthOf(now) }).run();
  return { ok: true };
}

/** The reports moderators still have to check (old ones are erased first). */
export function openTinMappingReports(db: Db, now = new Date()): TinMappingReport[] {
  eraseOldTinMappingReports(db, now);
  return db.select().from(tinMappingReports).where(eq(tinMappingReports.status, "open")).orderBy(desc(tinMappingReports.month), tinMappingReports.tin).all();
}

/** Resolving a report erases it: once the mapping is checked, the reader's text has no further use. True when one was erased. */
export function resolveTinMappingReport(db: Db, id: string): boolean {
  const erased = db.delete(tinMappingReports).where(eq(tinMappingReports.id, id)).run().changes > 0;
  if (erased) checkpointErasure(db);
  return erased;
}
