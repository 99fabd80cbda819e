// The write side: store a report (randomized answers, month only, held when implausible), view or delete it by receipt.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { cptCodes, medicareRates, payers, platforms, rates, reports } from "../../../db/schema.ts";
import { holdReasons, medicareForYear } from "../rules/plausibility.ts";
import { randomizeScale, randomizeYesNo, type Uniform } from "../rules/randomized-response.ts";
import type { ReviewStatus } from "../schemas/codes.ts";
import type { FieldError, ReportSubmission } from "../schemas/report.ts";
import type { Connection } from "../server/db.ts";
import { finishErasure } from "./erasure.ts";
import { recordTombstone } from "./ledger.ts";
import { generateReceipt, randomId, receiptHash } from "./receipts.ts";
import { dollarsToCents } from "../shared/money.ts";
import { recordSpentToken } from "./tokens/spent-tokens.ts";

export class SubmissionError extends Error {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super("The report has errors");
    this.errors = errors;
  }
}

/** A uniform number in [0, 1) from the operating system's CSPRNG. */
export const cryptoUniform: Uniform = () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48;

export type SubmitOptions = {
  now?: Date;
  uniform?: Uniform;
  source?: "crowd" | "demo";
  /** A checked Privacy Pass token's hash: spent in the report's transaction, and the report is marked verified. */
  spentTokenHash?: Buffer;
};
export type SubmitResult = { receipt: string; reviewStatus: ReviewStatus };

const monthOf = (date: Date) => date.toISOString().slice(0, 7);

const REPORT_COLUMNS = [
  "id", "receiptHash", "month", "state", "license", "yearsLicensed", "channel", "platform", "employment",
  "toldOfFeeSplit", "rateCut12m", "canExportRecords", "nonCompete", "equityOffered", "caseloadPressure",
  "monthlyFeeCents", "percentFee", "reviewStatus", "holdReason", "source", "verified",
  "sinceLastSnapshot",
] as const satisfies readonly (keyof typeof reports.$inferInsert)[];
const RATE_COLUMNS = [
  "reportId", "line", "cpt", "modality", "payer", "planType", "year", "paidCents", "allowedCents",
] as const satisfies readonly (keyof typeof rates.$inferInsert)[];

/** `{ column: placeholder("column") }` for a prepared insert of these columns. */
function placeholders<K extends string>(columns: readonly K[]) {
  return Object.fromEntries(columns.map((column) => [column, sql.placeholder(column)])) as unknown as Record<K, ReturnType<typeof sql.placeholder>>;
}

function prepareStatements(db: Connection["db"]) {
  return {
    insertReport: db.insert(reports).values(placeholders(REPORT_COLUMNS)).prepare(),
    insertRate: db.insert(rates).values(placeholders(RATE_COLUMNS)).prepare(),
    cpt: db.select({ code: cptCodes.code }).from(cptCodes).where(eq(cptCodes.code, sql.placeholder("code"))).prepare(),
    payer: db.select({ slug: payers.slug }).from(payers).where(eq(payers.slug, sql.placeholder("slug"))).prepare(),
    platform: db.select({ slug: platforms.slug }).from(platforms).where(eq(platforms.slug, sql.placeholder("slug"))).prepare(),
    medicare: db.select({ year: medicareRates.year, amountCents: medicareRates.amountCents }).from(medicareRates)
      .where(eq(medicareRates.cpt, sql.placeholder("cpt"))).prepare(),
  };
}

/** Statements prepared once per connection: building their SQL anew took much of a submission's time. */
const preparedStatements = new WeakMap<Connection["db"], ReturnType<typeof prepareStatements>>();

function statementsFor(connection: Connection): ReturnType<typeof prepareStatements> {
  let prepared = preparedStatements.get(connection.db);
  if (!prepared) {
    prepared = prepareStatements(connection.db);
    preparedStatements.set(connection.db, prepared);
  }
  return prepared;
}

