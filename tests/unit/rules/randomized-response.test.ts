import { describe, it, expect } from "vitest";
import {
  KEEP_PROBABILITY, REPLACED_YES, SCALE_MAX, SHARE_MIN_ANSWERS, debiasedShare, randomizeScale, randomizeYesNo,
} from "../../../src/lib/rules/randomized-response.ts";
import { seededUniform } from "../../factories.ts";

/** A uniform source that replays fixed numbers. */
function replay(...values: number[]): () => number {
  let i = 0;
  return () => {
    const v = values[i++];
    if (v === undefined) throw new Error("replay exhausted");
    return v;
  };
}

const DRAWS = 200_000;
// Binomial standard error at 200 000 draws is under 0.0012; 0.006 is about 5 standard errors, and the source is seeded.
const TOLERANCE = 0.006;

describe("rule Randomized answers: yes/no", () => {
  it("keeps the true answer with probability 3/4, else stores a fair coin", () => {
    expect(KEEP_PROBABILITY).toBe(0.75);
    expect(randomizeYesNo(true, replay(0.1))).toBe(true);
    expect(randomizeYesNo(false, replay(0.7499))).toBe(false);
    expect(randomizeYesNo(false, replay(0.75, 0.2))).toBe(true);
    expect(randomizeYesNo(true, replay(0.9, 0.5))).toBe(false);
  });

  it("stores the true answer with probability 7/8 overall, for either true answer", () => {
    const u = seededUniform(20_250_101);
    for (const truth of [true, false]) {
      let kept = 0;
      for (let i = 0; i < DRAWS; i++) if (randomizeYesNo(truth, u) === truth) kept++;
      expect(Math.abs(kept / DRAWS - 7 / 8)).toBeLessThan(TOLERANCE);
    }
  });

  it("never lets a stored answer change the odds about the true one by more than a factor of 7", () => {
    const u = seededUniform(7);
    let yesGivenYes = 0;
    let yesGivenNo = 0;
    for (let i = 0; i < DRAWS; i++) {
      if (randomizeYesNo(true, u)) yesGivenYes++;
      if (randomizeYesNo(false, u)) yesGivenNo++;
    }
    const ratio = yesGivenYes / yesGivenNo;
    expect(ratio).toBeGreaterThan(6.5);
    expect(ratio).toBeLessThan(7.5);
  });
});

describe("rule Randomized answers: 1–5 scale", () => {
  it("keeps the answer with probability 3/4, else draws uniformly from 1 to 5", () => {
    expect(randomizeScale(2, replay(0.5))).toBe(2);
    expect(randomizeScale(2, replay(0.8, 0))).toBe(1);
    expect(randomizeScale(2, replay(0.8, 0.99999999))).toBe(5);
    expect(randomizeScale(2, replay(0.8, 0.5))).toBe(3);
  });

  it("stores the true answer with probability 4/5 and each other answer with probability 1/20", () => {
    const u = seededUniform(424_242);
    for (const truth of [1, 3, 5]) {
      const counts = new Array<number>(SCALE_MAX + 1).fill(0);
      let outside = 0;
      for (let i = 0; i < DRAWS; i++) {
        const v = randomizeScale(truth, u);
        if (!(Number.isInteger(v) && v >= 1 && v <= SCALE_MAX)) outside++;
        else counts[v]! += 1;
      }
      expect(outside).toBe(0);
      for (let v = 1; v <= SCALE_MAX; v++) {
        const expected = v === truth ? 0.75 + 0.25 / 5 : 0.25 / 5;
        expect(Math.abs((counts[v] as number) / DRAWS - expected), `truth ${truth}, stored ${v}`).toBeLessThan(TOLERANCE);
      }
    }
  });

  it("refuses answers outside 1 to 5", () => {
    for (const bad of [0, 6, 2.5, -1, Number.NaN]) expect(() => randomizeScale(bad, replay(0.1))).toThrow(RangeError);
  });
});

describe("rule Randomized answers: debiased shares", () => {
  it("publishes nothing below 20 answers", () => {
    expect(SHARE_MIN_ANSWERS).toBe(20);
    for (let n = 0; n < 20; n++) expect(debiasedShare(Math.floor(n / 2), n, REPLACED_YES.yesNo)).toBeNull();
    expect(debiasedShare(10, 20, REPLACED_YES.yesNo)).not.toBeNull();
  });

  it("refuses impossible counts", () => {
    expect(() => debiasedShare(21, 20, 0.5)).toThrow(RangeError);
    expect(() => debiasedShare(-1, 20, 0.5)).toThrow(RangeError);
    expect(() => debiasedShare(1.5, 20, 0.5)).toThrow(RangeError);
  });

  it("debiases: the stored share 1/8 means no one, 7/8 means everyone, 1/2 means half", () => {
    expect(debiasedShare(125, 1000, REPLACED_YES.yesNo)?.sharePct).toBe(0);
    expect(debiasedShare(875, 1000, REPLACED_YES.yesNo)?.sharePct).toBe(100);
    expect(debiasedShare(500, 1000, REPLACED_YES.yesNo)?.sharePct).toBe(50);
    expect(debiasedShare(0, 40, REPLACED_YES.yesNo)?.sharePct).toBe(0); // clamped, never negative
    expect(debiasedShare(40, 40, REPLACED_YES.yesNo)?.sharePct).toBe(100); // clamped, never above 100
    expect(debiasedShare(0, 40, REPLACED_YES.yesNo)?.marginPct).toBeGreaterThan(0); // an honest margin even at 0
  });

  for (const [name, kind] of [["yes/no", "yesNo"], ["'4 or 5' on the 1–5 scale", "scaleHigh"]] as const) {
    it(`covers the true share with its ± margin about 95 percent of the time (${name})`, () => {
      const u = seededUniform(kind === "yesNo" ? 95 : 59);
      const sizes = [20, 21, 25, 30, 40, 60, 90, 150, 250, 500];
      let total = 0;
      let covered = 0;
      for (let step = 0; step <= 20; step++) {
        const share = step / 20;
        let stratumTotal = 0;
        let stratumCovered = 0;
        for (const n of sizes) {
          for (let rep = 0; rep < 30; rep++) {
            let yes = 0;
            for (let i = 0; i < n; i++) {
              const truth = u() < share;
              if (kind === "yesNo") {
                if (randomizeYesNo(truth, u)) yes++;
              } else {
                const answer = truth ? 4 + Math.floor(u() * 2) : 1 + Math.floor(u() * 3);
                if (randomizeScale(answer, u) >= 4) yes++;
              }
            }
            const d = debiasedShare(yes, n, REPLACED_YES[kind]);
            if (d === null) throw new Error("20 answers or more must give a share");
            expect(d.n).toBe(n);
            expect(d.sharePct >= 0 && d.sharePct <= 100).toBe(true);
            const ok = Math.abs(100 * share - d.sharePct) <= d.marginPct;
            stratumTotal++;
            total++;
            if (ok) { stratumCovered++; covered++; }
          }
        }
        expect(stratumCovered / stratumTotal, `true share ${share}`).toBeGreaterThanOrEqual(0.88);
      }
      expect(covered / total).toBeGreaterThanOrEqual(0.92);
      expect(covered / total).toBeLessThanOrEqual(0.995); // a margin so wide it says nothing would also "cover"
    });
  }
});
