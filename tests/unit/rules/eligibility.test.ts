import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  DEFAULT_K, EXACT_N_MIN, MIN_K, TAIL_PERCENTILE_MIN_N, assertValidK, isPublishable, publishedN,
} from "../../../src/lib/rules/eligibility.ts";

describe("rule K reports", () => {
  it("uses K = 5 by default and refuses any K below 3", () => {
    expect(DEFAULT_K).toBe(5);
    expect(MIN_K).toBe(3);
    for (const bad of [2, 1, 0, -5, 4.5, Number.NaN]) {
      expect(() => assertValidK(bad)).toThrow(RangeError);
      expect(() => isPublishable(100, bad)).toThrow(RangeError);
    }
    expect(() => assertValidK(3)).not.toThrow();
  });

  it("publishes a cell only from K distinct reports (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 40 }), fc.integer({ min: 0, max: 200 }), (k, n) => {
        expect(isPublishable(n, k)).toBe(n >= k);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("rule Count bands", () => {
  it("publishes n exactly only from 10 reports, else the band K-9 (5-9 with K = 5)", () => {
    expect(EXACT_N_MIN).toBe(10);
    for (let n = 5; n <= 9; n++) expect(publishedN(n, 5)).toEqual({ n: null, nBand: "5-9" });
    expect(publishedN(10, 5)).toEqual({ n: 10, nBand: "10-19" });
    expect(publishedN(19, 5)).toEqual({ n: 19, nBand: "10-19" });
    expect(publishedN(20, 5)).toEqual({ n: 20, nBand: "20-49" });
    expect(publishedN(49, 5)).toEqual({ n: 49, nBand: "20-49" });
    expect(publishedN(50, 5)).toEqual({ n: 50, nBand: "50+" });
    expect(publishedN(3, 3)).toEqual({ n: null, nBand: "3-9" });
  });

  it("never gives n below 10 and always a band containing n (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 500 }), (k, extra) => {
        const n = k + extra;
        const p = publishedN(n, k);
        if (n < 10) expect(p.n).toBeNull();
        else expect(p.n).toBe(n);
        const [lo, hi] = p.nBand === "50+" ? [50, Infinity] : p.nBand.split("-").map(Number) as [number, number];
        expect(n >= lo && n <= hi).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses to publish n for a cell with fewer than K reports", () => {
    expect(() => publishedN(4, 5)).toThrow(RangeError);
    expect(() => publishedN(0, 5)).toThrow(RangeError);
    expect(() => publishedN(2, 3)).toThrow(RangeError);
    expect(() => publishedN(10, 2)).toThrow(RangeError);
  });

  it("publishes the 10th and 90th percentiles only from 20 reports", () => {
    expect(TAIL_PERCENTILE_MIN_N).toBe(20);
  });
});
