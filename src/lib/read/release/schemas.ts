// Schemas of the release-only tables, described in the same registry as the API (src/lib/schemas/api.ts).
import { z } from "zod";
import { apiDocs } from "../../schemas/api.ts";

function doc<T extends z.ZodType>(schema: T, description: string): T {
  apiDocs.add(schema, { description });
  return schema;
}

export const publishedShareSchema = doc(z.strictObject({
  platform: doc(z.string(), "Platform slug, or all for every platform."),
  question: doc(z.string(), "The platform-experience question, e.g. told_of_fee_split or rate_cut_12m."),
  n: doc(z.int().min(20), "Answers to the question (shares are published only with 20 or more)."),
  share_pct: doc(z.int().min(0).max(100), "Debiased share answering yes, whole percent (rule \"Randomized answers\")."),
  margin_pct: doc(z.int().min(0), "Margin of the share at 95%, whole percentage points."),
}), "One published platform-experience share.");
