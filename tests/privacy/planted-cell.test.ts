// Rule "Tested": an attacker who plants every other report of the target's cells and sees every
// published cell before the target's report, after it, after its deletion and in a later snapshot
// (with one planted report changed) must not narrow the target's pay, or its direct payer amount,
// below its band. Each scenario also runs the same attack against a naive implementation that
// computes percentiles from exact amounts, to show the attack is real and the test can fail.
import { describe, it, expect } from "vitest";
import { bandIndexOfCents } from "../../src/lib/rules/bands.ts";
import { cents, rate, report, type ExactReport } from "../factories.ts";
import {
  bandSweep, consistentAmounts, naiveMedianFromExact, observe, ratecard, splitBands, wideSweep, type Attack,
} from "./attack.ts";

/** The target's secrets: pay $101.37 (band 90-120) and its own contract's payer amount $141.23 (band 120-160). */
const TRUE_PAID = cents(101.37);
const TRUE_ALLOWED = cents(141.23);
const PAY_BAND = bandIndexOfCents(TRUE_PAID);
const ALLOWED_BAND = bandIndexOfCents(TRUE_ALLOWED);

/** A direct report in the target's cells (OR, LPC, direct, Cigna, 90837, telehealth, 2025). */
function directReport(paidCents: number, allowedCents: number | null): ExactReport {
  return report({ channel: "direct", rates: [rate({ paidCents, allowedCents })] });
}

type Planted = Array<[paidDollars: number, allowedDollars: number]>;

function attackOn(planted: Planted, secret: "paid" | "allowed"): Attack {
  const plantedReports = planted.map(([p, a]) => directReport(cents(p), cents(a)));
  // the next snapshot: the attacker moves one planted report to another band
  const plantedNext = plantedReports.map((r, i) => (i === 0 ? directReport(cents(45), cents(planted[0]?.[1] ?? 100)) : r));
  return {
    planted: plantedReports,
    plantedNext,
    target: (amount) => (secret === "paid" ? directReport(amount, TRUE_ALLOWED) : directReport(TRUE_PAID, amount)),
  };
}

type Scenario = { name: string; k: number; planted: Planted; naiveNarrowsAllowed: boolean };

const spread = (from: number, to: number, count: number, allowed: number): Planted =>
  Array.from({ length: count }, (_, i) => [Math.round((from + ((to - from) * i) / (count - 1)) * 100) / 100, allowed]);

const SCENARIOS: Record<"a" | "aOutside" | "b" | "c" | "d" | "dMinimum", Scenario> = {
  a: { name: "(a) K−1 planted reports clustered at one amount inside the target's band ($105)", k: 5,
    planted: [[105, 119.99], [105, 119.99], [105, 160], [105, 160]], naiveNarrowsAllowed: true },
  aOutside: { name: "(a) K−1 planted reports clustered at one amount above the target's band ($150)", k: 5,
    planted: [[150, 200], [150, 200], [150, 200], [150, 200]], naiveNarrowsAllowed: false },
  b: { name: "(b) planted reports bracketing the target's band on both sides ($89.99 and $120.00)", k: 5,
    planted: [[89.99, 100], [89.99, 100], [120, 170], [120, 170]], naiveNarrowsAllowed: true },
  c: { name: "(c) planted reports sitting exactly on the band's edges and a cent beside them", k: 5,
    planted: [[89.99, 119.99], [90, 119.99], [119.99, 160], [120, 160]], naiveNarrowsAllowed: true },
  d: { name: "(d) many planted reports (60), half below and half above the target's band", k: 5,
    planted: [...spread(60, 89.99, 30, 100), ...spread(120, 159.99, 30, 170)], naiveNarrowsAllowed: true },
  dMinimum: { name: "(d) the minimum K−1 planted reports with the smallest K (K = 3, 2 planted)", k: 3,
    planted: [[80, 100], [130, 170]], naiveNarrowsAllowed: true },
};