function referenceErrors(connection: Connection, report: ReportSubmission): FieldError[] {
  const statements = statementsFor(connection);
  const errors: FieldError[] = [];
  report.rates.forEach((rate, i) => {
    if (!statements.cpt.get({ code: rate.cpt })) errors.push({ path: `rates.${i}.cpt`, message: `Unknown CPT code ${rate.cpt}` });
    if (rate.payer && !statements.payer.get({ slug: rate.payer })) errors.push({ path: `rates.${i}.payer`, message: `Unknown payer "${rate.payer}"` });
  });
  if (report.platform && !statements.platform.get({ slug: report.platform })) {
    errors.push({ path: "platform", message: `Unknown platform "${report.platform}"` });
  }
  return errors;
}

function medicareByCpt(connection: Connection, cpts: string[]): Map<string, Map<number, number>> {
  const statements = statementsFor(connection);
  return new Map(cpts.map((cpt) => [cpt, new Map(statements.medicare.all({ cpt }).map((row) => [row.year, row.amountCents]))]));
}

/** Stores a validated report and its rates in one transaction. Throws SubmissionError for unknown codes. */
export function submitReport(connection: Connection, report: ReportSubmission, options: SubmitOptions = {}): SubmitResult {
  const uniform = options.uniform ?? cryptoUniform;
  const now = options.now ?? new Date();
  const errors = referenceErrors(connection, report);
  if (errors.length > 0) throw new SubmissionError(errors);

  const medicare = medicareByCpt(connection, [...new Set(report.rates.map((rate) => rate.cpt))]);
  const reasons = report.rates.flatMap((rate, i) =>
    holdReasons(
      { paidCents: dollarsToCents(rate.paid), allowedCents: rate.allowed == null ? null : dollarsToCents(rate.allowed) },
      medicareForYear(medicare.get(rate.cpt), rate.year),
    ).map((reason) => `rate ${i + 1}: ${reason}`),
  );
  const reviewStatus: ReviewStatus = reasons.length > 0 ? "pending" : "accepted";
  const experience = report.platform_experience ?? {};
  const yesNo = (answer: boolean | null | undefined) => (answer == null ? null : randomizeYesNo(answer, uniform) ? 1 : 0);
  const employment =
    report.employment == null ? null : randomizeYesNo(report.employment === "1099", uniform) ? "1099" : "w2";

  const receipt = generateReceipt();
  const id = randomId();
  const statements = statementsFor(connection);
  const row: Record<(typeof REPORT_COLUMNS)[number], string | number | null> = {
    id,
    receiptHash: receiptHash(receipt),
    month: monthOf(now),
    state: report.state,
    license: report.license,
    yearsLicensed: report.years_licensed,
    channel: report.channel,
    platform: report.platform ?? null,
    employment,
    toldOfFeeSplit: yesNo(experience.told_of_fee_split),
    rateCut12m: yesNo(experience.rate_cut_12m),
    canExportRecords: yesNo(experience.can_export_records),
    nonCompete: yesNo(experience.non_compete),
    equityOffered: yesNo(experience.equity_offered),
    caseloadPressure: experience.caseload_pressure == null ? null : randomizeScale(experience.caseload_pressure, uniform),
    monthlyFeeCents: experience.monthly_fee == null ? null : dollarsToCents(experience.monthly_fee),
    percentFee: experience.percent_fee ?? null,
    reviewStatus,
    holdReason: reasons.length > 0 ? reasons.join("; ") : null,
    source: options.source ?? "crowd",
    verified: options.spentTokenHash ? 1 : 0,
    // Issue 12 (bursts): one bit, cleared for every report when a snapshot is published; demo never counts.
    sinceLastSnapshot: (options.source ?? "crowd") === "crowd" ? 1 : 0,
  };
  connection.db.transaction(() => {
    if (options.spentTokenHash) recordSpentToken(connection, options.spentTokenHash, now);
    statements.insertReport.run(row);
    report.rates.forEach((rate, i) => {
      statements.insertRate.run({
        reportId: id,
        line: i + 1,
        cpt: rate.cpt,
        modality: rate.modality,
        payer: rate.payer ?? null,
        planType: rate.plan_type,
        year: rate.year,
        paidCents: dollarsToCents(rate.paid),
        allowedCents: rate.allowed == null ? null : dollarsToCents(rate.allowed),
      });
    });
  });
  return { receipt, reviewStatus };
}

