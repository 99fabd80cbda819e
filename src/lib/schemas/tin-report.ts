// A reader's report of a wrong TIN → platform mapping (the /data form): the TIN as written on an
// EOB or in a file (dash, spaces and dropped leading zeros allowed), the right platform if known, why.
import { z } from "zod";
import { SLUG_PATTERN } from "./codes.ts";

/** 12-3456789, 123456789 or 23456789 → "123456789"/"023456789"; a 10-digit type-2 NPI stays as it is. */
export function normalizeTin(raw: string): string | null {
  const digits = raw.replace(/[\s-]/g, "");
  if (!/^\d{1,10}$/.test(digits)) return null;
  return digits.length === 10 ? digits : digits.padStart(9, "0");
}

export const tinMappingReportSchema = z.strictObject({
  tin: z.string().trim().min(1, { error: "Give the TIN (tax ID) or NPI of the provider group" })
    .transform((value, ctx) => {
      const tin = normalizeTin(value);
      if (tin === null) {
        ctx.addIssue({ code: "custom", message: "A TIN has 9 digits (12-3456789); a group NPI has 10" });
        return z.NEVER;
      }
      return tin;
    }),
  platform: z.union([z.literal(""), z.string().regex(SLUG_PATTERN, { error: "Choose a platform from the list" })])
    .optional().transform((value) => (value ? value : null)),
  message: z.string().trim().min(10, { error: "Say in a few words what is wrong, and how you know (a link helps)" })
    .max(1000, { error: "Keep it under 1,000 characters" }),
});

export type TinMappingReportInput = z.output<typeof tinMappingReportSchema>;
