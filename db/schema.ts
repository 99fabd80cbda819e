// The one source of truth for tables. Migrations in db/migrations are generated from this file.
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  CHANNELS, CONTRACT_HOLDERS, EMPLOYMENT, LICENSE_GROUPS, LICENSES, MODALITIES, PLAN_TYPES, REPORT_SOURCES,
  REVIEW_STATUSES, YEARS_LICENSED, sqlList,
} from "../src/lib/schemas/codes.ts";

const inList = (column: string, values: readonly string[]) => sql.raw(`${column} IN (${sqlList(values)})`);
const yesNo = (column: string) => sql.raw(`${column} IS NULL OR ${column} IN (0, 1)`);

// ---- reference data (seeded from db/seed/, editable by moderators) ----

export const cptCodes = sqliteTable("cpt_codes", {
  code: text("code").primaryKey(),
  label: text("label").notNull(),
  description: text("description").notNull(),
  minutes: integer("minutes"),
  isAddOn: integer("is_add_on", { mode: "boolean" }).notNull().default(false),
  sort: integer("sort").notNull(),
}, (t) => [check("cpt_code_format", sql`length(${t.code}) = 5`)]);

export const licenseGroups = sqliteTable("license_groups", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  sort: integer("sort").notNull(),
}, () => [check("license_group_slug", inList("slug", LICENSE_GROUPS))]);

export const licenseTypes = sqliteTable("license_types", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull(),
  groupSlug: text("group_slug").notNull().references(() => licenseGroups.slug),
  sort: integer("sort").notNull(),
}, () => [check("license_type_slug", inList("slug", LICENSES))]);

export const censusDivisions = sqliteTable("census_divisions", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  region: text("region").notNull(),
});

export const states = sqliteTable("states", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  division: text("division").notNull().references(() => censusDivisions.slug),
});

export const payers = sqliteTable("payers", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  planTypes: text("plan_types", { mode: "json" }).$type<string[]>().notNull(),
  notes: text("notes").notNull().default(""),
  sourceUrl: text("source_url"),
});

export type OwnerFact = { name: string; relation: string; source: string; sourceUrl: string };

export const platforms = sqliteTable("platforms", {
  slug: text("slug").primaryKey(),
  name: text("name").notNull(),
  website: text("website").notNull(),
  feeModel: text("fee_model").notNull(),
  feeModelSource: text("fee_model_source").notNull(),
  feeModelSourceUrl: text("fee_model_source_url").notNull(),
  contractHolder: text("contract_holder").notNull(),
  contractHolderSource: text("contract_holder_source").notNull(),
  contractHolderSourceUrl: text("contract_holder_source_url").notNull(),
  owners: text("owners", { mode: "json" }).$type<OwnerFact[]>().notNull(),
}, () => [check("platform_contract_holder", inList("contract_holder", CONTRACT_HOLDERS))]);

export const medicareRates = sqliteTable("medicare_rates", {
  cpt: text("cpt").notNull().references(() => cptCodes.code),
  year: integer("year").notNull(),
  amountCents: integer("amount_cents").notNull(),
  source: text("source").notNull(),
  sourceUrl: text("source_url").notNull(),
}, (t) => [
  primaryKey({ columns: [t.cpt, t.year] }),
  check("medicare_amount_positive", sql`${t.amountCents} > 0`),
]);

// ---- crowd reports (write side; never read by pages or the public API) ----

