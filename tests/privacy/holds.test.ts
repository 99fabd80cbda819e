// Rule "Hold implausible reports" under attack: whether a report is held (and so missing from a
// snapshot) must depend on bands only, or being counted would reveal pay within its band. An
// attacker plants K−1 reports, submits nothing else, and watches whether the target is counted.
// Positive control: the same checks on exact amounts split the band.
import { describe, it, expect } from "vitest";
import { band, bandIndexOfCents } from "../../src/lib/rules/bands.ts";
import { REFERENCE, cents, rate, report, type ExactReport, type Reference } from "../factories.ts";
import { bandSweep, consistentAmounts, naiveExactHolds, observe, ratecard, type Attack } from "./attack.ts";

/** Reference data whose Medicare amounts put the 20% and 400% thresholds inside bands. */
function withMedicare(cpt: string, medicareCents: number | null): Reference {
  const medicare = new Map(REFERENCE.medicareCents);
  if (medicareCents === null) medicare.delete(cpt);
  else medicare.set(cpt, new Map([[2025, medicareCents]]));
  return { ...REFERENCE, medicareCents: medicare };
}

function attackOn(plantedPaid: number[], target: (amount: number) => ExactReport, make: (paidCents: number) => ExactReport): Attack {
  const planted = plantedPaid.map((p) => make(cents(p)));
  // the next snapshot: one planted report changes by a cent
  return { planted, plantedNext: planted.map((r, i) => (i === 0 ? make(cents(plantedPaid[0] ?? 0) + 1) : r)), target };
}

const direct = (paidCents: number) => report({ channel: "direct", rates: [rate({ paidCents })] });

describe("hold decisions reveal nothing finer than the band", () => {
  it("pay near 20% of Medicare ($50 of $250, inside band 30-60): every amount of the band is counted alike", () => {
    const reference = withMedicare("90837", 25_000);
    const truth = cents(41.17);
    const attack = attackOn([45, 45, 45, 45], direct, direct);
    const sweep = bandSweep(bandIndexOfCents(truth), [truth]);
    const pipeline = ratecard(5, reference);
    expect(pipeline([...attack.planted, attack.target(truth)])).not.toBe(pipeline(attack.planted)); // counted
    expect(consistentAmounts(observe(attack, pipeline), truth, sweep)).toEqual(sweep);
    // positive control: holding pay below 20% of Medicare exactly splits the band at $50
    const naive = consistentAmounts(observe(attack, naiveExactHolds(5, reference)), truth, sweep);
    expect(naive.every((c) => c < 5_000)).toBe(true);
    expect(naive.length).toBeLessThan(sweep.length);
  });

  it("pay near 400% of Medicare ($400 of $100, inside band 370-490): every amount of the band is counted alike", () => {
    const reference = withMedicare("90837", 10_000);
    const truth = cents(433.1);
    const attack = attackOn([420, 420, 420, 420], direct, direct);
    const sweep = bandSweep(bandIndexOfCents(truth), [truth], 17); // a $120 band: every 17 cents
    expect(consistentAmounts(observe(attack, ratecard(5, reference)), truth, sweep)).toEqual(sweep);
    const naive = consistentAmounts(observe(attack, naiveExactHolds(5, reference)), truth, sweep);
    expect(naive.every((c) => c > 40_000)).toBe(true);
    expect(naive.length).toBeLessThan(sweep.length);
  });

  it("a public platform payer amount ($100) inside the pay band 90-120: every pay amount of the band is counted alike", () => {
    const platform = (paidCents: number) => report({ channel: "platform", platform: "alma", rates: [rate({ paidCents, allowedCents: cents(100) })] });
    const truth = cents(97.5);
    const attack = attackOn([105, 105, 105, 105], platform, platform);
    const sweep = bandSweep(bandIndexOfCents(truth), [truth]);
    expect(consistentAmounts(observe(attack, ratecard(5)), truth, sweep)).toEqual(sweep);
    // positive control: holding pay above the payer amount splits the band at $100
    const naive = consistentAmounts(observe(attack, naiveExactHolds(5)), truth, sweep);
    expect(naive.every((c) => c <= 10_000)).toBe(true);
    expect(naive.length).toBeLessThan(sweep.length);
  });

  it("pay in the top band (2070-2760) is counted alike up to $2,759.99, the edge where pay is held", () => {
    const reference = withMedicare("90837", null);
    const truth = cents(2_400);
    const attack = attackOn([2_500, 2_500, 2_500, 2_500], direct, direct);
    const sweep = bandSweep(bandIndexOfCents(truth), [truth], 97); // a $690 band: every 97 cents
    const { hi } = band(bandIndexOfCents(truth));
    expect(hi).toBe(2760);
    expect(consistentAmounts(observe(attack, ratecard(5, reference)), truth, sweep)).toEqual(sweep);
  });
});
