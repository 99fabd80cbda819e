// Rule "No rule beyond the band is needed for nested or overlapping cells": Oregon within Pacific,
// LCSW within master's-level, telehealth within all modalities, LCSW beside telehealth… can differ
// by exactly the target's report. Comparing them reveals the target's band and nothing finer.
// Positive control: the same differencing against naive exact percentiles pins the target.
import { describe, it, expect } from "vitest";
import { bandIndexOfCents } from "../../src/lib/rules/bands.ts";
import { cents, publish, rate, report, type ExactRate, type ExactReport } from "../factories.ts";
import { bandSweep, consistentAmounts, naiveMedianFromExact, observe, ratecard, type Attack } from "./attack.ts";

const TRUE_PAID = cents(104.44);
const PAY_BAND = bandIndexOfCents(TRUE_PAID);
/** K planted reports around the target's band: alone they form a published cell. */
const PLANTED_PAY = [80, 80, 130, 130, 130];

type Pair = {
  name: string;
  /** the attributes every planted report shares */
  planted: Partial<ExactReport> & { rate?: Partial<ExactRate> };
  /** the target's attributes: it differs from the planted reports in one respect */
  target: Partial<ExactReport> & { rate?: Partial<ExactRate> };
  /** the cell holding the planted reports only, and the cell holding them and the target */
  without: string;
  with: string;
};

const key = (p: { cpt?: string; geo?: string; channel?: string; platform?: string; payer?: string; license?: string; modality?: string; window?: string }) =>
  [p.cpt ?? "90837", p.geo ?? "national:US", p.channel ?? "all", p.platform ?? "all", p.payer ?? "all",
    p.license ?? "all:all", p.modality ?? "all", p.window ?? "2025"].join("|");

const PAIRS: Pair[] = [
  { name: "state vs its division (Oregon within Pacific)", planted: { state: "OR" }, target: { state: "WA" },
    without: key({ geo: "state:OR" }), with: key({ geo: "division:pacific" }) },
  { name: "license vs its group (LCSW within master's-level)", planted: { license: "lcsw" }, target: { license: "lpc" },
    without: key({ license: "license:lcsw" }), with: key({ license: "group:masters" }) },
  { name: "one modality vs all (telehealth within all)", planted: { rate: { modality: "telehealth" } }, target: { rate: { modality: "in_person" } },
    without: key({ modality: "telehealth" }), with: key({}) },
  { name: "one platform vs the platform channel (Alma within all platforms)", planted: { channel: "platform", platform: "alma" },
    target: { channel: "platform", platform: "headway" },
    without: key({ channel: "platform", platform: "alma" }), with: key({ channel: "platform" }) },
  { name: "one payer vs all payers (Cigna within all)", planted: { rate: { payer: "cigna" } }, target: { rate: { payer: "aetna" } },
    without: key({ payer: "cigna" }), with: key({}) },
  { name: "one year vs the two-year window (2025 within 2025-2026)", planted: { rate: { year: 2025 } }, target: { rate: { year: 2026 } },
    without: key({ window: "2025" }), with: key({ window: "2025-2026" }) },
  { name: "overlapping cells: LCSW (all modalities) beside master's-level telehealth", planted: { license: "lcsw", rate: { modality: "telehealth" } },
    target: { license: "lcsw", rate: { modality: "in_person" } },
    without: key({ license: "group:masters", modality: "telehealth" }), with: key({ license: "license:lcsw" }) },
];

function build(attrs: Pair["planted"], paidCents: number): ExactReport {
  const { rate: rateAttrs, ...reportAttrs } = attrs;
  return report({ channel: "direct", ...reportAttrs, rates: [rate({ paidCents, ...rateAttrs })] });
}

function attackOn(pair: Pair): Attack {
  const planted = PLANTED_PAY.map((p) => build(pair.planted, cents(p)));
  return {
    planted,
    plantedNext: planted.map((r, i) => (i === 0 ? build(pair.planted, cents(45)) : r)),
    target: (amount) => build(pair.target, amount),
  };
}

describe("nested and overlapping cells differing by the target only reveal its band, nothing finer", () => {
  for (const pair of PAIRS) {
    it(`${pair.name}: every pay amount of the band stays consistent`, () => {
      const attack = attackOn(pair);
      // both cells are published and differ by exactly the target's report
      const { cells } = publish([...attack.planted, attack.target(TRUE_PAID)]);
      const without = cells.find((c) => c.cellKey === pair.without);
      const withTarget = cells.find((c) => c.cellKey === pair.with);
      expect(without, pair.without).toBeDefined();
      expect(withTarget, pair.with).toBeDefined();
      expect(publish(attack.planted).cells.find((c) => c.cellKey === pair.without)).toEqual(without);
      expect(withTarget?.p50Band).toBe("90-120"); // the target's band is what the difference shows
      const sweep = bandSweep(PAY_BAND, [TRUE_PAID]);
      expect(consistentAmounts(observe(attack, ratecard(5)), TRUE_PAID, sweep)).toEqual(sweep);
    });
  }

  it("positive control: differencing the same cells under naive exact percentiles pins the target", () => {
    for (const pair of PAIRS) {
      const sweep = bandSweep(PAY_BAND, [TRUE_PAID], 31);
      const consistent = consistentAmounts(observe(attackOn(pair), naiveMedianFromExact(5)), TRUE_PAID, sweep);
      expect(consistent, pair.name).toContain(TRUE_PAID);
      expect((consistent.at(-1) as number) - (consistent[0] as number), pair.name).toBeLessThan(200);
    }
  });
});
