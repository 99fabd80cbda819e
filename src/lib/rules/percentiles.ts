// Percentiles (DESIGN "Statistics"): of pay from band counts only; of payer amounts from sorted exact values.
import { BAND_COUNT, band } from "./bands.ts";
import { roundHalfUp } from "./rounding.ts";

export type BandedPercentile = { value: number; bandIndex: number };

/**
 * Percentile q of banded values, given only the count of values in each band.
 * Rank r = q·m; the first band (in order) whose cumulative count C + f ≥ r with f > 0 holds
 * the figure lo + (r − C) / f · (hi − lo), rounded half up to whole dollars.
 */
export function groupedPercentile(bandCounts: ArrayLike<number>, q: number): BandedPercentile {
  if (!(q > 0 && q < 1)) throw new RangeError("q must be strictly between 0 and 1");
  let m = 0;
  for (let i = 0; i < BAND_COUNT; i++) m += bandCounts[i] ?? 0;
  if (m <= 0) throw new RangeError("no values");
  const r = q * m;
  let below = 0;
  for (let i = 0; i < BAND_COUNT; i++) {
    const f = bandCounts[i] ?? 0;
    if (f > 0 && below + f >= r - 1e-9) {
      const { lo, hi } = band(i);
      return { value: roundHalfUp(lo + ((r - below) / f) * (hi - lo)), bandIndex: i };
    }
    below += f;
  }
  throw new Error("unreachable: ranks exceed the count");
}

/** Share of values in band `index`, to two decimals (the one band-count figure published). */
export function shareInBand(bandCounts: ArrayLike<number>, index: number): number {
  let m = 0;
  for (let i = 0; i < BAND_COUNT; i++) m += bandCounts[i] ?? 0;
  return roundHalfUp(((bandCounts[index] ?? 0) / m) * 100) / 100;
}

export type ExactRank = { r: number; lower: number; upper: number };

/**
 * Percentile q of m exact values uses the same rank r = q·m, interpolated linearly between the
 * ⌊r⌋-th and ⌈r⌉-th smallest values (1-based; a rank at or below 1 takes the smallest).
 */
export function exactRank(m: number, q: number): ExactRank {
  if (!(m > 0)) throw new RangeError("no values");
  if (!(q > 0 && q < 1)) throw new RangeError("q must be strictly between 0 and 1");
  const r = q * m;
  if (r <= 1) return { r: 1, lower: 1, upper: 1 };
  return { r, lower: Math.floor(r), upper: Math.min(Math.ceil(r), m) };
}

/** The interpolated figure, given the values at ranks `lower` and `upper`. */
export function interpolateExact(rank: ExactRank, lowerValue: number, upperValue: number): number {
  return lowerValue + (rank.r - rank.lower) * (upperValue - lowerValue);
}

export function exactPercentile(sortedAscending: ArrayLike<number>, q: number): number {
  const rank = exactRank(sortedAscending.length, q);
  return interpolateExact(rank, sortedAscending[rank.lower - 1] as number, sortedAscending[rank.upper - 1] as number);
}
