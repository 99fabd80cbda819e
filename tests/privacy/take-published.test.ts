// Rule "Take from medians", published basis, under attack: the insurer's rate ($151.74, Cigna →
// Alma) is public and published exactly next to the take. An attacker who knows it, plants every
// other report of the cell and compares outputs must still learn nothing finer than the target's
// pay band. A per-report take against the published rate would pin the pay (positive control).
import { describe, expect, it } from "vitest";
import { bandIndexOfCents } from "../../src/lib/rules/bands.ts";
import { takeFromPublishedRate, type PublishedPayerRate } from "../../src/lib/rules/published-rates.ts";
import { roundHalfUp } from "../../src/lib/rules/rounding.ts";
import { cents, publish, rate, report, type ExactReport } from "../factories.ts";
import { bandSweep, consistentAmounts, observe, splitBands, wideSweep, type Attack, type Pipeline } from "./attack.ts";

const TRUE_PAID = cents(95);
const PAY_BAND = bandIndexOfCents(TRUE_PAID);
const CIGNA_PAYS_ALMA: PublishedPayerRate = {
  payer: "cigna", platform: "alma", tin: "111111111", state: null, cpt: "90837", modifiers: [], placeOfService: ["02", "10"],
  negotiatedType: "negotiated", negotiatedRate: 151.74, rateLow: 151.74, rateHigh: 151.74, networks: ["OAP"],
  expirationDate: "9999-12-31", reportingEntity: "Cigna", lastUpdatedOn: "2025-10-01", sourceFile: "cigna.json.gz", sourceSha256: "0".repeat(64),
};

const almaReport = (paidCents: number): ExactReport =>
  report({ channel: "platform", platform: "alma", rates: [rate({ paidCents, allowedCents: null, year: 2025 })] });

/** Everything Ratecard publishes, with the published-basis take of every cell. */
const withPublishedTake = (k: number): Pipeline => (reports) =>
  JSON.stringify(publish(reports, k).cells.map((cell) => ({ ...cell, ...takeFromPublishedRate(cell, [CIGNA_PAYS_ALMA], false) })));

/** A naive site that shows each report's share of the published rate (never done). */
const naivePerReportShare = (): Pipeline => (reports) =>
  JSON.stringify(reports.flatMap((r) => r.rates.map((x) => roundHalfUp(100 * (1 - x.paidCents / 100 / CIGNA_PAYS_ALMA.negotiatedRate)))).sort());

function attackOn(plantedPaid: number[]): Attack {
  const planted = plantedPaid.map((p) => almaReport(cents(p)));
  return { planted, plantedNext: planted.map((r, i) => (i === 0 ? almaReport(cents(140)) : r)), target: almaReport };
}

const SCENARIOS: Array<[string, number[]]> = [
  ["K−1 reports clustered at one amount ($105)", [105, 105, 105, 105]],
  ["K−1 reports bracketing the band ($89.99, $120.00)", [89.99, 89.99, 120, 120]],
  ["K−1 reports on the band's edges", [89.99, 90, 119.99, 120]],
  ["40 reports around the band", Array.from({ length: 40 }, (_, i) => (i < 20 ? 60 + i : 120 + i))],
];

describe("take on the published basis: the target's pay stays hidden within its band though the insurer's rate is public", () => {
  for (const [name, planted] of SCENARIOS) {
    it(`${name}: every pay amount of the band stays consistent, with the published-basis take shown`, () => {
      const attack = attackOn(planted);
      const cells = JSON.parse(withPublishedTake(5)([...attack.planted, attack.target(TRUE_PAID)])) as { publishedRate: number | null }[];
      expect(cells.some((cell) => cell.publishedRate === 151.74)).toBe(true);
      const view = observe(attack, withPublishedTake(5));
      const sweep = bandSweep(PAY_BAND, [TRUE_PAID]);
      expect(consistentAmounts(view, TRUE_PAID, sweep)).toEqual(sweep);
      const wide = [...new Set([...wideSweep(2003), ...sweep])].sort((a, b) => a - b);
      expect(splitBands(consistentAmounts(view, TRUE_PAID, wide), wide)).toEqual([]);
    });
  }

  it("positive control: a per-report share of the published rate pins the target's pay within a couple of dollars", () => {
    const attack = attackOn([105, 105, 105, 105]);
    const sweep = bandSweep(PAY_BAND, [TRUE_PAID]);
    const consistent = consistentAmounts(observe(attack, naivePerReportShare()), TRUE_PAID, sweep);
    expect(consistent).toContain(TRUE_PAID);
    expect((consistent.at(-1) as number) - (consistent[0] as number)).toBeLessThan(200);
  });
});
