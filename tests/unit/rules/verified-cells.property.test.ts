// Issue 12: rows computed from verified reports alone. They must be exactly what computeCells
// publishes from the verified reports by themselves (so every rule — K, bands, count bands,
// percentiles, take — holds for them as it does for every row), each follows its all-reports row,
// and verified_n_band is the count band of a cell's verified reports, null below K.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { band, bandIndexOfCents } from "../../../src/lib/rules/bands.ts";
import { computeCells, type PublishedCell } from "../../../src/lib/rules/cells.ts";
import { banded, buildBandedRates, publishedBytes, type Channel, type ExactRate, type ExactReport } from "../../factories.ts";
import { modelCells } from "./cell-model.ts";

const rateArb = fc.record({
  cpt: fc.constantFrom("90837", "90837", "90834"),
  modality: fc.constantFrom("in_person" as const, "telehealth" as const),
  payer: fc.constantFrom("aetna", "cigna"),
  year: fc.constantFrom(2025, 2025, 2025, 2024),
  paidCents: fc.integer({ min: 3_000, max: 40_000 }),
  allowedCents: fc.option(fc.integer({ min: 5_000, max: 30_000 }), { nil: null, freq: 2 }),
});
const reportArb = fc.record({
  state: fc.constantFrom("OR", "WA", "NY"),
  license: fc.constantFrom("lcsw", "lpc", "psychologist"),
  channel: fc.constantFrom<Channel>("platform", "platform", "direct", "group", "self_pay"),
  platform: fc.constantFrom("alma", "headway"),
  rates: fc.array(rateArb, { minLength: 1, maxLength: 3 }),
  verified: fc.boolean(),
}).map(({ state, license, channel, platform, rates, verified }): ExactReport => ({
  state, license, channel, verified,
  platform: channel === "platform" ? platform : null,
  rates: rates.map((x): ExactRate => (channel === "self_pay" ? { ...x, payer: null } : x)),
}));
const dataset = fc.array(reportArb, { minLength: 1, maxLength: 60, size: "max" });
const kArb = fc.constantFrom(3, 5);

function cellsOf(reports: readonly ExactReport[], k: number, dimsFrom: readonly ExactReport[] = reports): PublishedCell[] {
  // Year windows come from the whole dataset, as in a real snapshot.
  const { dims } = banded(dimsFrom);
  const cells: PublishedCell[] = [];
  computeCells(buildBandedRates(reports, dims), dims, k, (cell) => cells.push(cell));
  return cells;
}

/** A row without the columns that say which kind of row it is. */
const figures = ({ cellKey: _key, verified: _verified, verifiedNBand: _band, ...rest }: PublishedCell) => rest;

describe("verified rows (issue 12)", () => {
  it("are exactly the rows of the verified reports alone, so every rule holds for them", () => {
    fc.assert(
      fc.property(dataset, kArb, (reports, k) => {
        const all = cellsOf(reports, k);
        // the verified reports by themselves, as ordinary reports
        const alone = cellsOf(reports.filter((r) => r.verified).map((r) => ({ ...r, verified: false })), k, reports);
        const verifiedRows = all.filter((c) => c.verified);
        expect(verifiedRows.map(figures)).toEqual(alone.map(figures));
        expect(verifiedRows.map((c) => c.verifiedNBand)).toEqual(alone.map((c) => c.nBand));
        expect(all.filter((c) => !c.verified).map(figures)).toEqual(cellsOf(reports.map((r) => ({ ...r, verified: false })), k).map(figures));
      }),
      { numRuns: 80 },
    );
  });

  it("publish verified_n_band as the verified reports' count band, null below K, and follow their all-reports row", () => {
    fc.assert(
      fc.property(dataset, kArb, (reports, k) => {
        const all = cellsOf(reports, k);
        const model = modelCells(reports);
        all.forEach((cell, i) => {
          const key = cell.verified ? cell.cellKey.replace(/\|verified$/, "") : cell.cellKey;
          const v = [...(model.get(key)?.reports ?? [])].filter((ri) => reports[ri]!.verified).length;
          if (v < k) expect(cell.verifiedNBand, key).toBeNull();
          else expect(cell.verifiedNBand, key).toBe(v >= 50 ? "50+" : v >= 20 ? "20-49" : v >= 10 ? "10-19" : `${k}-9`);
          if (cell.verified) {
            expect(v).toBeGreaterThanOrEqual(k);
            expect(all[i - 1]?.cellKey).toBe(key);
            expect(all[i - 1]?.verified).toBe(false);
          }
        });
      }),
      { numRuns: 80 },
    );
  });

  it("moving a verified report's pay within its band changes nothing published", () => {
    fc.assert(
      fc.property(dataset, fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), (reports, ri, xi, f) => {
        const verified = reports.flatMap((r, i) => (r.verified ? [i] : []));
        fc.pre(verified.length > 0);
        const target = verified[ri % verified.length]!;
        const line = xi % reports[target]!.rates.length;
        const moved = reports.map((r, i) => (i !== target ? r : {
          ...r,
          rates: r.rates.map((x, j) => {
            if (j !== line) return x;
            const { lo, hi } = band(bandIndexOfCents(x.paidCents));
            return { ...x, paidCents: Math.min(hi * 100 - 1, lo * 100 + Math.floor(f * (hi - lo) * 100)) };
          }),
        }));
        expect(publishedBytes(moved, 5)).toBe(publishedBytes(reports, 5));
      }),
      { numRuns: 150 },
    );
  });

  it("publish no verified row when no report is verified", () => {
    fc.assert(
      fc.property(dataset, (reports) => {
        const cells = cellsOf(reports.map((r) => ({ ...r, verified: false })), 5);
        expect(cells.filter((c) => c.verified || c.verifiedNBand !== null)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
