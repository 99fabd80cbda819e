// Schemas of the release-only tables, described in the same registry as the API (src/lib/schemas/api.ts).
import { z } from "zod";
import { apiDocs, snapshotChangesSchema, snapshotInfoSchema } from "../../schemas/api.ts";

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

/** The snapshots.csv columns: snapshots.json's, in its order, with `changes` flattened into its own columns. */
export const SNAPSHOT_CSV_COLUMNS = Object.keys(snapshotInfoSchema.shape).flatMap((column) =>
  column === "changes" ? Object.keys(snapshotChangesSchema.shape) : [column]);
