// The fixed vocabularies of DESIGN.md "Contract details": enums shared by schema, forms, API and rules.
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

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const CPT_PATTERN = /^\d{4}[0-9A-Z]$/;

/** Quotes a list as a SQL IN list for CHECK constraints (constants only, never user input). */
export function sqlList(values: readonly string[]): string {
  return values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", ");
}
