// Issue 12, rule "Tested" for verified rows: an attacker who plants every other report of a
// verified cell — verified ones too, say a moderator who verified them, or someone holding many
// tokens — and compares every snapshot learns the verified target's pay only to its band. The
// same attack against verified rows computed from exact amounts pins the target (positive control).
import { describe, it, expect } from "vitest";
import { bandIndexOfCents } from "../../src/lib/rules/bands.ts";
import { cents, rate, report, type ExactReport } from "../factories.ts";
import { bandSweep, consistentAmounts, naiveMedianFromExact, observe, ratecard, splitBands, wideSweep, type Attack, type Pipeline } from "./attack.ts";

const TRUE_PAID = cents(101.37);
const PAY_BAND = bandIndexOfCents(TRUE_PAID);

function platformReport(paidDollars: number, verified: boolean): ExactReport {
  return report({ channel: "platform", platform: "alma", verified, rates: [rate({ paidCents: cents(paidDollars), allowedCents: cents(151.74) })] });
}

/** Planted: K−1 verified reports bracketing the band, and unverified ones around them. */
function attack(k: number): Attack {
  const verifiedPlanted = [89.99, 120, 89.99, 120].slice(0, k - 1).map((p) => platformReport(p, true));
  const others = [60, 75, 130, 150, 95].map((p) => platformReport(p, false));
  const planted = [...verifiedPlanted, ...others];
  return {
    planted,
    // the next snapshot: one planted verified report moves to another band
    plantedNext: planted.map((r, i) => (i === 0 ? platformReport(45, true) : r)),
    target: (amount) => report({ channel: "platform", platform: "alma", verified: true, rates: [rate({ paidCents: amount, allowedCents: cents(151.74) })] }),
  };
}

/** Verified rows as a naive site would compute them: threshold rules over exact amounts of verified reports. */
function naiveVerified(k: number): Pipeline {
  const naive = naiveMedianFromExact(k);
  return (reports) => naive(reports.filter((r) => r.verified));
}

describe("planted verified cell: the verified target's pay stays hidden within its band", () => {
  for (const k of [3, 5]) {
    it(`K = ${k}, K−1 planted verified reports: every pay amount of the band stays consistent`, { timeout: 180_000 }, () => {
      const pipeline = ratecard(k);
      const a = attack(k);
      const added = pipeline([...a.planted, a.target(TRUE_PAID)]);
      // the target completes the verified cell, so a verified row appears: the sweep is not vacuous
      expect(added).toContain("|verified");
      expect(pipeline(a.planted)).not.toContain("|verified");
      const view = observe(a, pipeline);
      const sweep = bandSweep(PAY_BAND, [TRUE_PAID]);
      expect(consistentAmounts(view, TRUE_PAID, sweep)).toEqual(sweep);
      const wide = [...new Set([...wideSweep(1009), ...sweep])].sort((x, y) => x - y);
      expect(splitBands(consistentAmounts(view, TRUE_PAID, wide), wide)).toEqual([]);
    });
  }

  it("positive control: verified rows from exact amounts pin the same target well inside its band", () => {
    const view = observe(attack(5), naiveVerified(5));
    const sweep = bandSweep(PAY_BAND, [TRUE_PAID], 31);
    const consistent = consistentAmounts(view, TRUE_PAID, sweep);
    expect(consistent).toContain(TRUE_PAID);
    expect(consistent.length).toBeLessThan(sweep.length / 4);
  });
});