export const reports = sqliteTable("reports", {
  id: text("id").primaryKey(),
  receiptHash: text("receipt_hash").notNull(),
  month: text("month").notNull(),
  state: text("state").notNull().references(() => states.code),
  license: text("license").notNull().references(() => licenseTypes.slug),
  yearsLicensed: text("years_licensed").notNull(),
  channel: text("channel").notNull(),
  platform: text("platform").references(() => platforms.slug),
  employment: text("employment"),
  toldOfFeeSplit: integer("told_of_fee_split"),
  rateCut12m: integer("rate_cut_12m"),
  canExportRecords: integer("can_export_records"),
  nonCompete: integer("non_compete"),
  equityOffered: integer("equity_offered"),
  caseloadPressure: integer("caseload_pressure"),
  monthlyFeeCents: integer("monthly_fee_cents"),
  percentFee: real("percent_fee"),
  reviewStatus: text("review_status").notNull(),
  holdReason: text("hold_reason"),
  source: text("source").notNull(),
  /** Submitted with a valid, unspent Privacy Pass token (issue 12); says nothing of whose token. */
  verified: integer("verified", { mode: "boolean" }).notNull().default(false),
  /** Issue 12 (bursts): arrived since the last published snapshot; every report's is cleared on publish. No time is kept. */
  sinceLastSnapshot: integer("since_last_snapshot", { mode: "boolean" }).notNull().default(false),
}, (t) => [
  uniqueIndex("reports_receipt_hash").on(t.receiptHash),
  index("reports_status_source").on(t.reviewStatus, t.source),
  check("report_month_format", sql`${t.month} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'`),
  check("report_years_licensed", inList("years_licensed", YEARS_LICENSED)),
  check("report_channel", inList("channel", CHANNELS)),
  check("report_platform_iff_channel", sql`(${t.channel} = 'platform') = (${t.platform} IS NOT NULL)`),
  check("report_employment", sql.raw(`employment IS NULL OR employment IN (${sqlList(EMPLOYMENT)})`)),
  check("report_told_of_fee_split", yesNo("told_of_fee_split")),
  check("report_rate_cut_12m", yesNo("rate_cut_12m")),
  check("report_can_export_records", yesNo("can_export_records")),
  check("report_non_compete", yesNo("non_compete")),
  check("report_equity_offered", yesNo("equity_offered")),
  check("report_caseload_pressure", sql`${t.caseloadPressure} IS NULL OR ${t.caseloadPressure} BETWEEN 1 AND 5`),
  check("report_monthly_fee", sql`${t.monthlyFeeCents} IS NULL OR ${t.monthlyFeeCents} >= 0`),
  check("report_percent_fee", sql`${t.percentFee} IS NULL OR ${t.percentFee} BETWEEN 0 AND 100`),
  check("report_review_status", inList("review_status", REVIEW_STATUSES)),
  check("report_source", inList("source", REPORT_SOURCES)),
]);

export const rates = sqliteTable("rates", {
  reportId: text("report_id").notNull().references(() => reports.id, { onDelete: "cascade" }),
  line: integer("line").notNull(),
  cpt: text("cpt").notNull().references(() => cptCodes.code),
  modality: text("modality").notNull(),
  payer: text("payer").references(() => payers.slug),
  planType: text("plan_type").notNull(),
  year: integer("year").notNull(),
  paidCents: integer("paid_cents").notNull(),
  allowedCents: integer("allowed_cents"),
}, (t) => [
  primaryKey({ columns: [t.reportId, t.line] }),
  index("rates_cpt").on(t.cpt),
  check("rate_line", sql`${t.line} BETWEEN 1 AND 10`),
  check("rate_modality", inList("modality", MODALITIES)),
  check("rate_plan_type", inList("plan_type", PLAN_TYPES)),
  check("rate_year", sql`${t.year} BETWEEN 2000 AND 2100`),
  check("rate_paid_positive", sql`${t.paidCents} > 0`),
  check("rate_allowed_positive", sql`${t.allowedCents} IS NULL OR ${t.allowedCents} > 0`),
]);

// ---- published snapshots: the index of snapshot files (read side) ----

export type SuppressionCounts = Record<string, number>;

export const snapshots = sqliteTable("snapshots", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  createdAt: text("created_at").notNull(),
  rulesVersion: text("rules_version").notNull(),
  k: integer("k").notNull(),
  bandEdges: text("band_edges", { mode: "json" }).$type<number[]>().notNull(),
  isDemo: integer("is_demo", { mode: "boolean" }).notNull(),
  reportsUsed: integer("reports_used").notNull(),
  cellsPublished: integer("cells_published").notNull(),
  cellsSuppressed: text("cells_suppressed", { mode: "json" }).$type<SuppressionCounts>().notNull(),
  trigger: text("trigger").notNull(),
  /**
   * Issue 15: whether the snapshot's changes against the one before are in cell_changes (always
   * true for snapshots built since; older ones are recorded when the server starts).
   */
  changesRecorded: integer("changes_recorded", { mode: "boolean" }).notNull().default(false),
}, (t) => [
  check("snapshot_k_min", sql`${t.k} >= 3`),
  check("snapshot_trigger", inList("trigger", ["start", "schedule", "script", "moderator"])),
]);

