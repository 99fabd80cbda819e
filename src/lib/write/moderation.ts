// The review queue: reports held as implausible, with what made them so, approved or rejected.
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { rates, reportRejections, reports } from "../../../db/schema.ts";
import { band, bandIndexOfCents, bandLabel } from "../rules/bands.ts";
import { medicareForYear } from "../rules/plausibility.ts";
import { audit, type Actor } from "./auth/audit.ts";
import type { Connection } from "../server/db.ts";
import { medicareAmounts } from "../read/reference.ts";

export type PendingRate = {
  line: number; cpt: string; modality: string; payer: string | null; year: number; paid: number; allowed: number | null;
  paidBand: string | null; medicare: number | null; bandVsMedicare: string | null;
};
export type PendingReport = {
  id: string; month: string; state: string; license: string; channel: string; platform: string | null; source: string;
  holdReason: string | null; rates: PendingRate[];
};

export function listPendingReports(connection: Connection, limit = 100): PendingReport[] {
  const { db } = connection;
  const held = db.select().from(reports).where(eq(reports.reviewStatus, "pending")).orderBy(asc(reports.month)).limit(limit).all();
  if (held.length === 0) return [];
  const lines = db.select().from(rates).where(inArray(rates.reportId, held.map((r) => r.id))).orderBy(asc(rates.line)).all();
  const medicare = medicareAmounts(db);
  return held.map((report) => ({
    id: report.id, month: report.month, state: report.state, license: report.license, channel: report.channel,
    platform: report.platform, source: report.source, holdReason: report.holdReason,
    rates: lines.filter((line) => line.reportId === report.id).map((line) => {
      const index = bandIndexOfCents(line.paidCents);
      const medicareCents = medicareForYear(medicare.get(line.cpt), line.year);
      const medicareDollars = medicareCents === undefined ? null : medicareCents / 100;
      let bandVsMedicare: string | null = null;
      if (index >= 0 && medicareDollars) {
        const { lo, hi } = band(index);
        bandVsMedicare = `${Math.round((100 * lo) / medicareDollars)}–${Math.round((100 * hi) / medicareDollars)}% of Medicare`;
      }
      return {
        line: line.line, cpt: line.cpt, modality: line.modality, payer: line.payer, year: line.year, paid: line.paidCents / 100,
        allowed: line.allowedCents === null ? null : line.allowedCents / 100, paidBand: index >= 0 ? bandLabel(index) : null,
        medicare: medicareDollars, bandVsMedicare,
      };
    }),
  }));
}

export function pendingCount(connection: Connection): number {
  return connection.db.select({ n: count() }).from(reports).where(eq(reports.reviewStatus, "pending")).get()?.n ?? 0;
}

/**
 * Approves or rejects a held report; true when a pending report was changed. The audit line
 * names the decision and the hold reason, never the report: a line that named the report would
 * link a moderator's minute to one report. A rejection records its day, for erasure after the
 * retention (./rejections.ts).
 */
export function reviewReport(connection: Connection, reportId: string, decision: "accepted" | "rejected", actor: Actor, now = new Date()): boolean {
  const { db } = connection;
  return db.transaction((tx) => {
    const held = tx.select({ holdReason: reports.holdReason }).from(reports)
      .where(and(eq(reports.id, reportId), eq(reports.reviewStatus, "pending"))).get();
    if (!held) return false;
    const changed = tx.update(reports).set({ reviewStatus: decision })
      .where(and(eq(reports.id, reportId), eq(reports.reviewStatus, "pending"))).run().changes === 1;
    if (!changed) return false;
    if (decision === "rejected") tx.insert(reportRejections).values({ reportId, rejectedOn: now.toISOString().slice(0, 10) }).run();
    audit(tx, actor, decision === "accepted" ? "report.approved" : "report.rejected", { decision, hold_reason: held.holdReason });
    return true;
  });
}
