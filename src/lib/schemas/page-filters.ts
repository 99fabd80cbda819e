// The query and form fields of the comparison pages (/compare, /check-offer): one schema each, so a
// shared URL or a posted form is read the same way everywhere. Unknown values fall back to "all".
import { z } from "zod";
import { CPT_PATTERN, LICENSES, MODALITIES, SLUG_PATTERN, STATES, YEAR_WINDOW_PATTERN } from "./codes.ts";
import { parseMoney } from "../shared/money.ts";

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : typeof value === "string" ? value.trim() : value);

const field = {
  cpt: z.preprocess(blankToUndefined, z.string().regex(CPT_PATTERN, "Choose a CPT code from the list.").optional()),
  state: z.preprocess(blankToUndefined, z.enum(STATES, "Choose a state from the list.").optional()),
  license: z.preprocess(blankToUndefined, z.enum(LICENSES, "Choose a license from the list.").optional()),
  modality: z.preprocess(blankToUndefined, z.enum(MODALITIES, "Choose in person or telehealth.").optional()),
  year: z.preprocess(blankToUndefined, z.string().regex(YEAR_WINDOW_PATTERN, "Choose a year from the list.").optional()),
};

export const compareQuerySchema = z.object(field);
export type CompareQuery = z.infer<typeof compareQuerySchema>;

export type FieldProblems = Record<string, string>;

/**
 * Reads each field on its own, so one bad value in a shared URL drops only that value (the page
 * says so) instead of the whole query.
 */
export function parseFields<S extends z.ZodObject>(schema: S, values: Record<string, string | undefined>): { data: Partial<z.infer<S>>; problems: FieldProblems } {
  const data: Record<string, unknown> = {};
  const problems: FieldProblems = {};
  for (const [name, fieldSchema] of Object.entries(schema.shape)) {
    const result = (fieldSchema as z.ZodType).safeParse(values[name]);
    if (result.success) {
      if (result.data !== undefined) data[name] = result.data;
    } else {
      problems[name] = result.error.issues[0]?.message ?? "Not a known value.";
    }
  }
  return { data: data as Partial<z.infer<S>>, problems };
}

const amount = (message: string) => z.preprocess(
  (value) => {
    const text = blankToUndefined(value);
    if (typeof text !== "string") return text;
    return parseMoney(text) ?? text;
  },
  z.number(message).positive("Must be more than $0.").max(2760, "Must be below $2,760 per session."),
);

/** Who the offer comes from: a platform ("platform:alma") or one's own contract with a payer ("direct:cigna"). */
export const OFFER_SOURCE_PATTERN = /^(platform|direct):([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export const offerFormSchema = z.object({
  source: z.preprocess(blankToUndefined, z.string("Choose who makes the offer.").regex(OFFER_SOURCE_PATTERN, "Choose who makes the offer.")),
  payer: z.preprocess(blankToUndefined, z.string().regex(SLUG_PATTERN, "Choose a payer from the list.").optional()),
  cpt: z.preprocess(blankToUndefined, z.string("Choose a CPT code.").regex(CPT_PATTERN, "Choose a CPT code.")),
  state: field.state,
  license: field.license,
  modality: field.modality,
  amount: amount("Enter the offered pay per session in dollars, like 95."),
  allowed: z.preprocess(blankToUndefined, amount("Enter what the insurer pays in dollars, like 151.74.").optional()),
});
export type OfferForm = z.infer<typeof offerFormSchema>;
