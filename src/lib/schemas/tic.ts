// The parts of a Transparency in Coverage file the importer decodes (CMS schema 1.x and 2.x;
// ../shared/reference/tic/). Unknown keys are ignored; only what Ratecard keeps is checked.
import { z } from "zod";

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

export const ticTin = z.object({
  type: z.string(),
  value: z.union([z.string(), z.number()]),
  business_name: z.string().optional(),
});

export const ticProviderGroup = z.object({
  npi: z.array(z.union([z.number(), z.string()])),
  tin: ticTin,
});
export type TicProviderGroup = z.infer<typeof ticProviderGroup>;

export const ticProviderReference = z.object({
  provider_group_id: z.number(),
  network_name: z.array(z.string()).optional(),
  provider_groups: z.array(ticProviderGroup).optional(),
  location: z.string().optional(),
}).refine((ref) => ref.provider_groups !== undefined || ref.location !== undefined, {
  message: "a provider reference needs provider_groups or a location",
});
export type TicProviderReference = z.infer<typeof ticProviderReference>;

/** A remote provider reference file (schema 1.x `location`). */
export const ticProviderReferenceFile = z.object({
  provider_groups: z.array(ticProviderGroup),
});

export const ticNegotiatedPrice = z.object({
  negotiated_type: z.string(),
  negotiated_rate: z.number(),
  expiration_date: z.string(),
  billing_class: z.string(),
  service_code: z.array(z.string()).optional(),
  billing_code_modifier: z.array(z.string()).optional(),
});
export type TicNegotiatedPrice = z.infer<typeof ticNegotiatedPrice>;

export const ticNegotiatedRate = z.object({
  provider_references: z.array(z.number()).optional(),
  provider_groups: z.array(ticProviderGroup).optional(),
  negotiated_prices: z.array(ticNegotiatedPrice).min(1),
}).refine((rate) => rate.provider_references !== undefined || rate.provider_groups !== undefined, {
  message: "a negotiated rate needs provider_references or provider_groups",
});
export type TicNegotiatedRate = z.infer<typeof ticNegotiatedRate>;

/** The scalar fields at the top of an in-network or table-of-contents file. */
export const ticFileHeader = z.object({
  reporting_entity_name: z.string().trim().min(1),
  reporting_entity_type: z.string().optional(),
  plan_name: z.string().optional(),
  plan_id_type: z.string().optional(),
  plan_id: z.string().optional(),
  plan_market_type: z.string().optional(),
  last_updated_on: ymd,
  version: z.string().optional(),
});
export type TicFileHeader = z.infer<typeof ticFileHeader>;

export const ticReportingStructure = z.object({
  reporting_plans: z.array(z.object({
    plan_name: z.string(),
    plan_id: z.string().optional(),
    plan_id_type: z.string().optional(),
    plan_market_type: z.string().optional(),
  })),
  in_network_files: z.array(z.object({ location: z.string(), description: z.string().optional() })).optional(),
});
export type TicReportingStructure = z.infer<typeof ticReportingStructure>;

/** "The first problem", as one short line: `path: message`. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "does not follow the schema";
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  return path ? `${path}: ${issue.message}` : issue.message;
}
