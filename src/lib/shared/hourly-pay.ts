// True hourly pay of an offer: what per-session pay is worth per hour actually worked, after
// no-shows, unpaid notes and admin, platform fees and (for 1099 contractors) the employer's half of
// payroll tax. Pure, and small enough to run in the browser as well as on the server.
import { parseMoney } from "./money.ts";

/** One input of an offer, with its limits: the single source for the form, the server and the browser. */
export type HourlyField = {
  name: HourlyInputName;
  label: string;
  hint: string;
  min: number;
  max: number;
  /** Filled in when the form is first shown. */
  initial: number;
};

export type HourlyInputName =
  | "pay" | "sessionsPerWeek" | "noShowPercent" | "sessionMinutes" | "unpaidMinutes" | "weeksPerYear" | "monthlyFee" | "percentFee";

export type Employment = "1099" | "w2";

export type HourlyInputs = Record<HourlyInputName, number> & { employment: Employment };

export const HOURLY_FIELDS: readonly HourlyField[] = [
  { name: "pay", label: "Pay per session ($)", hint: "What you receive for one session.", min: 1, max: 2760, initial: 95 },
  { name: "sessionsPerWeek", label: "Sessions booked per week", hint: "", min: 1, max: 60, initial: 25 },
  { name: "noShowPercent", label: "No-shows and late cancellations (%)", hint: "Booked sessions you are not paid for.", min: 0, max: 100, initial: 10 },
  { name: "sessionMinutes", label: "Minutes per session", hint: "Time with the client.", min: 5, max: 240, initial: 53 },
  { name: "unpaidMinutes", label: "Unpaid minutes per session", hint: "Notes, messages, billing and admin.", min: 0, max: 240, initial: 15 },
  { name: "weeksPerYear", label: "Weeks worked per year", hint: "", min: 1, max: 52, initial: 46 },
  { name: "monthlyFee", label: "Platform fee per month ($)", hint: "0 if none.", min: 0, max: 10000, initial: 0 },
  { name: "percentFee", label: "Platform keeps of your pay (%)", hint: "0 if your pay above is already after its cut.", min: 0, max: 100, initial: 0 },
];

/** Social Security wage base for 2026 (SSA): the 6.2% part of payroll tax stops there. */
export const SOCIAL_SECURITY_WAGE_BASE = 184_500;
/** The employer's half of payroll tax: Social Security 6.2% (to the wage base) and Medicare 1.45%. */
const EMPLOYER_SOCIAL_SECURITY = 0.062;
const EMPLOYER_MEDICARE = 0.0145;
/** Self-employment tax applies to 92.35% of net earnings (IRS Schedule SE). */
const SE_EARNINGS_SHARE = 0.9235;

export type HourlyResult = {
  paidSessionsPerWeek: number;
  hoursPerWeek: number;
  grossPerYear: number;
  feesPerYear: number;
  /** The employer half of payroll tax a 1099 contractor pays on top of a W-2 employee's share. */
  extraTaxPerYear: number;
  incomePerYear: number;
  /** Income per hour actually worked (sessions, including no-show slots, plus unpaid minutes). */
  effectiveHourly: number;
};

export function trueHourlyPay(input: HourlyInputs): HourlyResult {
  const paidSessionsPerWeek = input.sessionsPerWeek * (1 - input.noShowPercent / 100);
  // A no-show still blocks the slot; notes and admin follow only the sessions that happen.
  const hoursPerWeek = (input.sessionsPerWeek * input.sessionMinutes + paidSessionsPerWeek * input.unpaidMinutes) / 60;
  const grossPerYear = paidSessionsPerWeek * input.pay * input.weeksPerYear;
  const feesPerYear = Math.min(grossPerYear, input.monthlyFee * 12 + grossPerYear * (input.percentFee / 100));
  const net = grossPerYear - feesPerYear;
  const seEarnings = Math.max(0, net * SE_EARNINGS_SHARE);
  const extraTaxPerYear = input.employment === "1099"
    ? Math.min(seEarnings, SOCIAL_SECURITY_WAGE_BASE) * EMPLOYER_SOCIAL_SECURITY + seEarnings * EMPLOYER_MEDICARE
    : 0;
  const incomePerYear = net - extraTaxPerYear;
  const hoursPerYear = hoursPerWeek * input.weeksPerYear;
  return {
    paidSessionsPerWeek,
    hoursPerWeek,
    grossPerYear,
    feesPerYear,
    extraTaxPerYear,
    incomePerYear,
    effectiveHourly: hoursPerYear > 0 ? incomePerYear / hoursPerYear : 0,
  };
}

export type HourlyParse = { ok: true; inputs: HourlyInputs } | { ok: false; errors: Partial<Record<HourlyInputName | "employment", string>> };

/** Reads one offer's fields ("a.pay", "a.sessionsPerWeek" …) from form values, checking each against its limits. */
export function parseHourlyOffer(values: Record<string, string | undefined>, prefix: string): HourlyParse {
  const errors: Partial<Record<HourlyInputName | "employment", string>> = {};
  const inputs: Partial<HourlyInputs> = {};
  for (const field of HOURLY_FIELDS) {
    const value = parseMoney((values[`${prefix}.${field.name}`] ?? "").trim().replace(/%$/, ""));
    if (value === undefined) errors[field.name] = "Enter a number.";
    else if (value < field.min || value > field.max) errors[field.name] = `Enter a number from ${field.min} to ${field.max.toLocaleString("en-US")}.`;
    else inputs[field.name] = value;
  }
  const employment = values[`${prefix}.employment`];
  if (employment === "1099" || employment === "w2") inputs.employment = employment;
  else errors.employment = "Choose 1099 or W-2.";
  return Object.keys(errors).length === 0 ? { ok: true, inputs: inputs as HourlyInputs } : { ok: false, errors };
}

/** A parse's errors keyed by the form's field names ("a.pay"). */
export function hourlyFieldErrors(prefix: string, parse: HourlyParse): Record<string, string> {
  if (parse.ok) return {};
  return Object.fromEntries(Object.entries(parse.errors).map(([name, message]) => [`${prefix}.${name}`, message]));
}

export type HourlyComparison = {
  values: Record<string, string>;
  results: Record<"a" | "b", HourlyResult | null>;
  /** Keyed by field name ("b.noShowPercent"); empty unless the comparison was posted. */
  errors: Record<string, string>;
};

/** The example the form starts with: a $95 platform offer against a $130 one with more admin. */
export const HOURLY_EXAMPLE: Record<string, string> = {
  ...initialHourlyValues("a", "1099"),
  ...initialHourlyValues("b", "1099", { pay: 130, unpaidMinutes: 25 }),
};

/** Offers A and B side by side, from the form's values; errors are reported only for a posted comparison. */
export function compareOffers(values: Record<string, string>, posted: boolean): HourlyComparison {
  const a = parseHourlyOffer(values, "a");
  const b = parseHourlyOffer(values, "b");
  return {
    values,
    results: { a: a.ok ? trueHourlyPay(a.inputs) : null, b: b.ok ? trueHourlyPay(b.inputs) : null },
    errors: posted ? { ...hourlyFieldErrors("a", a), ...hourlyFieldErrors("b", b) } : {},
  };
}

/** The form's starting values for an offer. */
export function initialHourlyValues(prefix: string, employment: Employment, overrides: Partial<Record<HourlyInputName, number>> = {}): Record<string, string> {
  const values: Record<string, string> = { [`${prefix}.employment`]: employment };
  for (const field of HOURLY_FIELDS) values[`${prefix}.${field.name}`] = String(overrides[field.name] ?? field.initial);
  return values;
}
