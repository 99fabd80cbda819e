// What moderators may change in the reference data, validated the same way for every form.
import { z } from "zod";
import { CONTRACT_HOLDERS, CPT_PATTERN, PLAN_TYPES, SLUG_PATTERN } from "./codes.ts";
import { hasWholeCents } from "../shared/money.ts";

const text = (max: number, what: string) => z.string().trim().min(1, { error: `${what} is needed` }).max(max, { error: `${what} is too long` });
const httpsUrl = z.url({ protocol: /^https$/, error: "Give an https:// link to the source" });
const slug = z.string().regex(SLUG_PATTERN, { error: "Use lowercase letters, digits and dashes, like grow-therapy" }).max(40);

export const ownerSchema = z.strictObject({
  name: text(120, "The owner's name"),
  relation: text(60, "The relation"),
  source: text(200, "The source"),
  sourceUrl: httpsUrl,
});

/** Owners are entered one per line: name | relation | source | https://link */
export function parseOwnerLines(lines: string): unknown[] {
  return lines.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const [name, relation, source, sourceUrl] = line.split("|").map((part) => part.trim());
    return { name, relation, source, sourceUrl };
  });
}

export const platformEditSchema = z.strictObject({
  slug,
  name: text(80, "The name"),
  website: httpsUrl,
  feeModel: text(2000, "The fee model"),
  feeModelSource: text(200, "The fee model's source"),
  feeModelSourceUrl: httpsUrl,
  contractHolder: z.enum(CONTRACT_HOLDERS, { error: "Choose who holds the insurer contract" }),
  contractHolderSource: text(200, "The contract holder's source"),
  contractHolderSourceUrl: httpsUrl,
  owners: z.array(ownerSchema).max(20),
});

export const payerEditSchema = z.strictObject({
  slug,
  name: text(80, "The name"),
  planTypes: z.array(z.enum(PLAN_TYPES)).min(1, { error: "Choose at least one plan type" }),
  notes: z.string().trim().max(1000),
  sourceUrl: httpsUrl.nullable(),
});

export const cptEditSchema = z.strictObject({
  code: z.string().regex(CPT_PATTERN),
  label: text(80, "The label"),
  description: text(300, "The description"),
});

export const medicareEditSchema = z.strictObject({
  cpt: z.string().regex(CPT_PATTERN),
  year: z.coerce.number().int().min(2000).max(2100),
  amount: z.coerce.number({ error: "Give the amount in dollars" }).positive().max(100_000)
    .refine(hasWholeCents, { error: "At most 2 decimals" }),
  source: text(200, "The source"),
  sourceUrl: httpsUrl,
});

export type PlatformEdit = z.output<typeof platformEditSchema>;
export type PayerEdit = z.output<typeof payerEditSchema>;
export type CptEdit = z.output<typeof cptEditSchema>;
export type MedicareEdit = z.output<typeof medicareEditSchema>;