// The cells and shares of each snapshot live in a file of their own: src/lib/read/snapshot-file.ts.

// ---- moderation (no public sign-up; docs/decisions/0002) ----

export const moderators = sqliteTable("moderators", {
  id: text("id").primaryKey(),
  email: text("email").notNull(),
  /** Argon2id; null until the moderator follows the set-up link. */
  passwordHash: text("password_hash"),
  /** The TOTP key, encrypted with RATECARD_SECRET; null until enrolled. */
  totpKey: text("totp_key"),
  failedLogins: integer("failed_logins").notNull().default(0),
  lockedUntil: text("locked_until"),
  createdAt: text("created_at").notNull(),
  // issue 13: a set-up link's MAC covers this nonce, renewed by --reset, so older links die.
  setupNonce: text("setup_nonce"),
  /** issue 13: the TOTP step last accepted; a code is accepted only for a later step (no replay). */
  totpLastStep: integer("totp_last_step"),
  /** issue 13: wrong second-factor codes since the last right one, across sessions; 5 lock the account. */
  failedCodes: integer("failed_codes").notNull().default(0),
}, (t) => [
  uniqueIndex("moderators_email").on(t.email),
  check("moderator_email_lowercase", sql`${t.email} = lower(${t.email})`),
  check("moderator_failed_logins", sql`${t.failedLogins} >= 0`),
]);

export const recoveryCodes = sqliteTable("recovery_codes", {
  moderatorId: text("moderator_id").notNull().references(() => moderators.id, { onDelete: "cascade" }),
  codeHash: text("code_hash").notNull(),
  usedAt: text("used_at"),
}, (t) => [primaryKey({ columns: [t.moderatorId, t.codeHash] })]);

export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  /** SHA-256 of the token's secret part; the token itself is only in the moderator's cookie. */
  secretHash: text("secret_hash").notNull(),
  moderatorId: text("moderator_id").notNull().references(() => moderators.id, { onDelete: "cascade" }),
  createdAt: text("created_at").notNull(),
  expiresAt: text("expires_at").notNull(),
  twoFactorVerified: integer("two_factor_verified", { mode: "boolean" }).notNull().default(false),
  /** issue 13: for the 30-minute idle limit; null means never seen since created. */
  lastSeenAt: text("last_seen_at"),
  /** issue 13: wrong second-factor codes on this session; 5 end it. */
  failedCodes: integer("failed_codes").notNull().default(0),
}, (t) => [index("sessions_moderator").on(t.moderatorId)]);

/** Append-only: triggers in db/migrations refuse UPDATE and DELETE. */
export const auditLog = sqliteTable("audit_log", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** To the minute. */
  at: text("at").notNull(),
  moderatorId: text("moderator_id"),
  moderatorEmail: text("moderator_email"),
  action: text("action").notNull(),
  detail: text("detail").notNull().default(""),
}, (t) => [check("audit_at_minute", sql`length(${t.at}) = 16`)]);

// ---- insurer-published rates (Transparency in Coverage; issue 11). Public data, published exactly. ----

/** Which platform a provider group's TIN (9 digits, or a type-2 NPI of 10) belongs to, with its source. */
export const platformTins = sqliteTable("platform_tins", {
  tin: text("tin").primaryKey(),
  platform: text("platform").notNull().references(() => platforms.slug),
  /** The state a state entity of the platform contracts for; null when it contracts nationally. */
  state: text("state").references(() => states.code),
  /** An https link to where the mapping is documented, or "command line". */
  source: text("source").notNull(),
}, (t) => [
  check("platform_tin_digits", sql`${t.tin} NOT GLOB '*[^0-9]*' AND length(${t.tin}) IN (9, 10)`),
  index("platform_tins_platform").on(t.platform),
]);

