import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { BAND_COUNT, band, bandIndexOfCents, bandLabel } from "../../../src/lib/rules/bands.ts";
import {
  exactPercentile, exactRank, groupedPercentile, interpolateExact, shareInBand,
} from "../../../src/lib/rules/percentiles.ts";

function countsOf(bandIndexes: readonly number[]): Int32Array {
  const counts = new Int32Array(BAND_COUNT);
  for (const i of bandIndexes) counts[i] = (counts[i] as number) + 1;
  return counts;
}

/** Exact amounts in cents, often clustered in a few bands and on edges, as real cells are. */
const exactPay = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 6_000, max: 21_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 275_999 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 2_999, 3_000, 8_999, 9_000, 11_999, 12_000, 15_999, 16_000, 275_999) },
);
const quantile = fc.integer({ min: 1, max: 99 }).map((x) => x / 100);

describe("rule Percentiles only: grouped percentile of band counts", () => {
  it("matches the design's example: [90,120)×2, [120,160)×3 → median $127 in band 120-160", () => {
    const counts = countsOf([3, 3, 4, 4, 4]);
    const p50 = groupedPercentile(counts, 0.5);
    expect(p50).toEqual({ value: 127, bandIndex: 4 });
    expect(bandLabel(p50.bandIndex)).toBe("120-160");
    expect(shareInBand(counts, p50.bandIndex)).toBe(0.6);
  });

  it("returns a band that always holds the ⌈r⌉-th smallest exact value (property)", () => {
    fc.assert(
      fc.property(fc.array(exactPay, { minLength: 1, maxLength: 80 }), quantile, (values, q) => {
        const sorted = [...values].sort((a, b) => a - b);
        const r = q * sorted.length;
        const target = sorted[Math.ceil(r - 1e-9) - 1] as number;
        const p = groupedPercentile(countsOf(values.map(bandIndexOfCents)), q);
        expect(p.bandIndex).toBe(bandIndexOfCents(target));
        const { lo, hi } = band(p.bandIndex);
        expect(p.value).toBeGreaterThanOrEqual(lo);
        expect(p.value).toBeLessThanOrEqual(hi);
      }),
      { numRuns: 1500 },
    );
  });

  it("does the same for the published quantiles 0.1, 0.25, 0.5, 0.75, 0.9, whose ranks are exact (property)", () => {
    fc.assert(
      fc.property(fc.array(exactPay, { minLength: 1, maxLength: 120 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const counts = countsOf(values.map(bandIndexOfCents));
        for (const q of [0.1, 0.25, 0.5, 0.75, 0.9]) {
          const r = q * sorted.length;
          const target = sorted[Math.ceil(r - 1e-9) - 1] as number;
          expect(groupedPercentile(counts, q).bandIndex).toBe(bandIndexOfCents(target));
        }
      }),
      { numRuns: 800 },
    );
  });

  it("is monotone in q, so p10 ≤ p25 ≤ p50 ≤ p75 ≤ p90 (property)", () => {
    fc.assert(
      fc.property(fc.array(exactPay, { minLength: 1, maxLength: 80 }), quantile, quantile, (values, a, b) => {
        const counts = countsOf(values.map(bandIndexOfCents));
        const [q1, q2] = a <= b ? [a, b] : [b, a];
        const p1 = groupedPercentile(counts, q1);
        const p2 = groupedPercentile(counts, q2);
        expect(p1.value).toBeLessThanOrEqual(p2.value);
        expect(p1.bandIndex).toBeLessThanOrEqual(p2.bandIndex);
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the same figure for any exact amounts with the same band counts (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 14 }), fc.double({ min: 0, max: 0.9999, noNaN: true }), fc.double({ min: 0, max: 0.9999, noNaN: true })), { minLength: 1, maxLength: 60 }),
        quantile,
        (rows, q) => {
          const inBand = (i: number, f: number) => { const { lo, hi } = band(i); return Math.floor(lo * 100 + f * (hi - lo) * 100); };
          const a = rows.map(([i, f]) => bandIndexOfCents(inBand(i, f)));
          const b = rows.map(([i, , g]) => bandIndexOfCents(inBand(i, g)));
          expect(groupedPercentile(countsOf(a), q)).toEqual(groupedPercentile(countsOf(b), q));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("refuses q outside (0, 1) and an empty cell", () => {
    const counts = countsOf([3]);
    for (const q of [0, 1, -0.1, 1.5, Number.NaN]) expect(() => groupedPercentile(counts, q)).toThrow(RangeError);
    expect(() => groupedPercentile(new Int32Array(BAND_COUNT), 0.5)).toThrow(RangeError);
  });

  it("publishes the share of values in the median's band to two decimals", () => {
    expect(shareInBand(countsOf([3, 3, 4]), 3)).toBe(0.67);
    expect(shareInBand(countsOf([3, 4, 4]), 3)).toBe(0.33);
    expect(shareInBand(countsOf([5, 5, 5, 5, 5, 5, 6]), 5)).toBe(0.86);
    expect(shareInBand(countsOf([5]), 5)).toBe(1);
  });
});

describe("percentiles of exact payer amounts", () => {
  const sortedValues = fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 60 }).map((v) => v.sort((a, b) => a - b));

  it("lies between the smallest and the largest value (property)", () => {
    fc.assert(
      fc.property(sortedValues, quantile, (values, q) => {
        const p = exactPercentile(values, q);
        expect(p).toBeGreaterThanOrEqual(values[0] as number);
        expect(p).toBeLessThanOrEqual(values[values.length - 1] as number);
      }),
      { numRuns: 1500 },
    );
  });

  it("is monotone in q (property)", () => {
    fc.assert(
      fc.property(sortedValues, fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (values, a, b) => {
        const [q1, q2] = a <= b ? [a, b] : [b, a];
        expect(exactPercentile(values, q1)).toBeLessThanOrEqual(exactPercentile(values, q2));
      }),
      { numRuns: 1500 },
    );
  });

  it("uses rank r = q·m with linear interpolation, and the smallest value at or below rank 1", () => {
    expect(exactPercentile([100, 200], 0.5)).toBe(100); // r = 1
    expect(exactPercentile([100, 200, 300], 0.5)).toBe(150); // r = 1.5
    expect(exactPercentile([100, 200, 300, 400], 0.5)).toBe(200); // r = 2
    expect(exactPercentile([100, 200, 300, 400, 500], 0.5)).toBe(250); // r = 2.5
    expect(exactPercentile([100, 200, 300, 400, 500], 0.1)).toBe(100); // r = 0.5
    expect(exactPercentile([7], 0.9)).toBe(7);
    expect(exactRank(5, 0.5)).toEqual({ r: 2.5, lower: 2, upper: 3 });
    expect(exactRank(4, 0.25)).toEqual({ r: 1, lower: 1, upper: 1 });
    expect(interpolateExact({ r: 2.25, lower: 2, upper: 3 }, 100, 200)).toBe(125);
  });

  it("equals the ⌈r⌉-th value when r is whole, and always lies between the ⌊r⌋-th and ⌈r⌉-th (property)", () => {
    fc.assert(
      fc.property(sortedValues, quantile, (values, q) => {
        const r = q * values.length;
        const p = exactPercentile(values, q);
        const lower = values[Math.max(1, Math.floor(r + 1e-9)) - 1] as number;
        const upper = values[Math.max(1, Math.ceil(r - 1e-9)) - 1] as number;
        expect(p).toBeGreaterThanOrEqual(lower - 1e-6);
        expect(p).toBeLessThanOrEqual(upper + 1e-6);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses no values and q outside (0, 1)", () => {
    expect(() => exactPercentile([], 0.5)).toThrow(RangeError);
    expect(() => exactPercentile([1, 2], 0)).toThrow(RangeError);
    expect(() => exactPercentile([1, 2], 1)).toThrow(RangeError);
  });
});
