// Property tests of computeCells over random datasets built through the factory (pay banded as the
// loader bands it; direct payer amounts never passed). Figures are checked against an independent
// recount per cell key from the plain exact report objects (cell-model.ts).
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { band, bandIndexOfCents, bandLabel, BAND_COUNT } from "../../../src/lib/rules/bands.ts";
import type { PublishedCell } from "../../../src/lib/rules/cells.ts";
import { exactPercentile, groupedPercentile } from "../../../src/lib/rules/percentiles.ts";
import { roundHalfUp } from "../../../src/lib/rules/rounding.ts";
import {
  REFERENCE, publish, publishedBytes, report, seededUniform, shuffled, type Channel, type ExactRate, type ExactReport,
} from "../../factories.ts";
import { modelCells, takeLines, type ModelCell } from "./cell-model.ts";
import { PUBLISHED_COLUMNS } from "../../../src/lib/schemas/api.ts";

const PUBLISHED_CELL_KEYS = [
  "cellKey", "cpt", "geoLevel", "geo", "channel", "platform", "payer", "licenseLevel", "license", "modality",
  "yearWindow", "n", "nBand", "p10", "p25", "p50", "p75", "p90", "p25Band", "p50Band", "p75Band", "p50ShareInBand",
  "medicare", "p50PctMedicare", "allowedP50", "takeP50", "takeLow", "takeHigh",
].sort();
const FORBIDDEN = /min|max|mean|avg|average|sum|total|count|histogram|bands|values|amounts|std|var/i;

const paidCents = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: 6_000, max: 21_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 275_999 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 2_999, 8_999, 9_000, 11_999, 12_000, 15_999, 16_000, 20_999, 275_999) },
);
const allowedCents = fc.option(
  fc.oneof(fc.integer({ min: 0, max: 30_000 }), fc.constantFrom(15_174, 14_280, 12_500)),
  { nil: null, freq: 3 },
);
const rateArb = fc.record({
  cpt: fc.constantFrom("90837", "90837", "90837", "90834"),
  modality: fc.constantFrom("in_person" as const, "telehealth" as const),
  payer: fc.constantFrom("aetna", "cigna", "optum-uhc"),
  year: fc.constantFrom(2025, 2025, 2025, 2025, 2024, 2026),
  paidCents,
  allowedCents,
});
const reportArb = fc.record({
  state: fc.constantFrom("OR", "WA", "NY", "TX"),
  license: fc.constantFrom("lcsw", "lpc", "psychologist", "pmhnp"),
  channel: fc.constantFrom<Channel>("platform", "platform", "direct", "group", "self_pay"),
  platform: fc.constantFrom("alma", "headway", "rula"),
  rates: fc.array(rateArb, { minLength: 1, maxLength: 3 }),
}).map(({ state, license, channel, platform, rates }): ExactReport => ({
  state, license, channel,
  platform: channel === "platform" ? platform : null,
  rates: rates.map((x): ExactRate => (channel === "self_pay" ? { ...x, payer: null } : x)),
}));
// "max" size: lengths spread over the whole range, so that many cells reach K, 10 and 20 reports
const dataset = fc.array(reportArb, { minLength: 1, maxLength: 50, size: "max" });
const kArb = fc.constantFrom(3, 5);
const fraction = fc.double({ min: 0, max: 1, noNaN: true });

/** Another amount of the same band as `c`. */
function sameBand(c: number, f: number): number {
  const { lo, hi } = band(bandIndexOfCents(c));
  return Math.min(hi * 100 - 1, lo * 100 + Math.floor(f * (hi - lo) * 100));
}

function replaceRate(reports: readonly ExactReport[], ri: number, xi: number, f: (x: ExactRate) => ExactRate): ExactReport[] {
  return reports.map((r, i) => (i !== ri ? r : { ...r, rates: r.rates.map((x, j) => (j === xi ? f(x) : x)) }));
}

/** The ⌈r⌉-th smallest of the values, r = q·m. */
function rankValue(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length - 1e-9) - 1] as number;
}

function countsOfCents(values: readonly number[]): Int32Array {
  const counts = new Int32Array(BAND_COUNT);
  for (const c of values) counts[bandIndexOfCents(c)]! += 1;
  return counts;
}

/** Throws (through expect, for a readable diff) only when the condition fails: cheap in a hot loop. */
function ensure(condition: boolean, actual: unknown, expected: unknown, what: string): void {
  if (!condition) expect(actual, what).toEqual(expected);
}