/** One imported in-network rate file: where it came from, whose it is, and what it held. */
export const ticFiles = sqliteTable("tic_files", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  sha256: text("sha256").notNull(),
  /** The file's base name, or its URL without the query string; never a local path. */
  sourceFile: text("source_file").notNull(),
  payer: text("payer").notNull().references(() => payers.slug),
  reportingEntity: text("reporting_entity").notNull(),
  planId: text("plan_id"),
  planName: text("plan_name"),
  planMarketType: text("plan_market_type"),
  /** YYYY-MM-DD, as the file states it. */
  lastUpdatedOn: text("last_updated_on").notNull(),
  schemaVersion: text("schema_version"),
  /** YYYY-MM-DD. */
  importedOn: text("imported_on").notNull(),
  ratesKept: integer("rates_kept").notNull(),
  /** Percentage, per diem and derived rates of kept codes and groups: counted, never published as dollars. */
  nonDollarRates: integer("non_dollar_rates").notNull(),
}, (t) => [
  uniqueIndex("tic_files_sha256").on(t.sha256),
  index("tic_files_payer_plan").on(t.payer, t.planId),
]);

/** One negotiated price of a kept code for a mapped provider group, as the file publishes it. */
export const ticRates = sqliteTable("tic_rates", {
  fileId: integer("file_id").notNull().references(() => ticFiles.id, { onDelete: "cascade" }),
  /** Normalized: 9 digits (EIN) or 10 (type-2 NPI). Joined to platform_tins when a snapshot is built. */
  tin: text("tin").notNull(),
  cpt: text("cpt").notNull(),
  /** billing_code_modifier values, sorted, ";"-joined ("" when none). */
  modifiers: text("modifiers").notNull().default(""),
  /** service_code values (place of service), sorted, ";"-joined ("" when none). */
  serviceCodes: text("service_codes").notNull().default(""),
  negotiatedType: text("negotiated_type").notNull(),
  /** US dollars exactly as published. */
  negotiatedRate: real("negotiated_rate").notNull(),
  expirationDate: text("expiration_date").notNull(),
  /** network_name values of the provider group, sorted, ";"-joined. */
  networks: text("networks").notNull().default(""),
}, (t) => [
  index("tic_rates_file").on(t.fileId),
  index("tic_rates_tin_cpt").on(t.tin, t.cpt),
  check("tic_rate_type", inList("negotiated_type", ["negotiated", "fee schedule"])),
  check("tic_rate_positive", sql`${t.negotiatedRate} > 0`),
]);

// ---- issue 12: Privacy Pass issuance (grants, license verification) ----
// Spent tokens live in `spent_tokens`, a WITHOUT ROWID table drizzle cannot declare: see
// db/migrations/*_spent_tokens.sql and docs/decisions/0016-privacy-pass-tokens.md.

/** A code good for a number of tokens: a partner's code, or an approved verification's request code. */
export const issuanceGrants = sqliteTable("issuance_grants", {
  /** Random, shown by `issuance:grant --list` and taken by `--revoke`. */
  id: text("id").primaryKey(),
  /** SHA-256 of the code; the code itself is shown once. */
  codeHash: text("code_hash").notNull(),
  kind: text("kind").notNull(),
  tokensGranted: integer("tokens_granted").notNull(),
  tokensLeft: integer("tokens_left").notNull(),
  /** The partner's note (who it is for); null for a verification's grant. */
  note: text("note"),
  /** YYYY-MM: nothing finer is kept about when a grant was made. */
  month: text("month").notNull(),
  revoked: integer("revoked", { mode: "boolean" }).notNull().default(false),
}, (t) => [
  uniqueIndex("issuance_grants_code_hash").on(t.codeHash),
  check("issuance_grant_kind", inList("kind", ["partner", "license"])),
  check("issuance_grant_tokens", sql`${t.tokensLeft} >= 0 AND ${t.tokensLeft} <= ${t.tokensGranted}`),
]);

/**
 * A therapist's request to be verified. Until a moderator decides, it holds the state, license
 * number and name; a decision erases them, leaving the outcome and, when approved, an HMAC of
 * state + license number (a key of its own) that caps tokens per license and year.
 */
