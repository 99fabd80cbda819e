// The review queue: reports held as implausible, with what made them so, approved or rejected.
// Moderators decide on bands (issue 13 item 15): the queue carries each rate's band, never its
// exact amounts, which a moderator sees only by asking for one report's, an audited request.
import { and, asc, count, eq, inArray } from "drizzle-orm";
import { rates, reports } from "../../../db/schema.ts";
import { band, bandIndexOfCents, bandLabel } from "../rules/bands.ts";
import { medicareForYear } from "../rules/plausibility.ts";
import { audit, type Actor } from "./auth/audit.ts";
import type { Connection } from "../server/db.ts";
import { medicareAmounts } from "../read/reference.ts";

export type PendingRate = {
  line: number; cpt: string; modality: string; payer: string | null; year: number;
  /** Bands ("90-120"); null above the top band (pay) or when not given (payer amount). */
  paidBand: string | null; allowedBand: string | null; allowedGiven: boolean;
  medicare: number | null; bandVsMedicare: string | null;
};
export type ExactAmounts = { line: number; paid: number; allowed: number | null }[];
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
      const allowedIndex = line.allowedCents === null ? -1 : bandIndexOfCents(line.allowedCents);
      return {
        line: line.line, cpt: line.cpt, modality: line.modality, payer: line.payer, year: line.year,
        paidBand: index >= 0 ? bandLabel(index) : null, allowedBand: allowedIndex >= 0 ? bandLabel(allowedIndex) : null,
        allowedGiven: line.allowedCents !== null, medicare: medicareDollars, bandVsMedicare,
      };
    }),
  }));
}

/**
 * One held report's exact amounts, for a moderator who asks for them; the request is audited
 * (who, when, the hold reason; not the amounts). Null when no such report waits for review.
 */
export function revealExactAmounts(connection: Connection, reportId: string, actor: Actor): ExactAmounts | null {
  return connection.db.transaction((tx) => {
    const report = tx.select({ holdReason: reports.holdReason }).from(reports)
      .where(and(eq(reports.id, reportId), eq(reports.reviewStatus, "pending"))).get();
    if (!report) return null;
    const lines = tx.select({ line: rates.line, paidCents: rates.paidCents, allowedCents: rates.allowedCents }).from(rates)
      .where(eq(rates.reportId, reportId)).orderBy(asc(rates.line)).all();
    audit(tx, actor, "report.amounts_viewed", { holdReason: report.holdReason ?? "" });
    return lines.map((l) => ({ line: l.line, paid: l.paidCents / 100, allowed: l.allowedCents === null ? null : l.allowedCents / 100 }));
  });
}

export function pendingCount(connection: Connection): number {
  return connection.db.select({ n: count() }).from(reports).where(eq(reports.reviewStatus, "pending")).get()?.n ?? 0;
}

/** Approves or rejects a held report; true when a pending report was changed. */
export function reviewReport(connection: Connection, reportId: string, decision: "accepted" | "rejected", actor: Actor): boolean {
  const { db } = connection;
  return db.transaction((tx) => {
    const changed = tx.update(reports).set({ reviewStatus: decision })
      .where(and(eq(reports.id, reportId), eq(reports.reviewStatus, "pending"))).run().changes === 1;
    if (changed) audit(tx, actor, decision === "accepted" ? "report.approved" : "report.rejected", { report: reportId });
    return changed;
  });
}
