import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { BAND_COUNT, band } from "../../../src/lib/rules/bands.ts";
import { holdReasons, medicareForYear } from "../../../src/lib/rules/plausibility.ts";

const inBand = (i: number, f: number) => {
  const { lo, hi } = band(i);
  return Math.min(hi * 100 - 1, lo * 100 + Math.floor(f * (hi - lo) * 100));
};
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

describe("rule Hold implausible reports", () => {
  it("gives two pay amounts in the same band the same reasons, whatever Medicare's amount (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BAND_COUNT - 1 }), fraction, fraction,
        fc.option(fc.integer({ min: 100, max: 200_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 300_000 }), { nil: null }),
        (i, f, g, medicareCents, allowedCents) => {
          const a = holdReasons({ paidCents: inBand(i, f), allowedCents }, medicareCents);
          const b = holdReasons({ paidCents: inBand(i, g), allowedCents }, medicareCents);
          expect(a).toEqual(b);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("gives every amount of a band the same reasons when Medicare's thresholds fall inside the band (sweep)", () => {
    // 20% of $250 = $50, inside [30, 60); 400% of $100 = $400, inside [370, 490)
    for (const [medicareCents, bandIndex] of [[25_000, 1], [10_000, 8]] as const) {
      const { lo, hi } = band(bandIndex);
      const first = holdReasons({ paidCents: lo * 100, allowedCents: null }, medicareCents);
      for (let c = lo * 100; c < hi * 100; c += 7) {
        expect(holdReasons({ paidCents: c, allowedCents: null }, medicareCents), `${c}`).toEqual(first);
      }
      expect(holdReasons({ paidCents: hi * 100 - 1, allowedCents: null }, medicareCents)).toEqual(first);
      expect(first).toEqual([]);
    }
  });

  it("holds pay in a band entirely below 20% of Medicare, and only then", () => {
    // 20% of $154.29 = $30.86: the band [0, 30) lies below it; [30, 60) does not
    expect(holdReasons({ paidCents: 2_999, allowedCents: null }, 15_429)).toEqual(["pay band entirely below 20% of Medicare"]);
    expect(holdReasons({ paidCents: 0, allowedCents: null }, 15_429)).toEqual(["pay band entirely below 20% of Medicare"]);
    expect(holdReasons({ paidCents: 3_000, allowedCents: null }, 15_429)).toEqual([]);
    // 20% of $150 = $30 exactly: [0, 30) is entirely below it
    expect(holdReasons({ paidCents: 2_999, allowedCents: null }, 15_000)).toContain("pay band entirely below 20% of Medicare");
    // 20% of $149.99 = $29.998: [0, 30) is not entirely below it
    expect(holdReasons({ paidCents: 100, allowedCents: null }, 14_999)).toEqual([]);
  });

  it("holds pay in a band entirely above 400% of Medicare, and only then", () => {
    // 400% of $154.29 = $617.16: [490, 650) reaches below it, [650, 870) lies above it
    expect(holdReasons({ paidCents: 64_999, allowedCents: null }, 15_429)).toEqual([]);
    expect(holdReasons({ paidCents: 65_000, allowedCents: null }, 15_429)).toEqual(["pay band entirely above 400% of Medicare"]);
    // 400% of $162.50 = $650 exactly: [650, 870) starts at it, so is not entirely above it
    expect(holdReasons({ paidCents: 65_000, allowedCents: null }, 16_250)).toEqual([]);
  });

  it("holds pay of $2,760 or more, and not $2,759.99 for that reason", () => {
    for (const paidCents of [276_000, 276_001, 1_000_000]) {
      expect(holdReasons({ paidCents, allowedCents: null }, 15_429)).toEqual(["pay of $2,760 or more per session"]);
      expect(holdReasons({ paidCents, allowedCents: null }, undefined)).toEqual(["pay of $2,760 or more per session"]);
    }
    expect(holdReasons({ paidCents: 275_999, allowedCents: null }, undefined)).toEqual([]);
  });

  it("holds a payer amount below the lower edge of its pay's band, and not one at or above it", () => {
    // pay $100 is in [90, 120): a payer amount of $89.99 is below the band, $90 is not
    expect(holdReasons({ paidCents: 10_000, allowedCents: 8_999 }, 15_429)).toEqual(["payer amount below the lower edge of the pay band"]);
    expect(holdReasons({ paidCents: 10_000, allowedCents: 9_000 }, 15_429)).toEqual([]);
    // a payer amount below the pay itself but inside its band is not held: that would reveal pay within its band
    expect(holdReasons({ paidCents: 11_999, allowedCents: 9_500 }, 15_429)).toEqual([]);
    expect(holdReasons({ paidCents: 9_000, allowedCents: 9_500 }, 15_429)).toEqual([]);
  });

  it("gives a payer amount the same verdict across its own band, as it is compared with an edge (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: BAND_COUNT - 1 }), fraction, fc.integer({ min: 0, max: BAND_COUNT - 1 }), fraction, fraction, (payBand, f, allowedBand, g, h) => {
        const paidCents = inBand(payBand, f);
        const a = holdReasons({ paidCents, allowedCents: inBand(allowedBand, g) }, undefined);
        const b = holdReasons({ paidCents, allowedCents: inBand(allowedBand, h) }, undefined);
        expect(a).toEqual(b);
        expect(a.length > 0).toBe(allowedBand < payBand);
      }),
      { numRuns: 2000 },
    );
  });

  it("applies no Medicare test when the code has no Medicare amount", () => {
    expect(holdReasons({ paidCents: 100, allowedCents: null }, undefined)).toEqual([]);
    expect(holdReasons({ paidCents: 200_000, allowedCents: null }, undefined)).toEqual([]);
  });
});

describe("Medicare amount for a year", () => {
  const byYear = new Map([[2025, 15_429], [2026, 16_700]]);
  it("uses that year's amount, else the closest earlier year's, else the earliest", () => {
    expect(medicareForYear(byYear, 2025)).toBe(15_429);
    expect(medicareForYear(byYear, 2026)).toBe(16_700);
    expect(medicareForYear(byYear, 2030)).toBe(16_700);
    expect(medicareForYear(byYear, 2020)).toBe(15_429);
    expect(medicareForYear(new Map([[2022, 1], [2024, 2], [2026, 3]]), 2025)).toBe(2);
    expect(medicareForYear(undefined, 2025)).toBeUndefined();
    expect(medicareForYear(new Map(), 2025)).toBeUndefined();
  });
});