/** The figures the rules prescribe for a cell, recomputed from the exact report objects of its key. */
function expectedFigures(cell: PublishedCell, model: ModelCell, k: number): Record<string, unknown> {
  const n = model.reports.size;
  const paid = model.lines.map((l) => l.rate.paidCents);
  const counts = countsOfCents(paid);
  const lastYear = Number(cell.yearWindow.split("-").at(-1));
  const medicareCents = REFERENCE.medicareCents.get(cell.cpt)?.get(lastYear);
  const p50 = groupedPercentile(counts, 0.5).value;
  const lines = takeLines(model);
  const carrying = new Set(lines.map((l) => l.reportIndex)).size;
  const allowedP50 = carrying < k
    ? null
    : roundHalfUp(exactPercentile(lines.map((l) => l.rate.allowedCents as number).sort((a, b) => a - b), 0.5) / 100);
  return {
    n: n >= 10 ? n : null,
    nBand: n >= 50 ? "50+" : n >= 20 ? "20-49" : n >= 10 ? "10-19" : `${k}-9`,
    p25: groupedPercentile(counts, 0.25).value,
    p50,
    p75: groupedPercentile(counts, 0.75).value,
    // each quartile's band is the band holding the ⌈r⌉-th smallest exact value
    p25Band: bandLabel(bandIndexOfCents(rankValue(paid, 0.25))),
    p50Band: bandLabel(bandIndexOfCents(rankValue(paid, 0.5))),
    p75Band: bandLabel(bandIndexOfCents(rankValue(paid, 0.75))),
    p50ShareInBand: roundHalfUp((counts[bandIndexOfCents(rankValue(paid, 0.5))]! / paid.length) * 100) / 100,
    // % of Medicare: the window's latest year, not adjusted
    medicare: medicareCents === undefined ? null : medicareCents / 100,
    p50PctMedicare: medicareCents === undefined ? null : roundHalfUp((100 * p50 * 100) / medicareCents),
    allowedP50,
  };
}

function checkCellAgainstModel(cell: PublishedCell, model: ModelCell, k: number): void {
  const n = model.reports.size;
  ensure(n >= k, n, `>= ${k}`, `${cell.cellKey}: reports`);
  const expected = expectedFigures(cell, model, k);
  const actual = Object.fromEntries(Object.keys(expected).map((key) => [key, cell[key as keyof PublishedCell]]));
  ensure(JSON.stringify(actual) === JSON.stringify(expected), actual, expected, cell.cellKey);
  // tails: only from 20 reports, and then inside the band of the ⌈r⌉-th exact value
  const paid = model.lines.map((l) => l.rate.paidCents);
  for (const [q, value] of [[0.1, cell.p10], [0.9, cell.p90]] as const) {
    if (n < 20) {
      ensure(value === null, value, null, `${cell.cellKey}: p${q * 100} below 20 reports`);
      continue;
    }
    const { lo, hi } = band(bandIndexOfCents(rankValue(paid, q)));
    ensure(value !== null && value >= lo && value <= hi, value, `${lo}..${hi}`, `${cell.cellKey}: p${q * 100}`);
  }
  // Take from medians: its range holds the take of the ⌈r⌉-th exact paid value of the lines carrying both amounts
  const allowedP50 = expected["allowedP50"] as number | null;
  const take = [cell.takeP50, cell.takeLow, cell.takeHigh];
  if (allowedP50 === null || allowedP50 <= 0) {
    ensure(take.every((x) => x === null), take, [null, null, null], `${cell.cellKey}: take`);
    return;
  }
  const v = rankValue(takeLines(model).map((l) => l.rate.paidCents), 0.5) / 100;
  const exactTake = 100 * (1 - v / allowedP50);
  const [p50, low, high] = take as [number, number, number];
  ensure(
    low !== null && low - 1e-9 <= exactTake && exactTake <= high + 1e-9 && low <= p50 && p50 <= high,
    { take, exactTake }, "take_low ≤ exact take ≤ take_high", `${cell.cellKey}: take range`,
  );
}

