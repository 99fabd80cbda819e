// The published shares of the randomized platform-experience answers (rule "Randomized answers").
import { and, eq, sql, type SQL } from "drizzle-orm";
import { reports } from "../../../db/schema.ts";
import { REPLACED_YES, debiasedShare } from "../rules/randomized-response.ts";
import type { SnapshotSource } from "../rules/sources.ts";
import type { Connection } from "../server/db.ts";
import type { ShareQuestion } from "../schemas/codes.ts";
import type { PublishedShareRow } from "../read/snapshot-file.ts";

type Tally = { answered: SQL<number>; yes: SQL<number>; replacedYes: number };

/** How each published question is counted from the reports, in the order the snapshot lists them. */
const SHARE_TALLIES: Record<ShareQuestion, Tally> = {
  told_of_fee_split: { answered: sql<number>`count(${reports.toldOfFeeSplit})`, yes: sql<number>`coalesce(sum(${reports.toldOfFeeSplit}), 0)`, replacedYes: REPLACED_YES.yesNo },
  rate_cut_12m: { answered: sql<number>`count(${reports.rateCut12m})`, yes: sql<number>`coalesce(sum(${reports.rateCut12m}), 0)`, replacedYes: REPLACED_YES.yesNo },
  can_export_records: { answered: sql<number>`count(${reports.canExportRecords})`, yes: sql<number>`coalesce(sum(${reports.canExportRecords}), 0)`, replacedYes: REPLACED_YES.yesNo },
  non_compete: { answered: sql<number>`count(${reports.nonCompete})`, yes: sql<number>`coalesce(sum(${reports.nonCompete}), 0)`, replacedYes: REPLACED_YES.yesNo },
  equity_offered: { answered: sql<number>`count(${reports.equityOffered})`, yes: sql<number>`coalesce(sum(${reports.equityOffered}), 0)`, replacedYes: REPLACED_YES.yesNo },
  employment_1099: { answered: sql<number>`count(${reports.employment})`, yes: sql<number>`coalesce(sum(${reports.employment} = '1099'), 0)`, replacedYes: REPLACED_YES.yesNo },
  caseload_pressure_high: { answered: sql<number>`count(${reports.caseloadPressure})`, yes: sql<number>`coalesce(sum(${reports.caseloadPressure} >= 4), 0)`, replacedYes: REPLACED_YES.scaleHigh },
};
const TALLIED = Object.entries(SHARE_TALLIES).map(([question, tally]) => ({ question, ...tally }));


/** Debiased shares of the randomized platform-experience answers, per platform and for all platforms. */
export function experienceShares(connection: Connection, source: SnapshotSource): PublishedShareRow[] {
  const { db } = connection;
  const select = Object.fromEntries(TALLIED.flatMap((q) => [[`${q.question}_n`, q.answered], [`${q.question}_yes`, q.yes]]));
  const where = and(eq(reports.reviewStatus, "accepted"), eq(reports.source, source), eq(reports.channel, "platform"));
  const perPlatform = db.select({ platform: reports.platform, ...select }).from(reports).where(where).groupBy(reports.platform).orderBy(reports.platform).all();
  const overall = db.select(select).from(reports).where(where).all();
  const groups = [...overall.map((row) => ({ ...row, platform: "all" })), ...perPlatform];
  const shares: PublishedShareRow[] = [];
  for (const group of groups) {
    const row = group as Record<string, unknown>;
    for (const q of TALLIED) {
      const share = debiasedShare(Number(row[`${q.question}_yes`]), Number(row[`${q.question}_n`]), q.replacedYes);
      if (share) shares.push({ platform: String(row.platform), question: q.question, ...share });
    }
  }
  return shares;
}
