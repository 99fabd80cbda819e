import { describe, it, expect } from "vitest";
import fc from "fast-check";
import Database from "better-sqlite3";
import {
  BAND_COUNT, BAND_EDGES, IMPLAUSIBLE_PAY_DOLLARS, band, bandIndexOfCents, bandIndexSql, bandLabel,
} from "../../../src/lib/rules/bands.ts";

/** Every 7 cents from $0 to past the top edge, plus each edge and the cent below it. */
function sampledCents(): number[] {
  const out = new Set<number>();
  for (let c = 0; c <= 280_000; c += 7) out.add(c);
  for (const edge of BAND_EDGES) {
    out.add(edge * 100);
    if (edge > 0) out.add(edge * 100 - 1);
  }
  return [...out].sort((a, b) => a - b);
}

describe("rule Banded pay: band edges", () => {
  it("uses exactly the fixed edges of the design, top band [2070, 2760)", () => {
    expect([...BAND_EDGES]).toEqual([0, 30, 60, 90, 120, 160, 210, 280, 370, 490, 650, 870, 1160, 1550, 2070, 2760]);
    expect(BAND_COUNT).toBe(15);
    expect(IMPLAUSIBLE_PAY_DOLLARS).toBe(2760);
    expect(band(BAND_COUNT - 1)).toEqual({ index: 14, lo: 2070, hi: 2760 });
  });

  it("makes every band at least $30 wide and about a quarter of its upper edge or more", () => {
    for (let i = 0; i < BAND_COUNT; i++) {
      const { lo, hi } = band(i);
      expect(hi - lo).toBeGreaterThanOrEqual(30);
      expect((hi - lo) / hi).toBeGreaterThanOrEqual(0.23);
    }
  });

  it("names a band by its edges, e.g. 90-120", () => {
    expect(bandLabel(3)).toBe("90-120");
    expect(bandLabel(4)).toBe("120-160");
    expect(bandLabel(0)).toBe("0-30");
    expect(bandLabel(14)).toBe("2070-2760");
  });

  it("refuses band indexes that do not exist", () => {
    for (const bad of [-1, 15, 255, 1.5, Number.NaN]) expect(() => band(bad)).toThrow(RangeError);
  });
});

describe("rule Banded pay: mapping an amount to its band", () => {
  it("maps every amount to the band that contains it", () => {
    for (const c of sampledCents()) {
      const i = bandIndexOfCents(c);
      if (c >= 276_000) {
        expect(i, `${c}`).toBe(-1);
        continue;
      }
      const { lo, hi } = band(i);
      expect(lo * 100 <= c && c < hi * 100, `${c} in band ${i}`).toBe(true);
    }
  });

  it("maps any amount, including fractional cents, to the band containing it (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 275_999.999, noNaN: true }), (c) => {
        const { lo, hi } = band(bandIndexOfCents(c));
        return lo * 100 <= c && c < hi * 100;
      }),
      { numRuns: 2000 },
    );
  });

  it("puts each edge in the band it opens, and the cent below it in the band before", () => {
    for (let i = 1; i < BAND_COUNT; i++) {
      const edge = (BAND_EDGES[i] as number) * 100;
      expect(bandIndexOfCents(edge)).toBe(i);
      expect(bandIndexOfCents(edge - 1)).toBe(i - 1);
    }
    expect(bandIndexOfCents(0)).toBe(0);
  });

  it("gives no band (-1) to pay of $2,760 or more, and the top band to $2,759.99", () => {
    expect(bandIndexOfCents(275_999)).toBe(14);
    expect(bandIndexOfCents(276_000)).toBe(-1);
    expect(bandIndexOfCents(1e9)).toBe(-1);
  });

  it("refuses negative or non-numeric amounts", () => {
    for (const bad of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => bandIndexOfCents(bad)).toThrow(RangeError);
  });

  it("maps amounts in SQL (the loader's CASE expression) exactly as bandIndexOfCents does", () => {
    const db = new Database(":memory:");
    try {
      db.exec("CREATE TABLE r (paid_cents INTEGER NOT NULL)");
      const insert = db.prepare("INSERT INTO r VALUES (?)");
      const all = sampledCents();
      db.transaction(() => { for (const c of all) insert.run(c); })();
      const rows = db.prepare(`SELECT paid_cents AS c, ${bandIndexSql("paid_cents")} AS b FROM r`).all() as Array<{ c: number; b: number | null }>;
      expect(rows).toHaveLength(all.length);
      for (const { c, b } of rows) {
        const expected = bandIndexOfCents(c);
        expect(b, `${c}`).toBe(expected < 0 ? null : expected);
      }
    } finally {
      db.close();
    }
  });

  it("refuses a column name that is not a plain identifier in the SQL mapping", () => {
    expect(() => bandIndexSql("paid_cents; DROP TABLE r")).toThrow();
    expect(bandIndexSql("rates.paid_cents")).toContain("rates.paid_cents < 3000 THEN 0");
  });
});
