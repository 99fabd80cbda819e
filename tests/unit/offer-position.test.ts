import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PublishedFigures } from "../../src/lib/read/cell-display.ts";
import { offerPosition, POSITION_STEPS, type Position } from "../../src/lib/read/offer-position.ts";

function cell(overrides: Partial<PublishedFigures> = {}): PublishedFigures {
  return {
    n: 122, nBand: "50+", p25: 81, p50: 106, p75: 130, p25Band: "60-90", p50Band: "90-120", p75Band: "120-160",
    p50ShareInBand: 0.3, medicare: 167, p50PctMedicare: 63, allowedP50: null, takeP50: null, takeLow: null, takeHigh: null,
    ...overrides,
  };
}

const order = (position: Position) => POSITION_STEPS.findIndex((step) => step.position === position);

describe("offerPosition", () => {
  it("places an offer among the published quartiles", () => {
    expect(offerPosition(70, cell()).position).toBe("below_p25");
    expect(offerPosition(95, cell()).position).toBe("p25_to_median");
    expect(offerPosition(106, cell()).position).toBe("median_to_p75");
    expect(offerPosition(125, cell()).position).toBe("median_to_p75");
    expect(offerPosition(131, cell()).position).toBe("above_p75");
  });

  it("says the offer is in the median's band, and never above or below the median, where the band is shown", () => {
    const banded = cell({ p50ShareInBand: 0.55 });
    for (const amount of [90, 95, 105.99, 106, 119.99]) {
      const result = offerPosition(amount, banded);
      expect(result.position).toBe("median_band");
      expect(result.summary).toContain("$90–$120");
      // The median itself is never named as a point.
      expect(result.summary.replace(/^\S+/, "")).not.toContain("$106");
    }
    expect(offerPosition(85, banded).position).toBe("p25_to_median");
    expect(offerPosition(120, banded).position).toBe("median_to_p75");
  });

  it("gives the offer as a percent of Medicare", () => {
    expect(offerPosition(95, cell()).percentOfMedicare).toBe(57);
    expect(offerPosition(95, cell({ medicare: null })).percentOfMedicare).toBeNull();
  });

  it("never ranks a higher offer below a lower one", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), fc.boolean(),
      (a, b, banded) => {
        const c = cell({ p50ShareInBand: banded ? 0.6 : 0.3 });
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(order(offerPosition(low, c).position)).toBeLessThanOrEqual(order(offerPosition(high, c).position));
      },
    ));
  });
});
