// Rule "Randomized answers": perturb at collection, debias at publication.
import { ceilSafe, roundHalfUp } from "./rounding.ts";

/** Probability that a true answer is kept as given. */
export const KEEP_PROBABILITY = 0.75;
export const SCALE_MAX = 5;
/** Shares are published only from this many answers. */
export const SHARE_MIN_ANSWERS = 20;
const Z95 = 1.959964;

/** A source of uniform numbers in [0, 1); the server passes a cryptographic one. */
export type Uniform = () => number;

export function randomizeYesNo(truth: boolean, uniform: Uniform): boolean {
  if (uniform() < KEEP_PROBABILITY) return truth;
  return uniform() < 0.5;
}

export function randomizeScale(truth: number, uniform: Uniform): number {
  if (!Number.isInteger(truth) || truth < 1 || truth > SCALE_MAX) throw new RangeError("scale answers are 1 to 5");
  if (uniform() < KEEP_PROBABILITY) return truth;
  return 1 + Math.min(SCALE_MAX - 1, Math.floor(uniform() * SCALE_MAX));
}

/**
 * Probability that a replaced answer lands in the counted set: 1/2 for yes/no, 2/5 for
 * "4 or 5" on the 1–5 scale.
 */
export const REPLACED_YES = { yesNo: 0.5, scaleHigh: 2 / SCALE_MAX } as const;

export type DebiasedShare = { sharePct: number; marginPct: number; n: number };

/**
 * The true share estimated from stored answers: P(stored yes) = keep·π + (1 − keep)·replacedYes.
 * The 95% margin uses the Agresti–Coull adjusted proportion so that a sample of all-no or
 * all-yes answers still gets an honest margin. Null below SHARE_MIN_ANSWERS.
 */
export function debiasedShare(yesCount: number, n: number, replacedYes: number): DebiasedShare | null {
  if (!Number.isInteger(yesCount) || !Number.isInteger(n) || yesCount < 0 || yesCount > n) {
    throw new RangeError("counts must be whole numbers with yes ≤ n");
  }
  if (n < SHARE_MIN_ANSWERS) return null;
  const observed = yesCount / n;
  const base = (1 - KEEP_PROBABILITY) * replacedYes;
  const estimate = Math.min(1, Math.max(0, (observed - base) / KEEP_PROBABILITY));
  const adjusted = (yesCount + 2) / (n + 4);
  const margin = (Z95 * Math.sqrt((adjusted * (1 - adjusted)) / (n + 4))) / KEEP_PROBABILITY;
  return { sharePct: roundHalfUp(100 * estimate), marginPct: ceilSafe(100 * margin), n };
}
