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

export const sharesResponseSchema = z.strictObject({
  ok: z.literal(true),
  snapshot: z.int().positive(),
  rows: z.array(publishedShareSchema),
  next: z.null(),
  next_url: z.null(),
});
apiDocs.add(sharesResponseSchema, { id: "SharesResponse", description: "Every published platform-experience share of a snapshot, by platform and question." });

/** The snapshots.csv columns: snapshots.json's, with `changes` flattened and band edges as JSON. */
export const SNAPSHOT_CSV_COLUMNS = [
  "id", "created_at", "is_demo", "rules_version", "k", "band_edges", "reports_used", "reports_used_band", "cells_published",
  "previous_snapshot", "added", "removed", "changed", "unchanged", "citation", "aggregates_json", "aggregates_csv",
] as const;
