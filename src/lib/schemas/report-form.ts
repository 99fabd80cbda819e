// Turns the /share form's flat fields (rates.0.paid, experience.rate_cut_12m …) into a submission
// for reportSubmissionSchema, and maps error paths back to the form's own field names.
import { MAX_RATES } from "./report.ts";
import type { FieldError } from "./report.ts";
import { parseMoney } from "../shared/money.ts";
import { YES_NO_QUESTIONS } from "./codes.ts";

export const RATE_FIELDS = ["cpt", "modality", "payer", "plan_type", "year", "paid", "allowed"] as const;
const RATE_NUMBERS = new Set(["year", "paid", "allowed"]);
const LINE_MARKERS = ["cpt", "payer", "paid", "allowed"] as const;
const EXPERIENCE_NUMBERS = ["monthly_fee", "percent_fee", "caseload_pressure"] as const;

export type FormValues = Record<string, string>;
export type FormSubmission = { input: Record<string, unknown>; rateLines: number[] };

/** The form's text values, trimmed; files and repeated keys are ignored. */
export function formValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !(key in values) && key.length <= 64) values[key] = value.trim().slice(0, 200);
  }
  return values;
}

/** "$1,234.50" → 1234.5; anything not a number stays text so the schema can say what is wrong. */
function numberField(raw: string | undefined): unknown {
  if (raw === undefined || raw === "") return undefined;
  return parseMoney(raw) ?? raw;
}

function yesNoField(raw: string | undefined): boolean | undefined {
  if (raw === "yes") return true;
  if (raw === "no") return false;
  return undefined;
}

const optional = (raw: string | undefined) => (raw === undefined || raw === "" ? undefined : raw);

export function formToSubmission(values: FormValues): FormSubmission {
  const channel = optional(values.channel);
  const rateLines: number[] = [];
  const rates: Record<string, unknown>[] = [];
  for (let line = 0; line < MAX_RATES; line++) {
    // Modality, plan type and year come pre-selected, so only these mark a line as used.
    const filled = LINE_MARKERS.some((field) => optional(values[`rates.${line}.${field}`]) !== undefined);
    if (!filled) continue;
    const rate: Record<string, unknown> = {};
    for (const field of RATE_FIELDS) {
      const raw = values[`rates.${line}.${field}`];
      const value = RATE_NUMBERS.has(field) ? numberField(raw) : optional(raw);
      if (value !== undefined) rate[field] = value;
    }
    // A form user who picked a payer and then chose self-pay means "no payer".
    if (channel === "self_pay") {
      delete rate.payer;
      delete rate.allowed;
    }
    rates.push(rate);
    rateLines.push(line);
  }
  const experience: Record<string, unknown> = {};
  for (const field of YES_NO_QUESTIONS) {
    const value = yesNoField(values[`experience.${field}`]);
    if (value !== undefined) experience[field] = value;
  }
  for (const field of EXPERIENCE_NUMBERS) {
    const value = numberField(values[`experience.${field}`]);
    if (value !== undefined) experience[field] = value;
  }
  const input: Record<string, unknown> = { rates };
  for (const field of ["state", "license", "years_licensed", "channel", "employment"] as const) {
    const value = optional(values[field]);
    if (value !== undefined) input[field] = value;
  }
  if (channel === "platform" && optional(values.platform)) input.platform = values.platform;
  if (channel === "platform" && Object.keys(experience).length > 0) input.platform_experience = experience;
  return { input, rateLines };
}

/** Error paths of the submission (rates.1.paid) as the form's field names (rates.3.paid). */
export function formErrorPaths(errors: FieldError[], rateLines: number[]): FieldError[] {
  return errors.map((error) => {
    const match = /^rates\.(\d+)(\..*)?$/.exec(error.path);
    if (match) return { ...error, path: `rates.${rateLines[Number(match[1])] ?? match[1]}${match[2] ?? ""}` };
    if (error.path.startsWith("platform_experience.")) return { ...error, path: error.path.replace("platform_experience.", "experience.") };
    return error;
  });
}
