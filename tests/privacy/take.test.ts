// Rule "Take from medians" under attack: the payer amount of a platform or group rate is public
// (a negotiated rate insurers publish) and is published exactly, next to the take. An attacker who
// knows it, plants every other report of the cell and compares snapshots must still learn
// nothing finer than the pay band of the target. A per-rate take, or a take from an exact pay
// median, would pin the pay (positive controls).
import { describe, it, expect } from "vitest";
import { bandIndexOfCents } from "../../src/lib/rules/bands.ts";
import { exactPercentile } from "../../src/lib/rules/percentiles.ts";
import { roundHalfUp } from "../../src/lib/rules/rounding.ts";
import { cents, publish, rate, report, type Channel, type ExactReport } from "../factories.ts";
import { bandSweep, consistentAmounts, observe, ratecard, splitBands, wideSweep, type Attack, type Pipeline } from "./attack.ts";

/** Cigna pays the platform $151.74 for a 90837 (public); the target is paid $95.00 (band 90-120). */
const PUBLIC_ALLOWED = cents(151.74);
const TRUE_PAID = cents(95);
const PAY_BAND = bandIndexOfCents(TRUE_PAID);
const CELL = "90837|national:US|platform|alma|cigna|all:all|telehealth|2025";

function platformReport(paidCents: number, allowedCents: number | null, channel: Channel = "platform"): ExactReport {
  return report({ channel, platform: channel === "platform" ? "alma" : null, rates: [rate({ paidCents, allowedCents })] });
}

function attackOn(plantedPaid: number[], channel: Channel = "platform"): Attack {
  const planted = plantedPaid.map((p) => platformReport(cents(p), PUBLIC_ALLOWED, channel));
  return {
    planted,
    plantedNext: planted.map((r, i) => (i === 0 ? platformReport(cents(140), PUBLIC_ALLOWED, channel) : r)),
    target: (amount) => platformReport(amount, PUBLIC_ALLOWED, channel),
  };
}

/** A naive site that publishes the take of a cell from the exact pay median (everything else as Ratecard). */
function naiveTakeFromExactMedian(k: number): Pipeline {
  return (reports) => {
    const { cells } = publish(reports, k);
    const lines = reports.flatMap((r) => r.rates);
    const median = exactPercentile(lines.map((x) => x.paidCents).sort((a, b) => a - b), 0.5) / 100;
    return JSON.stringify(cells.map((c) => (c.allowedP50 === null ? c : { ...c, takeP50: roundHalfUp(100 * (1 - median / c.allowedP50)) })));
  };
}

/** A naive site that shows each rate's take (never done: "It is never computed per rate"). */
function naivePerRateTake(): Pipeline {
  return (reports) => JSON.stringify(reports.flatMap((r) => r.rates.map((x) =>
    x.allowedCents === null ? null : roundHalfUp(100 * (1 - x.paidCents / x.allowedCents)))).sort());
}

const SCENARIOS: Array<[string, number[], Channel]> = [
  ["(a) K−1 platform reports clustered at one amount ($105)", [105, 105, 105, 105], "platform"],
  ["(b) K−1 platform reports bracketing the band ($89.99, $120.00)", [89.99, 89.99, 120, 120], "platform"],
  ["(c) K−1 platform reports on the band's edges", [89.99, 90, 119.99, 120], "platform"],
  ["(d) 60 platform reports around the band", Array.from({ length: 60 }, (_, i) => (i < 30 ? 60 + i : 120 + i)), "platform"],
  ["group practice: K−1 group reports bracketing the band", [89.99, 89.99, 120, 120], "group"],
];

describe("take from medians: the target's pay stays hidden within its band when the payer amount is public", () => {
  for (const [name, planted, channel] of SCENARIOS) {
    it(`${name}: every pay amount of the band stays consistent, with the take published`, () => {
      const attack = attackOn(planted, channel);
      const pipeline = ratecard(5);
      const withTarget = publish([...attack.planted, attack.target(TRUE_PAID)], 5).cells;
      const key = channel === "platform" ? CELL : CELL.replace("platform|alma", "group|all");
      const cell = withTarget.find((c) => c.cellKey === key);
      // the take and the exact payer median are published, so the attack has everything it can get
      expect(cell?.allowedP50).toBe(152);
      expect(cell?.takeLow).not.toBeNull();
      const view = observe(attack, pipeline);
      const sweep = bandSweep(PAY_BAND, [TRUE_PAID]);
      expect(consistentAmounts(view, TRUE_PAID, sweep)).toEqual(sweep);
      const wide = [...new Set([...wideSweep(2003), ...sweep])].sort((a, b) => a - b);
      const consistentWide = consistentAmounts(view, TRUE_PAID, wide);
      expect(splitBands(consistentWide, wide)).toEqual([]);
    });
  }

  it("positive control: a take from the exact pay median pins the target's pay within a few dollars", () => {
    const attack = attackOn([89.99, 89.99, 120, 120]);
    const sweep = bandSweep(PAY_BAND, [TRUE_PAID]);
    const consistent = consistentAmounts(observe(attack, naiveTakeFromExactMedian(5)), TRUE_PAID, sweep);
    expect(consistent).toContain(TRUE_PAID);
    // the median interpolates the target with $89.99, so each whole percent of $152 is about $3 of pay
    expect((consistent.at(-1) as number) - (consistent[0] as number)).toBeLessThan(400);
  });

  it("positive control: a per-rate take pins the target's pay within a couple of dollars", () => {
    const attack = attackOn([105, 105, 105, 105]);
    const sweep = bandSweep(PAY_BAND, [TRUE_PAID]);
    const consistent = consistentAmounts(observe(attack, naivePerRateTake()), TRUE_PAID, sweep);
    expect(consistent).toContain(TRUE_PAID);
    expect((consistent.at(-1) as number) - (consistent[0] as number)).toBeLessThan(200);
  });
});
