// The report submission: one zod schema for the /share form, the JSON API and the OpenAPI document.
import { z } from "zod";
import { hasWholeCents } from "../shared/money.ts";
import {
  CHANNELS, CPT_PATTERN, EMPLOYMENT, LICENSES, MODALITIES, PLAN_TYPES, SLUG_PATTERN, STATES, YEARS_LICENSED,
} from "./codes.ts";

export const MAX_RATES = 10;
export const MIN_RATE_YEAR = 2020;
/** Rates may be reported for the current year and the next (contracts signed ahead). */
export const maxRateYear = (now = new Date()) => now.getUTCFullYear() + 1;

const dollars = (what: string) =>
  z
    .number({ error: `${what} must be a number of dollars, like 95 or 151.74` })
    .min(0.01, { error: `${what} must be at least $0.01` })
    .max(100_000, { error: `${what} looks too large; enter dollars per session` })
    .refine(hasWholeCents, { error: `${what} can have at most 2 decimals (cents)` });

const slug = (what: string) => z.string({ error: `Choose a ${what}` }).regex(SLUG_PATTERN, { error: `Choose a ${what} from the list` });

export const rateSchema = z.strictObject({
  cpt: z.string({ error: "Choose a CPT code" }).regex(CPT_PATTERN, { error: "Choose a CPT code from the list" }),
  modality: z.enum(MODALITIES, { error: "Choose in person or telehealth" }),
  payer: slug("payer").nullish(),
  plan_type: z.enum(PLAN_TYPES, { error: "Choose a plan type, or 'unknown'" }).default("unknown"),
  year: z
    .number({ error: "Enter the year the rate applied, like 2025" })
    .int({ error: "Enter a year like 2025" })
    .min(MIN_RATE_YEAR, { error: `Rates from before ${MIN_RATE_YEAR} are not collected` })
    .refine((year) => year <= maxRateYear(), { error: "That year is in the future" }),
  paid: dollars("The amount you were paid"),
  allowed: dollars("The amount the payer paid").nullish(),
});

export const platformExperienceSchema = z.strictObject({
  told_of_fee_split: z.boolean().nullish(),
  rate_cut_12m: z.boolean().nullish(),
  can_export_records: z.boolean().nullish(),
  monthly_fee: z.number({ error: "The monthly fee must be a number of dollars" }).min(0).max(10_000).refine(hasWholeCents, { error: "At most 2 decimals" }).nullish(),
  percent_fee: z.number({ error: "The percentage must be a number from 0 to 100" }).min(0).max(100).nullish(),
  non_compete: z.boolean().nullish(),
  caseload_pressure: z.number({ error: "Choose 1 to 5" }).int().min(1).max(5).nullish(),
  equity_offered: z.boolean().nullish(),
});

export const reportSubmissionSchema = z
  .strictObject({
    state: z.enum(STATES, { error: "Choose the state you practise in" }),
    license: z.enum(LICENSES, { error: "Choose your license" }),
    years_licensed: z.enum(YEARS_LICENSED, { error: "Choose how long you have been licensed" }),
    channel: z.enum(CHANNELS, { error: "Choose how you are paid" }),
    platform: slug("platform").nullish(),
    employment: z.enum(EMPLOYMENT, { error: "Choose 1099 or W-2" }).nullish(),
    rates: z
      .array(rateSchema, { error: "Add at least one session rate" })
      .min(1, { error: "Add at least one session rate" })
      .max(MAX_RATES, { error: `At most ${MAX_RATES} rates in one report` }),
    platform_experience: platformExperienceSchema.nullish(),
  })
  .superRefine((report, ctx) => {
    if (report.channel === "platform" && !report.platform) {
      ctx.addIssue({ code: "custom", path: ["platform"], message: "Choose the platform that pays you" });
    }
    if (report.channel !== "platform" && report.platform) {
      ctx.addIssue({ code: "custom", path: ["platform"], message: "Leave the platform empty unless you are paid through a platform" });
    }
    report.rates.forEach((rate, i) => {
      if (report.channel !== "self_pay" && !rate.payer) {
        ctx.addIssue({ code: "custom", path: ["rates", i, "payer"], message: "Choose the payer (insurer) for this rate" });
      }
      if (report.channel === "self_pay" && rate.payer) {
        ctx.addIssue({ code: "custom", path: ["rates", i, "payer"], message: "Self-pay rates have no payer; leave it empty" });
      }
      if (report.channel === "self_pay" && rate.allowed != null) {
        ctx.addIssue({ code: "custom", path: ["rates", i, "allowed"], message: "Self-pay rates have no payer amount; leave it empty" });
      }
    });
  });

export type ReportSubmission = z.output<typeof reportSubmissionSchema>;
export type RateSubmission = z.output<typeof rateSchema>;

export type FieldError = { path: string; message: string };

/** zod issues as the API's `errors: [{path, message}]`, with paths like `rates.0.paid`. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return { path, message: `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}` };
    }
    return { path, message: issue.message };
  });
}

export const receiptSchema = z
  .string()
  .transform((value) => value.toLowerCase().replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^[a-z2-7]{26}$/, { error: "A receipt code has 26 letters and digits, like abcd-efgh-…" }));
