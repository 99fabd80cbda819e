import { describe, it, expect } from "vitest";
import { computeCells, yearWindows, type PublishedCell } from "../../../src/lib/rules/cells.ts";
import { banded, cents, publish, rate, report, type ExactReport } from "../../factories.ts";

const KEY = (parts: { geo?: string; channel?: string; platform?: string; payer?: string; license?: string; modality?: string; window?: string; cpt?: string }) =>
  [parts.cpt ?? "90837", parts.geo ?? "national:US", parts.channel ?? "all", parts.platform ?? "all", parts.payer ?? "all",
    parts.license ?? "all:all", parts.modality ?? "all", parts.window ?? "2025"].join("|");

function cellByKey(cells: readonly PublishedCell[], key: string): PublishedCell | undefined {
  return cells.find((c) => c.cellKey === key);
}

function direct(paidDollars: number, overrides: Partial<ExactReport> = {}): ExactReport {
  return report({ channel: "direct", rates: [rate({ paidCents: cents(paidDollars) })], ...overrides });
}

describe("computeCells: worked examples of the design", () => {
  it("publishes the design's example: [90,120)×2 and [120,160)×3 → median $127 in band 120-160", () => {
    const reports = [95, 110, 125, 130, 150].map((d) => direct(d));
    const { cells } = publish(reports, 5);
    const cell = cellByKey(cells, KEY({}));
    expect(cell).toMatchObject({ n: null, nBand: "5-9", p50: 127, p50Band: "120-160", p50ShareInBand: 0.6, p10: null, p90: null });
    // Medicare 2025 for 90837 is $154.29: 127 / 154.29 = 82%
    expect(cell).toMatchObject({ medicare: 154.29, p50PctMedicare: 82 });
  });

  it("publishes the design's take example: Cigna pays $152, pay in $90–$120 → about 31%, between 21% and 41%", () => {
    const reports = [91, 99, 105, 111, 119].map((d) =>
      report({ channel: "platform", platform: "alma", rates: [rate({ paidCents: cents(d), allowedCents: cents(152) })] }));
    const { cells } = publish(reports, 5);
    const cell = cellByKey(cells, KEY({ channel: "platform", platform: "alma", payer: "cigna" }));
    expect(cell).toMatchObject({ allowedP50: 152, p50: 105, p50Band: "90-120", takeP50: 31, takeLow: 21, takeHigh: 41 });
  });

  it("never publishes a cell with fewer than K reports, and counts the withheld cells", () => {
    const four = [95, 110, 125, 130].map((d) => direct(d));
    const { cells, tally } = publish(four, 5);
    expect(cells).toEqual([]);
    expect(tally.kReports).toBeGreaterThan(0);
    expect(publish(four, 4).cells.length).toBeGreaterThan(0);
  });

  it("counts reports, never rate lines: one report with five lines is one report", () => {
    const many = report({ rates: [90, 100, 110, 120, 130].map((d) => rate({ paidCents: cents(d) })) });
    expect(publish([many], 3).cells).toEqual([]);
    const two = [many, direct(100)];
    expect(publish(two, 3).cells).toEqual([]);
    const three = [many, direct(100), direct(101)];
    const cell = cellByKey(publish(three, 3).cells, KEY({}));
    expect(cell?.nBand).toBe("3-9");
  });

  it("refuses K below 3", () => {
    const { rates, dims } = banded([direct(100)]);
    expect(() => computeCells(rates, dims, 2, () => {})).toThrow(RangeError);
  });

  it("counts a report once however its rates are interleaved with other reports' in the input", () => {
    const two = (d: number) => report({ rates: [rate({ paidCents: cents(d) }), rate({ paidCents: cents(d + 40), modality: "in_person" })] });
    const { rates, dims } = banded([two(100), two(101), two(102)]);
    const contiguous: PublishedCell[] = [];
    computeCells(rates, dims, 3, (cell) => contiguous.push(cell));
    // Reorder the six rate lines so no report's lines are adjacent: 0,2,4,1,3,5.
    const order = [0, 2, 4, 1, 3, 5];
    const shuffled = { ...rates };
    for (const column of Object.keys(rates) as (keyof typeof rates)[]) {
      const values = rates[column];
      if (typeof values === "number") continue;
      const copy = values.slice();
      order.forEach((from, to) => { copy[to] = values[from]!; });
      (shuffled as Record<string, unknown>)[column] = copy;
    }
    const interleaved: PublishedCell[] = [];
    computeCells(shuffled, dims, 3, (cell) => interleaved.push(cell));
    expect(interleaved).toEqual(contiguous);
    expect(cellByKey(contiguous, KEY({}))).toMatchObject({ n: null, nBand: "3-9" });
  });

  it("publishes the take and payer median only when K reports carry both amounts, never from direct rates", () => {
    const withAllowed = (d: number) => report({ channel: "platform", platform: "alma", rates: [rate({ paidCents: cents(d), allowedCents: cents(150) })] });
    const withoutAllowed = (d: number) => report({ channel: "platform", platform: "alma", rates: [rate({ paidCents: cents(d) })] });
    const directWithAllowed = (d: number) => report({ channel: "direct", rates: [rate({ paidCents: cents(d), allowedCents: cents(150) })] });
    const four = [withAllowed(100), withAllowed(101), withAllowed(102), withAllowed(103)];
    const { cells, tally } = publish([...four, withoutAllowed(104), directWithAllowed(105), directWithAllowed(106)], 5);
    const all = cellByKey(cells, KEY({}));
    expect(all).toMatchObject({ allowedP50: null, takeP50: null, takeLow: null, takeHigh: null });
    expect(tally.takeKReports).toBeGreaterThan(0);
    const five = publish([...four, withAllowed(104), directWithAllowed(200), directWithAllowed(200)], 5);
    expect(cellByKey(five.cells, KEY({}))).toMatchObject({ allowedP50: 150, takeP50: 30, takeLow: 20, takeHigh: 40 }); // paid median 105
  });

  it("publishes p10 and p90 only from 20 reports, and n exactly only from 10", () => {
    const nineteen = Array.from({ length: 19 }, (_, i) => direct(60 + i * 5));
    const twenty = [...nineteen, direct(200)];
    expect(cellByKey(publish(nineteen).cells, KEY({}))).toMatchObject({ n: 19, nBand: "10-19", p10: null, p90: null });
    const cell = cellByKey(publish(twenty).cells, KEY({}));
    expect(cell).toMatchObject({ n: 20, nBand: "20-49" });
    expect(cell?.p10).toEqual(expect.any(Number));
    expect(cell?.p90).toEqual(expect.any(Number));
    expect(cellByKey(publish(nineteen.slice(0, 9)).cells, KEY({}))).toMatchObject({ n: null, nBand: "5-9" });
  });

  it("keys cells by CPT × geography × channel × platform × payer × license level × modality × year window", () => {
    const reports = [100, 101, 102, 103, 104].map((d) =>
      report({ channel: "platform", platform: "alma", rates: [rate({ paidCents: cents(d), year: 2025 })] }));
    const later = reports.map((r) => ({ ...r, rates: r.rates.map((x) => ({ ...x, year: 2026 })) }));
    const keys = new Set(publish([...reports, ...later]).cells.map((c) => c.cellKey));
    for (const key of [
      KEY({}),
      KEY({ geo: "state:OR", channel: "platform", platform: "alma", payer: "cigna", license: "license:lpc", modality: "telehealth" }),
      KEY({ geo: "division:pacific", license: "group:masters" }),
      KEY({ channel: "platform" }),
      KEY({ payer: "cigna" }),
      KEY({ window: "2026" }),
      KEY({ window: "2025-2026" }),
    ]) expect(keys.has(key), key).toBe(true);
    expect(keys.size).toBe(3 * 3 * 2 * 3 * 2 * 3);
    const cell = publish([...reports, ...later]).cells.find((c) => c.cellKey === KEY({ window: "2025-2026" }));
    // % of Medicare uses the window's latest year: 2026, $167.00
    expect(cell).toMatchObject({ n: 10, medicare: 167, yearWindow: "2025-2026" });
  });

  it("forms single-year windows and windows of two consecutive years only", () => {
    expect(yearWindows([2024, 2025]).map((w) => w.label)).toEqual(["2024", "2025", "2024-2025"]);
    expect(yearWindows([2023, 2025]).map((w) => w.label)).toEqual(["2023", "2025"]);
    expect(yearWindows([]).map((w) => w.label)).toEqual([]);
  });

  it("emits cells in a deterministic order: by CPT, then cell key order", () => {
    const reports = [100, 101, 102, 103, 104].flatMap((d) => [
      direct(d, { rates: [rate({ cpt: "90834", paidCents: cents(d) })] }),
      direct(d, { rates: [rate({ cpt: "90837", paidCents: cents(d) })] }),
    ]);
    const cpts = publish(reports, 5).cells.map((c) => c.cpt);
    const firstOf37 = cpts.indexOf("90837");
    expect(firstOf37).toBeGreaterThan(0);
    expect(cpts.slice(0, firstOf37).every((c) => c === "90834")).toBe(true);
    expect(cpts.slice(firstOf37).every((c) => c === "90837")).toBe(true);
  });
});
