import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffCells } from "../../src/lib/read/cell-diff.ts";

type Cell = { key: string; p50: number };
const cells = fc.uniqueArray(fc.record({ key: fc.string({ maxLength: 3 }), p50: fc.integer({ min: 0, max: 3 }) }), { selector: (c) => c.key, maxLength: 30 });
const diff = (before: Cell[], after: Cell[], examples = 0) => diffCells(before, after, (c) => c.key, (c) => String(c.p50), examples);

describe("diffCells, the one diff of published cells", () => {
  it("counts every cell of both sides exactly once, whatever the order", () => {
    fc.assert(fc.property(cells, cells, (before, after) => {
      const d = diff(before, after);
      expect(d.added + d.changed + d.unchanged).toBe(after.length);
      expect(d.removed + d.changed + d.unchanged).toBe(before.length);
      expect(diff([...before].reverse(), [...after].reverse())).toEqual(d);
    }));
  });

  it("names a change only when a figure differs, and lists changed and added before removed", () => {
    const d = diff([{ key: "a", p50: 1 }, { key: "b", p50: 2 }, { key: "gone", p50: 1 }], [{ key: "a", p50: 1 }, { key: "b", p50: 3 }, { key: "new", p50: 1 }], 5);
    expect(d).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 1 });
    expect(d.examples.map((e) => [e.before?.key ?? null, e.after?.key ?? null])).toEqual([["b", "b"], [null, "new"], ["gone", null]]);
    expect(diff([], [{ key: "x", p50: 0 }], 0).examples).toEqual([]);
  });
});
