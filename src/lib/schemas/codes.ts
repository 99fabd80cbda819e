// The vocabulary: the fixed codes of DESIGN.md "Contract details" and their labels, the one
// definition imported by db/schema.ts, the zod schemas, the rules, the forms, the pages and the
// OpenAPI document (docs/decisions/0020-one-vocabulary.md). No imports: the browser may load it.
// Names of states, divisions, licenses and license groups are reference data with sources
// (db/seed/*.json, loaded into their tables); the codes here are what the seed must match.
export const STATES = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
  "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
  "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
  "WV", "WI", "WY",
] as const;
export type StateCode = (typeof STATES)[number];

export const DIVISIONS = [
  "new-england", "middle-atlantic", "east-north-central", "west-north-central", "south-atlantic",
  "east-south-central", "west-south-central", "mountain", "pacific",
] as const;
export type Division = (typeof DIVISIONS)[number];

export const LICENSES = ["lcsw", "lpc", "lmft", "psychologist", "psychiatrist", "pmhnp", "associate"] as const;
export type License = (typeof LICENSES)[number];

export const LICENSE_GROUPS = ["masters", "doctoral", "prescriber", "prelicensed"] as const;
export type LicenseGroup = (typeof LICENSE_GROUPS)[number];

export const CHANNELS = ["platform", "direct", "group", "self_pay"] as const;
export type Channel = (typeof CHANNELS)[number];

export const MODALITIES = ["in_person", "telehealth"] as const;
export type Modality = (typeof MODALITIES)[number];

/** Levels of geography a cell is published at, narrowest first (rule "Generalize, don't hide"). */
export const GEO_LEVELS = ["state", "division", "national"] as const;
export type GeoLevel = (typeof GEO_LEVELS)[number];

/** Levels of license a cell is published at, narrowest first. */
export const LICENSE_LEVELS = ["license", "group", "all"] as const;
export type LicenseLevel = (typeof LICENSE_LEVELS)[number];

/** A year window: one year ("2025") or two ("2024-2025"; consecutive is checked where it is parsed). */
export const YEAR_WINDOW_PATTERN = /^(\d{4})(?:-(\d{4}))?$/;

/** Who holds a platform's insurer contracts. */
export const CONTRACT_HOLDERS = ["platform", "therapist", "mixed", "unknown"] as const;
export type ContractHolder = (typeof CONTRACT_HOLDERS)[number];

export const PLAN_TYPES = ["commercial", "medicare", "medicare_advantage", "medicaid", "tricare", "eap", "unknown"] as const;
export type PlanType = (typeof PLAN_TYPES)[number];

export const YEARS_LICENSED = ["0-2", "3-4", "5-9", "10-19", "20+"] as const;
export type YearsLicensed = (typeof YEARS_LICENSED)[number];

export const EMPLOYMENT = ["1099", "w2"] as const;
export type Employment = (typeof EMPLOYMENT)[number];

export const REVIEW_STATUSES = ["accepted", "pending", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const REPORT_SOURCES = ["crowd", "demo"] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** Platform-experience yes/no questions, stored through randomized response. */
export const YES_NO_QUESTIONS = [
  "told_of_fee_split", "rate_cut_12m", "can_export_records", "non_compete", "equity_offered",
] as const;
export type YesNoQuestion = (typeof YES_NO_QUESTIONS)[number];

/**
 * The platform-experience questions whose debiased shares are published (rule "Randomized
 * answers"), in the order the platform pages list them, with the words they are shown with.
 */
export const SHARE_QUESTIONS = [
  { question: "told_of_fee_split", label: "Were told before joining that the platform keeps part of what the insurer pays" },
  { question: "rate_cut_12m", label: "Had their rate cut in the last 12 months" },
  { question: "can_export_records", label: "Can export their clients' records if they leave" },
  { question: "employment_1099", label: "Are paid as 1099 contractors (not W-2 employees)" },
  { question: "non_compete", label: "Have a non-compete or client non-solicit clause" },
  { question: "equity_offered", label: "Were offered equity or a profit share" },
  { question: "caseload_pressure_high", label: "Feel strong pressure to keep a full caseload (4 or 5 of 5)" },
] as const;
export type ShareQuestion = (typeof SHARE_QUESTIONS)[number]["question"];

export const CHANNEL_LABELS: Record<Channel, string> = {
  platform: "Through a platform",
  direct: "My own contract with the payer",
  group: "Through a group practice",
  self_pay: "Self-pay (cash) client",
};
export const MODALITY_LABELS: Record<Modality, string> = { in_person: "In person", telehealth: "Telehealth" };
export const PLAN_TYPE_LABELS: Record<PlanType, string> = {
  commercial: "Commercial",
  medicare: "Medicare",
  medicare_advantage: "Medicare Advantage",
  medicaid: "Medicaid",
  tricare: "TRICARE",
  eap: "EAP",
  unknown: "Not sure",
};
export const EMPLOYMENT_LABELS: Record<Employment, string> = { "1099": "1099 contractor", w2: "W-2 employee" };
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  accepted: "accepted",
  pending: "held for a moderator's review",
  rejected: "rejected",
};
export const CONTRACT_HOLDER_LABELS: Record<ContractHolder, string> = {
  platform: "The platform: it bills insurers under its own contracts",
  therapist: "The therapist: their own insurer contracts",
  mixed: "It varies by insurer or state",
  unknown: "Not known from public sources",
};

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const CPT_PATTERN = /^\d{4}[0-9A-Z]$/;

/** Quotes a list as a SQL IN list for CHECK constraints (constants only, never user input). */
export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", ");
}
