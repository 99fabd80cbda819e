// A moderator's TIN → platform mapping for insurers' TiC files (issue 11): what the form may send.
import { z } from "zod";
import { SLUG_PATTERN } from "./codes.ts";

/** "12-3456789", "12345678" (a dropped leading zero) → "012345678"; a type-2 NPI keeps its 10 digits. */
export const tinField = z.string().trim()
  .regex(/^[0-9-]{1,11}$/, { error: "A TIN is 9 digits (12-3456789); a type-2 NPI is 10" })
  .transform((value) => value.replace(/-/g, ""))
  .refine((digits) => digits.length >= 1 && digits.length <= 10, { error: "A TIN is 9 digits (12-3456789); a type-2 NPI is 10" })
  .transform((digits) => (digits.length === 10 ? digits : digits.padStart(9, "0")));

export const tinMappingEditSchema = z.strictObject({
  tin: tinField,
  platform: z.string().regex(SLUG_PATTERN, { error: "Choose a platform" }),
  state: z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, { error: "Choose a state, or none" }).transform((s) => (s === "" ? null : s)),
  source: z.url({ protocol: /^https$/, error: "Give an https:// link to where the mapping is documented" }),
});

export const tinRemoveSchema = z.strictObject({ tin: tinField });

export type TinMappingEdit = z.output<typeof tinMappingEditSchema>;
