import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { BAND_COUNT, band, bandIndexOfCents } from "../../../src/lib/rules/bands.ts";
import { groupedPercentile } from "../../../src/lib/rules/percentiles.ts";
import { percentOfMedicare, takeFromMedians } from "../../../src/lib/rules/take.ts";

describe("rule Take from medians", () => {
  it("matches the design's example: Cigna pays $152, pay median $105 in $90–$120 → about 31%, between 21% and 41%", () => {
    expect(takeFromMedians(105, bandIndexOfCents(10_500), 152)).toEqual({ takeP50: 31, takeLow: 21, takeHigh: 41 });
  });

  it("takes the range from the band's edges only: any paid median in the band gives the same range (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5000 }), (i, f, g, allowed) => {
        const { lo, hi } = band(i);
        const a = takeFromMedians(Math.round(lo + f * (hi - lo)), i, allowed);
        const b = takeFromMedians(Math.round(lo + g * (hi - lo)), i, allowed);
        expect([a.takeLow, a.takeHigh]).toEqual([b.takeLow, b.takeHigh]);
        expect(a.takeLow).toBeLessThanOrEqual(a.takeP50);
        expect(a.takeP50).toBeLessThanOrEqual(a.takeHigh);
      }),
      { numRuns: 1000 },
    );
  });

  it("has a range that always contains the take computed from the ⌈r⌉-th smallest exact paid value (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 3_000, max: 30_000 }), fc.constantFrom(9_000, 11_999, 12_000, 15_999)), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 600 }),
        (paid, allowedP50) => {
          const counts = new Int32Array(BAND_COUNT);
          for (const c of paid) counts[bandIndexOfCents(c)]! += 1;
          const median = groupedPercentile(counts, 0.5);
          const take = takeFromMedians(median.value, median.bandIndex, allowedP50);
          const sorted = [...paid].sort((a, b) => a - b);
          const v = (sorted[Math.ceil(0.5 * sorted.length) - 1] as number) / 100;
          const exactTake = 100 * (1 - v / allowedP50);
          expect(exactTake).toBeGreaterThanOrEqual(take.takeLow - 1e-9);
          expect(exactTake).toBeLessThanOrEqual(take.takeHigh + 1e-9);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("rounds the range outward: take_low down from the upper edge, take_high up from the lower edge", () => {
    // 1 − 120/150 = 20% exactly, 1 − 90/150 = 40% exactly: whole numbers stay whole
    expect(takeFromMedians(100, 3, 150)).toEqual({ takeP50: 33, takeLow: 20, takeHigh: 40 });
    // 1 − 160/170 = 5.88% → 5; 1 − 120/170 = 29.4% → 30
    expect(takeFromMedians(140, 4, 170)).toEqual({ takeP50: 18, takeLow: 5, takeHigh: 30 });
    // a payer amount below the band gives a negative take, still rounded outward
    expect(takeFromMedians(100, 3, 80)).toEqual({ takeP50: -25, takeLow: -50, takeHigh: -12 });
  });

  it("refuses a payer median that is not positive", () => {
    expect(() => takeFromMedians(100, 3, 0)).toThrow(RangeError);
    expect(() => takeFromMedians(100, 3, -5)).toThrow(RangeError);
  });
});

describe("% of Medicare", () => {
  it("is the figure over Medicare's amount as a whole percent, rounded half up, not adjusted by license", () => {
    expect(percentOfMedicare(127, 154.29)).toBe(82);
    expect(percentOfMedicare(154.29, 154.29)).toBe(100);
    expect(percentOfMedicare(50, 200)).toBe(25);
    expect(percentOfMedicare(1, 200)).toBe(1); // 0.5 → 1
    expect(percentOfMedicare(0.99, 200)).toBe(0); // 0.495 → 0
  });

  it("refuses a Medicare amount that is not positive", () => {
    expect(() => percentOfMedicare(100, 0)).toThrow(RangeError);
  });
});
