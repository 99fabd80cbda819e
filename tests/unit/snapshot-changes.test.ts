// The build-time comparison of two snapshot files (src/lib/write/snapshot-changes.ts) works on the
// files' codes, walking both in order and falling back to an index: it must give exactly the
// records of the plain comparison by decoded cells and key strings, whatever the order of the
// cells, the dictionaries, and which cells were added, removed or changed.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SnapshotFileWriter, readSnapshotFile, type CellValues } from "../../src/lib/read/snapshot-file.ts";
import { changesBetween, changesByKeyString, type ChangeRecord } from "../../src/lib/write/snapshot-changes.ts";

const CPTS = ["90791", "90834", "90837"];
const STATES = ["OR", "WA", "CA", "NY"];
const PAYERS = [null, "cigna", "aetna"];
const BANDS = ["60-90", "90-120", "120-160"];

type Spec = { cpt: number; state: number; payer: number; verified: boolean; p50: number; band: number };

function cellOf(spec: Spec): CellValues {
  return {
    cpt: CPTS[spec.cpt]!, geoLevel: "state", geo: STATES[spec.state]!, channel: "platform", platform: "alma", payer: PAYERS[spec.payer]!,
    licenseLevel: "all", license: null, modality: "all", yearWindow: "2026", verified: spec.verified,
    n: null, nBand: "5-9", p10: null, p25: spec.p50 - 10, p50: spec.p50, p75: spec.p50 + 10, p90: null,
    p25Band: BANDS[spec.band]!, p50Band: BANDS[spec.band]!, p75Band: BANDS[spec.band]!, p50ShareInBand: 0.5, medicare: 113.9,
    p50PctMedicare: 80, allowedP50: null, takeP50: null, takeLow: null, takeHigh: null, verifiedNBand: spec.verified ? "5-9" : null,
  };
}

const identity = (s: Spec) => `${s.cpt}|${s.state}|${s.payer}|${s.verified}`;

/** A file of the given cells (one per identity), grouped by CPT in the given CPT order. */
function fileOf(specs: Spec[], cptOrder: number[]) {
  const unique = [...new Map(specs.map((s) => [identity(s), s])).values()];
  const writer = new SnapshotFileWriter();
  for (const cpt of cptOrder) for (const spec of unique.filter((s) => s.cpt === cpt)) writer.add(cellOf(spec));
  return readSnapshotFile(writer.toBuffer([]));
}

const spec = fc.record({
  cpt: fc.integer({ min: 0, max: 2 }), state: fc.integer({ min: 0, max: 3 }), payer: fc.integer({ min: 0, max: 2 }),
  verified: fc.boolean(), p50: fc.integer({ min: 60, max: 160 }), band: fc.integer({ min: 0, max: 2 }),
});
const sorted = (records: ChangeRecord[]) => [...records].sort((x, y) => x.cellKey.localeCompare(y.cellKey));

describe("changesBetween", () => {
  it("records exactly what the comparison by decoded cells records", () => {
    fc.assert(fc.property(
      fc.array(spec, { maxLength: 60 }), fc.array(spec, { maxLength: 60 }), fc.array(fc.boolean(), { maxLength: 60 }),
      fc.shuffledSubarray([0, 1, 2], { minLength: 3 }), fc.boolean(),
      (earlier, fresh, keep, cptOrder, shuffle) => {
        // The later file keeps some cells (some with new figures), drops others and adds fresh ones.
        const kept = earlier.filter((_, i) => keep[i] ?? true).map((s, i) => (i % 3 === 0 ? { ...s, p50: s.p50 + 1 } : s));
        const later = shuffle ? [...fresh, ...kept].reverse() : [...kept, ...fresh];
        const before = { file: fileOf(earlier, [0, 1, 2]), isDemo: false };
        const after = { file: fileOf(later, cptOrder), isDemo: false };
        expect(sorted(changesBetween(before, after))).toEqual(sorted(changesByKeyString(before, after)));
      },
    ), { numRuns: 300 });
  });

  it("finds nothing between a file and itself, and everything against an empty one", () => {
    const specs: Spec[] = CPTS.flatMap((_, cpt) => STATES.map((_, state) => ({ cpt, state, payer: 1, verified: false, p50: 100, band: 1 })));
    const file = { file: fileOf(specs, [0, 1, 2]), isDemo: false };
    const empty = { file: fileOf([], [0, 1, 2]), isDemo: false };
    expect(changesBetween(file, file)).toEqual([]);
    expect(changesBetween(empty, file).map((r) => r.kind)).toEqual(specs.map(() => "added"));
    expect(changesBetween(file, empty).map((r) => r.kind)).toEqual(specs.map(() => "removed"));
  });
});
