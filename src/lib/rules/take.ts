// Rule "Take from medians": the platform's share of the payer amount, from a banded median only.
import { band } from "./bands.ts";
import { ceilSafe, floorSafe, roundHalfUp } from "./rounding.ts";

export type Take = { takeP50: number; takeLow: number; takeHigh: number };

/**
 * take = 1 − p50(paid) / allowed_p50 as a whole percent; the range uses the edges of the paid
 * median's band: take_low from its upper edge (rounded down), take_high from its lower edge
 * (rounded up). Never computed per rate.
 */
export function takeFromMedians(paidP50: number, paidP50Band: number, allowedP50: number): Take {
  if (!(allowedP50 > 0)) throw new RangeError("allowed_p50 must be positive");
  const { lo, hi } = band(paidP50Band);
  return {
    takeP50: roundHalfUp(100 * (1 - paidP50 / allowedP50)),
    takeLow: floorSafe(100 * (1 - hi / allowedP50)),
    takeHigh: ceilSafe(100 * (1 - lo / allowedP50)),
  };
}

/** A figure as a whole percent of Medicare's amount (rule: not adjusted by license). */
export function percentOfMedicare(figure: number, medicareDollars: number): number {
  if (!(medicareDollars > 0)) throw new RangeError("medicare amount must be positive");
  return roundHalfUp((100 * figure) / medicareDollars);
}