function assertAttackFails(scenario: Scenario, secret: "paid" | "allowed"): void {
  const attack = attackOn(scenario.planted, secret);
  const pipeline = ratecard(scenario.k);
  const truth = secret === "paid" ? TRUE_PAID : TRUE_ALLOWED;
  const secretBand = secret === "paid" ? PAY_BAND : ALLOWED_BAND;

  // the target's report is published (counted in its cells), so the sweep below is not vacuous
  expect(pipeline([...attack.planted, attack.target(truth)])).not.toBe(pipeline(attack.planted));

  // every amount of the band is consistent with everything published: never narrower than the band
  const view = observe(attack, pipeline);
  const sweep = bandSweep(secretBand, [truth]);
  expect(consistentAmounts(view, truth, sweep)).toEqual(sweep);

  // over all amounts, what is learned is a union of whole bands, never part of one
  const wide = [...new Set([...wideSweep(1009), ...sweep])].sort((a, b) => a - b);
  const consistentWide = consistentAmounts(view, truth, wide);
  expect(splitBands(consistentWide, wide)).toEqual([]);
  expect(consistentWide).toEqual(expect.arrayContaining(sweep));
}

function assertNaiveAttackWorks(scenario: Scenario, secret: "paid" | "allowed"): void {
  const attack = attackOn(scenario.planted, secret);
  const view = observe(attack, naiveMedianFromExact(scenario.k));
  const truth = secret === "paid" ? TRUE_PAID : TRUE_ALLOWED;
  // a coarser sweep is enough to show the naive site narrows the target
  const sweep = bandSweep(secret === "paid" ? PAY_BAND : ALLOWED_BAND, [truth], 31);
  const consistent = consistentAmounts(view, truth, sweep);
  expect(consistent).toContain(truth);
  // the naive site pins the target well inside its band: to a few dollars at most
  expect(consistent.length).toBeLessThan(sweep.length / 4);
  expect((consistent.at(-1) as number) - (consistent[0] as number)).toBeLessThan(1000);
}

describe("planted cell: the target's pay stays hidden within its band", () => {
  for (const scenario of Object.values(SCENARIOS)) {
    it(`${scenario.name}: every pay amount of the band stays consistent`, () => {
      assertAttackFails(scenario, "paid");
    });
  }

  it("a target report with two lines in the cell: sweeping one line's pay still reveals only its band", () => {
    const planted = SCENARIOS.b.planted.map(([p, a]) => directReport(cents(p), cents(a)));
    const attack: Attack = {
      planted,
      plantedNext: planted.slice(1),
      target: (amount) => report({ channel: "direct", rates: [
        rate({ paidCents: amount, allowedCents: TRUE_ALLOWED }),
        rate({ paidCents: cents(112.5), allowedCents: TRUE_ALLOWED, modality: "in_person" }),
      ] }),
    };
    const sweep = bandSweep(PAY_BAND, [TRUE_PAID]);
    expect(consistentAmounts(observe(attack, ratecard(5)), TRUE_PAID, sweep)).toEqual(sweep);
  });
});

describe("planted cell: the target's direct payer amount stays hidden within its band", () => {
  for (const scenario of Object.values(SCENARIOS)) {
    it(`${scenario.name}: every payer amount of the band stays consistent`, () => {
      assertAttackFails(scenario, "allowed");
    });
  }
});

describe("positive control: the same attacks pin the target against a naive implementation", () => {
  for (const scenario of Object.values(SCENARIOS)) {
    it(`${scenario.name}: naive percentiles of exact pay narrow the target below its band`, () => {
      assertNaiveAttackWorks(scenario, "paid");
    });
  }

  for (const scenario of Object.values(SCENARIOS).filter((s) => s.naiveNarrowsAllowed)) {
    it(`${scenario.name}: a naive payer median over direct rates narrows the direct payer amount below its band`, () => {
      assertNaiveAttackWorks(scenario, "allowed");
    });
  }
});
