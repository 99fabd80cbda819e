// Rule "Count bands" for a whole snapshot: how many reports it used, published as a cell's n is
// (exact from 10, else a band), so that a watcher cannot see one report arrive in a small snapshot.
import { EXACT_N_MIN, assertValidK, publishedN } from "./eligibility.ts";

export type PublishedReportCount = { reportsUsed: number | null; reportsUsedBand: string };

export function publishedReportCount(reportsUsed: number, k: number): PublishedReportCount {
  assertValidK(k);
  if (!Number.isInteger(reportsUsed) || reportsUsed < 0) throw new RangeError("reportsUsed must be a whole number");
  if (reportsUsed < k) return { reportsUsed: null, reportsUsedBand: `0-${k - 1}` };
  const { n, nBand } = publishedN(reportsUsed, k);
  return { reportsUsed: reportsUsed >= EXACT_N_MIN ? n : null, reportsUsedBand: nBand };
}