export const verificationRequests = sqliteTable("verification_requests", {
  id: text("id").primaryKey(),
  /** SHA-256 of the request code shown once to the therapist. */
  codeHash: text("code_hash").notNull(),
  state: text("state"),
  licenseNumber: text("license_number"),
  licenseName: text("license_name"),
  status: text("status").notNull().default("pending"),
  /** The moderator's reason, shown to the therapist on a rejection. */
  reason: text("reason"),
  /** YYYY-MM-DD the request was made, so that undecided requests expire after 30 days. */
  requestedOn: text("requested_on"),
  /** The year whose token cap the decision counts against. */
  year: integer("year").notNull(),
  licenseHmac: text("license_hmac"),
  tokensGranted: integer("tokens_granted").notNull().default(0),
}, (t) => [
  uniqueIndex("verification_requests_code_hash").on(t.codeHash),
  index("verification_requests_license").on(t.licenseHmac, t.year),
  check("verification_status", inList("status", ["pending", "approved", "rejected"])),
  check("verification_erased", sql`${t.status} = 'pending' OR (${t.licenseNumber} IS NULL AND ${t.licenseName} IS NULL AND ${t.state} IS NULL AND ${t.requestedOn} IS NULL)`),
]);

// ---- readers' reports of a wrong TIN → platform mapping (issue 11). No identity: only the month. ----

/** A reader's report that a published rate's TIN is mapped to the wrong platform, for moderators at /mod/reference. */
export const tinMappingReports = sqliteTable("tin_mapping_reports", {
  id: text("id").primaryKey(),
  /** Normalized as platform_tins.tin: 9 digits, or 10 for a type-2 NPI. */
  tin: text("tin").notNull(),
  /** The platform the reader says the TIN belongs to; null: "not a platform" or unknown. */
  platform: text("platform").references(() => platforms.slug),
  /** The reader's explanation or source link, at most 1,000 characters. */
  message: text("message").notNull(),
  /** YYYY-MM: only the month, as for reports (rule "No identity"). */
  month: text("month").notNull(),
  status: text("status").notNull().default("open"),
}, (t) => [
  check("tin_mapping_report_digits", sql`${t.tin} NOT GLOB '*[^0-9]*' AND length(${t.tin}) IN (9, 10)`),
  check("tin_mapping_report_status", inList("status", ["open", "resolved"])),
  index("tin_mapping_reports_status").on(t.status),
]);

// ---- issue 13: rejected reports are erased after RATECARD_REJECTED_RETENTION (30 days) ----

/** The day a moderator rejected a report (the decision's day, never the report's), so it can be erased on time. */
export const reportRejections = sqliteTable("report_rejections", {
  reportId: text("report_id").primaryKey().references(() => reports.id, { onDelete: "cascade" }),
  rejectedOn: text("rejected_on").notNull(),
}, (t) => [
  check("report_rejection_day", sql`${t.rejectedOn} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`),
]);

// ---- issue 11 (TiC importer): payer aliases matched against a file's reporting_entity_name ----

/**
 * A name an insurer writes in a file's `reporting_entity_name`, stored lower-cased and trimmed, and
 * the payer it stands for. A table rather than a JSON column on payers: one alias names one payer.
 */
export const payerTicAliases = sqliteTable("payer_tic_aliases", {
  alias: text("alias").primaryKey(),
  payer: text("payer").notNull().references(() => payers.slug, { onDelete: "cascade" }),
}, (t) => [index("payer_tic_aliases_payer").on(t.payer)]);

// ---- issue 15: what each snapshot changed, recorded when it is built (docs/decisions/0027) ----

/**
 * One published cell that a snapshot added, changed or removed, against the snapshot before it when
 * that one is of the same kind (demo or crowd). Public data only: the published figures of the
 * cell (and its take on insurer-published rates), packed as a JSON array by
 * src/lib/read/cell-changes.ts; null when the cell was removed. `take`: only the take on
 * published rates changed. History and the changelog read these instead of every earlier file.
 */
export const cellChanges = sqliteTable("cell_changes", {
  cellKey: text("cell_key").notNull(),
  snapshotId: integer("snapshot_id").notNull().references(() => snapshots.id, { onDelete: "cascade" }),
  kind: text("kind").notNull(),
  verified: integer("verified", { mode: "boolean" }).notNull(),
  figures: text("figures", { mode: "json" }).$type<(string | number | null)[] | null>(),
}, (t) => [
  primaryKey({ columns: [t.cellKey, t.snapshotId] }),
  index("cell_changes_snapshot").on(t.snapshotId, t.verified, t.kind),
  check("cell_change_kind", inList("kind", ["added", "changed", "removed", "take"])),
  check("cell_change_figures", sql`(${t.kind} = 'removed') = (${t.figures} IS NULL)`),
]);