describe("computeCells: properties over random datasets", () => {
  it("changes no published byte when one report's pay moves to another amount in the same band", () => {
    fc.assert(
      fc.property(dataset, kArb, fc.nat(), fc.nat(), fraction, (reports, k, a, b, f) => {
        const ri = a % reports.length;
        const xi = b % (reports[ri] as ExactReport).rates.length;
        const moved = replaceRate(reports, ri, xi, (x) => ({ ...x, paidCents: sameBand(x.paidCents, f) }));
        expect(publishedBytes(moved, k)).toBe(publishedBytes(reports, k));
      }),
      { numRuns: 250 },
    );
  });

  it("changes no published byte when one direct rate's payer amount moves within its band", () => {
    fc.assert(
      fc.property(dataset, kArb, fc.nat(), fraction, fc.integer({ min: 0, max: 275_999 }), (reports, k, a, f, fresh) => {
        const directLines = reports.flatMap((r, ri) => (r.channel === "direct" ? r.rates.map((_, xi) => [ri, xi] as const) : []));
        fc.pre(directLines.length > 0);
        const [ri, xi] = directLines[a % directLines.length] as readonly [number, number];
        const moved = replaceRate(reports, ri, xi, (x) => ({ ...x, allowedCents: sameBand(x.allowedCents ?? fresh, f) }));
        const original = replaceRate(reports, ri, xi, (x) => ({ ...x, allowedCents: x.allowedCents ?? fresh }));
        expect(publishedBytes(moved, k)).toBe(publishedBytes(original, k));
      }),
      { numRuns: 200 },
    );
  });

  it("never publishes a cell with fewer than K reports, and publishes every cell that has K (recount per cell key)", () => {
    fc.assert(
      fc.property(dataset, kArb, (reports, k) => {
        const { cells, tally } = publish(reports, k);
        const model = modelCells(reports);
        const eligible = [...model.values()].filter((c) => c.reports.size >= k).map((c) => c.key).sort();
        expect(cells.map((c) => c.cellKey).sort()).toEqual(eligible);
        expect(new Set(cells.map((c) => c.cellKey)).size).toBe(cells.length);
        expect(tally.kReports).toBe(model.size - eligible.length);
        for (const cell of cells) expect(model.get(cell.cellKey)?.reports.size ?? 0).toBeGreaterThanOrEqual(k);
      }),
      { numRuns: 150 },
    );
  });

  it("publishes, per cell, exactly the figures of the rules: quartiles from bands, take range holding the exact take, n bands, tails from 20", () => {
    fc.assert(
      fc.property(dataset, kArb, (reports, k) => {
        const { cells, tally } = publish(reports, k);
        const model = modelCells(reports);
        let tails = 0;
        let takeWithheld = 0;
        for (const cell of cells) {
          const m = model.get(cell.cellKey) as ModelCell;
          checkCellAgainstModel(cell, m, k);
          if (m.reports.size < 20) tails++;
          const carrying = new Set(takeLines(m).map((l) => l.reportIndex)).size;
          if (carrying > 0 && carrying < k) takeWithheld++;
        }
        expect(tally).toEqual({ kReports: tally.kReports, takeKReports: takeWithheld, tailPercentiles: tails });
      }),
      { numRuns: 120 },
    );
  });

  it("has no published column named like a forbidden statistic: not in the cells, not in the API", () => {
    const published = publish(Array.from({ length: 5 }, () => report()), 5).cells;
    expect(published.length).toBeGreaterThan(0);
    const publishedNames = [...new Set(published.flatMap((cell) => Object.keys(cell))), ...PUBLISHED_COLUMNS];
    expect(publishedNames.length).toBeGreaterThan(PUBLISHED_CELL_KEYS.length);
    expect(publishedNames.filter((name) => FORBIDDEN.test(name))).toEqual([]);
    // The pattern itself catches each kind of exact-amount statistic.
    for (const bad of ["min", "max", "p50Max", "mean", "avg", "sum", "count", "counts", "histogram", "bands", "bandCounts"]) {
      expect(FORBIDDEN.test(bad), bad).toBe(true);
    }
  });

  it("emits nothing but the published columns: never min, max, mean, sum, counts, a histogram or bands", () => {
    fc.assert(
      fc.property(dataset, kArb, (reports, k) => {
        const { cells, tally } = publish(reports, k);
        expect(Object.keys(tally).sort()).toEqual(["kReports", "takeKReports", "tailPercentiles"].sort());
        const expectedKeys = PUBLISHED_CELL_KEYS.join(",");
        const bad: string[] = [];
        for (const cell of cells) {
          if (Object.keys(cell).sort().join(",") !== expectedKeys) bad.push(`${cell.cellKey}: keys ${Object.keys(cell).join(",")}`);
          for (const [key, value] of Object.entries(cell)) {
            if (FORBIDDEN.test(key)) bad.push(`${cell.cellKey}: forbidden key ${key}`);
            if (!(value === null || typeof value === "string" || typeof value === "number")) bad.push(`${cell.cellKey}: ${key} is not a scalar`);
          }
        }
        expect(bad).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("gives the same output for the same data in another order (reports and their lines shuffled, still contiguous)", () => {
    fc.assert(
      fc.property(dataset, kArb, fc.integer(), (reports, k, seed) => {
        const u = seededUniform(seed);
        const reordered = shuffled(reports, u).map((r) => ({ ...r, rates: shuffled(r.rates, u) }));
        expect(publishedBytes(reordered, k)).toBe(publishedBytes(reports, k));
      }),
      { numRuns: 200 },
    );
  });

  it("publishes p10/p90 only from 20 reports and n only from 10, else the band K-9", () => {
    // datasets large enough to reach 10 and 20 reports in many cells
    const big = fc.array(reportArb, { minLength: 30, maxLength: 90, size: "max" });
    fc.assert(
      fc.property(big, kArb, (reports, k) => {
        const { cells } = publish(reports, k);
        const model = modelCells(reports);
        for (const cell of cells) {
          const n = (model.get(cell.cellKey) as ModelCell).reports.size;
          expect(cell.p10 === null && cell.p90 === null).toBe(n < 20);
          expect(cell.n === null).toBe(n < 10);
          if (n < 10) expect(cell.nBand).toBe(`${k}-9`);
        }
      }),
      { numRuns: 60 },
    );
  });
});
