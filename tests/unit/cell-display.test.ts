import { describe, expect, it } from "vitest";
import { displayCell, type PublishedFigures } from "../../src/lib/read/cell-display.ts";

function cell(overrides: Partial<PublishedFigures> = {}): PublishedFigures {
  return {
    n: 122, nBand: "50+", p25: 93, p50: 106, p75: 118, p25Band: "90-120", p50Band: "90-120", p75Band: "90-120",
    p50ShareInBand: 0.3, medicare: 167, p50PctMedicare: 63, allowedP50: 144, takeP50: 28, takeLow: 16, takeHigh: 38,
    ...overrides,
  };
}

describe("displayCell", () => {
  it("shows the median as a point while its band holds less than half of the values", () => {
    const shown = displayCell(cell({ p50ShareInBand: 0.49 }));
    expect(shown.median).toBe("$106");
    expect(shown.medianIsBand).toBe(false);
    expect(shown.middle).toBe("$93–$118");
    expect(shown.percentOfMedicare).toBe("63%");
    expect(shown.chart).toEqual({ low: 93, high: 118, medianLow: 106, medianHigh: 106 });
  });

  it("shows the band, never a point, when the median's band holds half or more of the values", () => {
    const shown = displayCell(cell({ p50ShareInBand: 0.5 }));
    expect(shown.median).toBe("$90–$120");
    expect(shown.medianIsBand).toBe(true);
    // Both quartiles fall in that band too, so the middle 50% is the band as well.
    expect(shown.middle).toBe("$90–$120");
    expect(shown.percentOfMedicare).toBe("54–72%");
    expect(shown.chart).toEqual({ low: 90, high: 120, medianLow: 90, medianHigh: 120 });
    for (const text of [shown.median, shown.middle, shown.percentOfMedicare]) {
      expect(text).not.toContain("106");
      expect(text).not.toContain("63%");
    }
  });

  it("keeps a quartile outside the median's band as a point", () => {
    const shown = displayCell(cell({ p50ShareInBand: 0.6, p25: 81, p25Band: "60-90", p75: 124, p75Band: "120-160" }));
    expect(shown.middle).toBe("$81–$124");
    expect(shown.median).toBe("$90–$120");
  });

  it("shows n below 10 as its count band, and the take with its range", () => {
    const shown = displayCell(cell({ n: null, nBand: "5-9" }));
    expect(shown.reports).toBe("5–9");
    expect(shown.take).toBe("about 28% (16% to 38%)");
    expect(displayCell(cell({ takeP50: 16, takeLow: -4, takeHigh: 23 })).take).toBe("about 16% (−4% to 23%)");
    expect(shown.payerPays).toBe("$144");
    expect(displayCell(cell({ n: 1245 })).reports).toBe("1,245");
  });

  it("says nothing about take or payer amounts that are not published", () => {
    const shown = displayCell(cell({ allowedP50: null, takeP50: null, takeLow: null, takeHigh: null, medicare: null, p50PctMedicare: null }));
    expect(shown.take).toBeNull();
    expect(shown.payerPays).toBeNull();
    expect(shown.percentOfMedicare).toBeNull();
  });
});
