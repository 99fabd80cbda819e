import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { ceilSafe, floorSafe, roundHalfUp } from "../../../src/lib/rules/rounding.ts";

describe("rounding of published figures", () => {
  it("rounds half up to whole dollars, as the design's example (126.67 → 127, 126.5 → 127)", () => {
    expect(roundHalfUp(120 + (0.5 / 3) * 40)).toBe(127);
    expect(roundHalfUp(126.5)).toBe(127);
    expect(roundHalfUp(126.49)).toBe(126);
    expect(roundHalfUp(-30.5)).toBe(-30);
    expect(roundHalfUp(0)).toBe(0);
  });

  it("absorbs binary floating-point error at exact halves and whole numbers", () => {
    expect(roundHalfUp(1.005 * 100)).toBe(101); // 100.49999999999999 in binary
    expect(floorSafe(0.29 * 100)).toBe(29); // 28.999999999999996 in binary
    expect(ceilSafe(0.1 * 3 * 10)).toBe(3); // 3.0000000000000004 in binary
  });

  it("is never more than half a unit from the value, and floor ≤ value ≤ ceil up to the epsilon (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
        expect(Math.abs(roundHalfUp(v) - v)).toBeLessThanOrEqual(0.5 + 1e-6);
        expect(floorSafe(v)).toBeLessThanOrEqual(v + 1e-6);
        expect(ceilSafe(v)).toBeGreaterThanOrEqual(v - 1e-6);
        expect(ceilSafe(v) - floorSafe(v)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });
});
