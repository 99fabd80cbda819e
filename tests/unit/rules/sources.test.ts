import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { snapshotSource } from "../../../src/lib/rules/sources.ts";

const statuses = ["accepted", "pending", "rejected"] as const;
const sources = ["crowd", "demo"] as const;

describe("rule Demo and real", () => {
  it("builds from demo reports only while no accepted crowd report exists", () => {
    expect(snapshotSource(0)).toBe("demo");
    expect(snapshotSource(1)).toBe("crowd");
    expect(snapshotSource(5000)).toBe("crowd");
  });

  it("never mixes demo with crowd reports, whatever the database holds (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ reviewStatus: fc.constantFrom(...statuses), source: fc.constantFrom(...sources) }), { maxLength: 40 }), (reports) => {
        const acceptedCrowd = reports.filter((r) => r.reviewStatus === "accepted" && r.source === "crowd").length;
        const source = snapshotSource(acceptedCrowd);
        const included = reports.filter((r) => r.reviewStatus === "accepted" && r.source === source);
        expect(new Set(included.map((r) => r.source)).size).toBeLessThanOrEqual(1);
        expect(included.every((r) => r.reviewStatus === "accepted")).toBe(true);
        if (acceptedCrowd > 0) expect(included).toHaveLength(acceptedCrowd);
        else expect(included.every((r) => r.source === "demo")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
