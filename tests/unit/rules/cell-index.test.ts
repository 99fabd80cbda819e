// The dense cell index: decoding undoes encoding, and the hot-loop encoder names exactly the
// cells a rate belongs to.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cellAtIndex, cellIndexLayout, cellIndexer, decodeCellIndex, encodeCellIndex, type CellIndexLayout } from "../../../src/lib/rules/cell-index.ts";
import { yearWindows } from "../../../src/lib/rules/cells.ts";
import { banded, rate, report } from "../../factories.ts";

const layoutArb = fc.record({ S: fc.integer({ min: 1, max: 51 }), D: fc.integer({ min: 1, max: 9 }), CP: fc.integer({ min: 1, max: 20 }), PY: fc.integer({ min: 1, max: 20 }), LG: fc.integer({ min: 1, max: 4 }), LC: fc.integer({ min: 1, max: 12 }), MC: fc.constant(3), W: fc.integer({ min: 1, max: 6 }) })
  .map((l): CellIndexLayout => ({ ...l, G: l.S + l.D + 1, size: (l.S + l.D + 1) * l.CP * l.PY * l.LC * l.MC * l.W }));

/** Three reports of different channels, payers and years, banded, with their cell index layout. */
function threeReports() {
  const reports = [
    report({ state: "OR", license: "lpc", channel: "platform", platform: "alma", rates: [rate({ year: 2024 }), rate({ year: 2025, modality: "in_person" })] }),
    report({ state: "TX", license: "psychologist", channel: "self_pay", rates: [rate({ payer: null, year: 2025 })] }),
    report({ state: "NY", license: "lcsw", channel: "direct", rates: [rate({ payer: "aetna", year: 2024, cpt: "90834" })] }),
  ];
  const { rates, dims } = banded(reports);
  const windows = yearWindows(dims.years);
  const windowsOfYear = dims.years.map((year) => windows.flatMap((w, wi) => (year >= w.firstYear && year <= w.lastYear ? [wi] : [])));
  return { rates, dims, windows, windowsOfYear, layout: cellIndexLayout(dims, windows.length) };
}

describe("the dense cell index", () => {
  it("decodes every index back to the coordinates it was encoded from, and only those (property)", () => {
    fc.assert(
      fc.property(layoutArb, fc.nat(), (layout, seed) => {
        const index = seed % layout.size;
        const coordinates = decodeCellIndex(layout, index);
        expect(encodeCellIndex(layout, coordinates)).toBe(index);
        expect(coordinates.geo).toBeLessThan(layout.G);
        expect(coordinates.cp).toBeLessThan(layout.CP);
        expect(coordinates.py).toBeLessThan(layout.PY);
        expect(coordinates.lc).toBeLessThan(layout.LC);
        expect(coordinates.mc).toBeLessThan(layout.MC);
        expect(coordinates.w).toBeLessThan(layout.W);
      }),
      { numRuns: 2000 },
    );
  });

  it("the encoder gives each rate every cell it belongs to, once, and each index decodes to a cell holding the rate", () => {
    const { rates, dims, windows, layout, windowsOfYear } = threeReports();
    const { scratch, cellsOf } = cellIndexer(layout, dims, rates, windowsOfYear);
    for (let i = 0; i < rates.length; i++) {
      const count = cellsOf(i);
      const indexes = [...scratch.subarray(0, count)];
      const platform = rates.platform[i]! >= 0;
      const payer = rates.payer[i]! >= 0;
      const year = dims.years[rates.yearIndex[i]!]!;
      const state = dims.states[rates.state[i]!]!;
      // 3 places × (all, channel[, platform]) × (all[, payer]) × 3 license levels × 2 modalities × windows
      expect(count).toBe(3 * (platform ? 3 : 2) * (payer ? 2 : 1) * 3 * 2 * windowsOfYear[rates.yearIndex[i]!]!.length);
      expect(new Set(indexes).size).toBe(count);
      for (const index of indexes) {
        expect(index).toBeLessThan(layout.size);
        const cell = cellAtIndex(layout, dims, windows, index);
        expect(cell.window.firstYear <= year && year <= cell.window.lastYear).toBe(true);
        if (cell.geoLevel === "state") expect(cell.geo).toBe(state);
        if (cell.geoLevel === "division") expect(cell.geo).toBe(dims.divisions[dims.divisionOfState[rates.state[i]!]!]);
        if (cell.channel !== null) expect(cell.channel).toBe(platform ? "platform" : dims.channels[rates.channel[i]!]);
        if (cell.platform !== null) expect(cell.platform).toBe(dims.platforms[rates.platform[i]!]);
        if (cell.payer !== null) expect(cell.payer).toBe(dims.payers[rates.payer[i]!]);
        if (cell.licenseLevel === "license") expect(cell.license).toBe(dims.licenses[rates.license[i]!]);
        if (cell.licenseLevel === "group") expect(cell.license).toBe(dims.licenseGroups[dims.groupOfLicense[rates.license[i]!]!]);
        if (cell.modality !== "all") expect(cell.modality).toBe(rates.modality[i] === 0 ? "in_person" : "telehealth");
      }
    }
  });

  it("the finest cells of a rate are exactly its cells at its license and not of all channels, per level", () => {
    const { rates, dims, windows, layout, windowsOfYear } = threeReports();
    const { scratch, cellsOf, finestCellsOf } = cellIndexer(layout, dims, rates, windowsOfYear);
    const levelOf = (index: number) => ["state", "division", "national"].indexOf(cellAtIndex(layout, dims, windows, index).geoLevel);
    for (let i = 0; i < rates.length; i++) {
      for (const [first, end] of [[0, 3], [0, 1], [1, 2], [2, 3], [1, 3]] as const) {
        const all = [...scratch.subarray(0, cellsOf(i, first, end))];
        expect(all.every((index) => levelOf(index) >= first && levelOf(index) < end)).toBe(true);
        const expected = all
          .filter((index) => {
            const cell = cellAtIndex(layout, dims, windows, index);
            return cell.licenseLevel === "license" && cell.channel !== null;
          })
          .sort((a, b) => a - b);
        const finest = [...scratch.subarray(0, finestCellsOf(i, first, end))].sort((a, b) => a - b);
        expect(finest.length).toBeGreaterThan(0);
        expect(finest).toEqual(expected);
      }
    }
  });
});
