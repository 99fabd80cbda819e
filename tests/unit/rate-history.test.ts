// The rate history's words (issue 15 item 6): a cut or a rise only when the later median, as the
// page shows it (band or point), lies wholly below or above the earlier one.
import { describe, expect, it } from "vitest";
import type { CellDisplay } from "../../src/lib/read/cell-display.ts";
import type { Snapshot } from "../../src/lib/read/published.ts";
import { historySentences, type HistoryPoint } from "../../src/lib/read/rate-history.ts";

function point(id: number, median: string, medianLow: number, medianHigh: number): HistoryPoint {
  const display = { median, chart: { low: medianLow - 10, high: medianHigh + 10, medianLow, medianHigh } } as CellDisplay;
  return { snapshot: { id } as Snapshot, display };
}

describe("historySentences", () => {
  it("says a cut between bands that only touch, in the page's words", () => {
    expect(historySentences([point(12, "$120–$160", 120, 160), point(13, "$90–$120", 90, 120)]))
      .toEqual(["The median fell from $120–$160 to $90–$120 between snapshot 12 and 13."]);
  });

  it("says a rise from a point to a band above it", () => {
    expect(historySentences([point(1, "$106", 106, 106), point(2, "$120–$160", 120, 160)]))
      .toEqual(["The median rose from $106 to $120–$160 between snapshot 1 and 2."]);
  });

  it("says nothing when the bands overlap or the median stays", () => {
    expect(historySentences([point(1, "$120–$160", 120, 160), point(2, "$110–$150", 110, 150), point(3, "$130", 130, 130), point(4, "$130", 130, 130)])).toEqual([]);
    expect(historySentences([point(1, "$106", 106, 106)])).toEqual([]);
  });
});
