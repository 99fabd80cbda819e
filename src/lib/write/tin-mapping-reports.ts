// Readers' reports of a wrong TIN → platform mapping: stored for moderators with the month only
// (no address, agent or time), listed and resolved at /mod/reference.
import { desc, eq } from "drizzle-orm";
import { platforms, tinMappingReports } from "../../../db/schema.ts";
import { fieldErrors, type FieldError } from "../schemas/report.ts";
import { tinMappingReportSchema } from "../schemas/tin-report.ts";
import type { Db } from "../server/db.ts";
import { randomId } from "./receipts.ts";

export type TinMappingReport = typeof tinMappingReports.$inferSelect;

export type TinReportOutcome = { ok: true } | { ok: false; errors: FieldError[] };

export function reportTinMapping(db: Db, input: unknown, now = new Date()): TinReportOutcome {
  const parsed = tinMappingReportSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error) };
  const { tin, platform, message } = parsed.data;
  if (platform !== null && !db.select({ slug: platforms.slug }).from(platforms).where(eq(platforms.slug, platform)).get()) {
    return { ok: false, errors: [{ path: "platform", message: "Choose a platform from the list" }] };
  }
  db.insert(tinMappingReports).values({ id: randomId(), tin, platform, message, month: now.toISOString().slice(0, 7) }).run();
  return { ok: true };
}

export function openTinMappingReports(db: Db): TinMappingReport[] {
  return db.select().from(tinMappingReports).where(eq(tinMappingReports.status, "open")).orderBy(desc(tinMappingReports.month), tinMappingReports.tin).all();
}

/** True when an open report was marked resolved. */
export function resolveTinMappingReport(db: Db, id: string): boolean {
  return db.update(tinMappingReports).set({ status: "resolved" }).where(eq(tinMappingReports.id, id)).run().changes > 0;
}
