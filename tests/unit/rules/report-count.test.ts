import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { publishedReportCount } from "../../../src/lib/rules/report-count.ts";

describe("rule Count bands, for a snapshot's reports_used", () => {
  it("is exact from 10 reports and a band below, like a cell's n", () => {
    expect(publishedReportCount(0, 5)).toEqual({ reportsUsed: null, reportsUsedBand: "0-4" });
    expect(publishedReportCount(4, 5)).toEqual({ reportsUsed: null, reportsUsedBand: "0-4" });
    expect(publishedReportCount(5, 5)).toEqual({ reportsUsed: null, reportsUsedBand: "5-9" });
    expect(publishedReportCount(9, 5)).toEqual({ reportsUsed: null, reportsUsedBand: "5-9" });
    expect(publishedReportCount(10, 5)).toEqual({ reportsUsed: 10, reportsUsedBand: "10-19" });
    expect(publishedReportCount(2001, 5)).toEqual({ reportsUsed: 2001, reportsUsedBand: "50+" });
  });

  it("below 10, tells two counts apart only when they fall on different sides of K (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), (k, a, b) => {
        const same = publishedReportCount(a, k);
        const other = publishedReportCount(b, k);
        expect(same.reportsUsed).toBeNull();
        expect(JSON.stringify(same) === JSON.stringify(other)).toBe(a >= k === b >= k);
      }),
      { numRuns: 1000 },
    );
  });

  it("from 10, publishes the exact count (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 10, max: 1e7 }), (k, n) => {
      expect(publishedReportCount(n, k).reportsUsed).toBe(n);
    }));
  });
});
