// Rules "K reports" and "Count bands": whether a cell may be published, and how its n is shown.

export const MIN_K = 3;
export const DEFAULT_K = 5;
/** p10 and p90 are published only from this many reports (rule "Percentiles only"). */
export const TAIL_PERCENTILE_MIN_N = 20;
/** n is published exactly only from this many reports. */
export const EXACT_N_MIN = 10;

export function assertValidK(k: number): void {
  if (!Number.isInteger(k) || k < MIN_K) throw new RangeError(`K must be a whole number of at least ${MIN_K}`);
}

/** The one function that decides whether a cell may be published: at least K distinct reports. */
export function isPublishable(distinctReports: number, k: number): boolean {
  assertValidK(k);
  return distinctReports >= k;
}

/** n as published: exact from 10 reports, else the band "K-9". */
export function publishedN(distinctReports: number, k: number): { n: number | null; nBand: string } {
  if (!isPublishable(distinctReports, k)) throw new RangeError("cell is not publishable");
  const nBand =
    distinctReports >= 50 ? "50+" : distinctReports >= 20 ? "20-49" : distinctReports >= 10 ? "10-19" : `${k}-9`;
  return { n: distinctReports >= EXACT_N_MIN ? distinctReports : null, nBand };
}
