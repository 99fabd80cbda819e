// Rule "Hold implausible reports": decided from bands, so being counted reveals nothing finer than a band.
import { band, bandIndexOfCents } from "./bands.ts";

export type RateForPlausibility = { paidCents: number; allowedCents: number | null };

export const LOW_MEDICARE_SHARE = 0.2;
export const HIGH_MEDICARE_MULTIPLE = 4;

/** Why a rate must wait for a moderator; empty when it may be accepted. */
export function holdReasons(rate: RateForPlausibility, medicareCents: number | undefined): string[] {
  const index = bandIndexOfCents(rate.paidCents);
  if (index < 0) return ["pay of $2,760 or more per session"];
  const { lo, hi } = band(index);
  const reasons: string[] = [];
  if (medicareCents !== undefined) {
    if (hi * 100 <= LOW_MEDICARE_SHARE * medicareCents) reasons.push("pay band entirely below 20% of Medicare");
    if (lo * 100 > HIGH_MEDICARE_MULTIPLE * medicareCents) reasons.push("pay band entirely above 400% of Medicare");
  }
  if (rate.allowedCents !== null && rate.allowedCents < lo * 100) {
    reasons.push("payer amount below the lower edge of the pay band");
  }
  return reasons;
}

/** The Medicare amount for a year: that year's, else the closest earlier one, else the earliest. */
export function medicareForYear(byYear: ReadonlyMap<number, number> | undefined, year: number): number | undefined {
  if (!byYear || byYear.size === 0) return undefined;
  if (byYear.has(year)) return byYear.get(year);
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const earlier = years.filter((y) => y <= year);
  const chosen = earlier.length > 0 ? earlier[earlier.length - 1] : years[0];
  return byYear.get(chosen as number);
}
