// Rule "Banded pay": the fixed band edges and the mapping of an amount to its band.

/** Band edges in whole dollars. Band i is [EDGES[i], EDGES[i+1]); the top band ends at 2760. */
export const BAND_EDGES = [0, 30, 60, 90, 120, 160, 210, 280, 370, 490, 650, 870, 1160, 1550, 2070, 2760] as const;
export const BAND_COUNT = BAND_EDGES.length - 1;
/** Pay at or above this many dollars is held as implausible (rule "Hold implausible reports"). */
export const IMPLAUSIBLE_PAY_DOLLARS = BAND_EDGES[BAND_COUNT];

export type Band = { index: number; lo: number; hi: number };

/** The band index of an amount in cents, or -1 when it is at or above the top edge. */
export function bandIndexOfCents(cents: number): number {
  if (!Number.isFinite(cents) || cents < 0) throw new RangeError("amount must be a non-negative number of cents");
  for (let i = 0; i < BAND_COUNT; i++) {
    if (cents < (BAND_EDGES[i + 1] as number) * 100) return i;
  }
  return -1;
}

export function band(index: number): Band {
  if (!Number.isInteger(index) || index < 0 || index >= BAND_COUNT) throw new RangeError(`no band ${index}`);
  return { index, lo: BAND_EDGES[index] as number, hi: BAND_EDGES[index + 1] as number };
}

/** "90-120": the published name of a band. */
export function bandLabel(index: number): string {
  const { lo, hi } = band(index);
  return `${lo}-${hi}`;
}

/**
 * A SQL expression that maps an integer cents column to its band index (NULL above the top
 * edge). The snapshot loader selects this instead of the amount, so the code that computes
 * published pay figures never receives an exact pay amount.
 */
export function bandIndexSql(centsColumn: string): string {
  if (!/^[a-z_.]+$/.test(centsColumn)) throw new Error("column name must be a plain identifier");
  const arms = BAND_EDGES.slice(1).map((edge, i) => `WHEN ${centsColumn} < ${edge * 100} THEN ${i}`);
  return `CASE ${arms.join(" ")} ELSE NULL END`;
}