/** The submitter's view: the same field names as the submission, answers as stored. */
export type StoredReport = {
  month: string;
  state: string;
  license: string;
  years_licensed: string;
  channel: string;
  platform: string | null;
  review_status: string;
  source: string;
  /** Whether a Privacy Pass token was spent with the report. */
  verified: boolean;
  /** Answers as stored, after randomized response — not necessarily as given. */
  stored_answers: {
    employment: string | null;
    told_of_fee_split: boolean | null;
    rate_cut_12m: boolean | null;
    can_export_records: boolean | null;
    non_compete: boolean | null;
    equity_offered: boolean | null;
    caseload_pressure: number | null;
    monthly_fee: number | null;
    percent_fee: number | null;
  };
  rates: { line: number; cpt: string; modality: string; payer: string | null; plan_type: string; year: number; paid: number; allowed: number | null }[];
};

const bool = (value: number | null) => (value === null ? null : value === 1);

/** The submitter's own view of their report, with exact amounts; null when the receipt matches none. */
export function viewReport(connection: Connection, receipt: string): StoredReport | null {
  const { db } = connection;
  const report = db.select().from(reports).where(eq(reports.receiptHash, receiptHash(receipt))).get();
  if (!report) return null;
  const lines = db.select().from(rates).where(eq(rates.reportId, report.id)).orderBy(rates.line).all();
  return {
    month: report.month,
    state: report.state,
    license: report.license,
    years_licensed: report.yearsLicensed,
    channel: report.channel,
    platform: report.platform,
    review_status: report.reviewStatus,
    source: report.source,
    verified: report.verified,
    stored_answers: {
      employment: report.employment,
      told_of_fee_split: bool(report.toldOfFeeSplit),
      rate_cut_12m: bool(report.rateCut12m),
      can_export_records: bool(report.canExportRecords),
      non_compete: bool(report.nonCompete),
      equity_offered: bool(report.equityOffered),
      caseload_pressure: report.caseloadPressure,
      monthly_fee: report.monthlyFeeCents === null ? null : report.monthlyFeeCents / 100,
      percent_fee: report.percentFee,
    },
    rates: lines.map((line) => ({
      line: line.line,
      cpt: line.cpt,
      modality: line.modality,
      payer: line.payer,
      plan_type: line.planType,
      year: line.year,
      paid: line.paidCents / 100,
      allowed: line.allowedCents === null ? null : line.allowedCents / 100,
    })),
  };
}

/**
 * Deletes the report and its rates, then checkpoints the WAL into the main file and truncates
 * it, so the amounts are gone from both files (secure_delete zeroes the freed space). While
 * another connection reads, the checkpoint is retried until it can finish (./erasure.ts). The
 * report's id goes into the ledger first, so that a restore from an older backup erases it again.
 */
export function deleteReport(connection: Connection, receipt: string): boolean {
  const found = connection.db.select({ id: reports.id }).from(reports).where(eq(reports.receiptHash, receiptHash(receipt))).get();
  if (!found) return false;
  recordTombstone(connection.sqlite, found.id);
  const result = connection.db.delete(reports).where(eq(reports.id, found.id)).run();
  if (result.changes === 0) return false;
  finishErasure(connection.sqlite);
  return true;
}

/**
 * After an erasure: copies the WAL into the main file and truncates it, so erased rows leave both
 * files; retried while a reader holds the WAL (./erasure.ts).
 */
export function checkpointErasure(connection: Connection): void {
  finishErasure(connection.sqlite);
}
