// Generates the demo reports an empty database starts with: deterministic from a fixed seed,
// anchored on Medicare amounts, marked source = demo, never mixed with crowd reports.
import type { ReportSubmission } from "../../src/lib/schemas/report.ts";
import type { Channel, License, StateCode } from "../../src/lib/schemas/codes.ts";

export const DEMO_SEED = 20261125;
export const DEMO_REPORT_COUNT = 2000;

/** mulberry32: a small, fast, seedable generator; good enough for plausible fake data. */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = readonly (readonly [T, number])[];

function pick<T>(uniform: () => number, options: Weighted<T>): T {
  const total = options.reduce((sum, [, w]) => sum + w, 0);
  let x = uniform() * total;
  for (const [value, weight] of options) {
    x -= weight;
    if (x < 0) return value;
  }
  return options[options.length - 1]![0];
}

function normal(uniform: () => number): number {
  const u = Math.max(uniform(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

// Rough weights: where therapists practise, more in populous states.
const STATE_WEIGHTS: Weighted<StateCode> = [
  ["CA", 14], ["NY", 9], ["TX", 7], ["FL", 6], ["IL", 4], ["PA", 4], ["MA", 4], ["OR", 3], ["WA", 3.5], ["CO", 3],
  ["NJ", 3], ["NC", 3], ["GA", 3], ["OH", 3], ["MI", 3], ["VA", 2.5], ["MN", 2], ["AZ", 2], ["MD", 2], ["TN", 1.5],
  ["WI", 1.5], ["MO", 1.5], ["IN", 1.2], ["CT", 1.2], ["UT", 1], ["SC", 1], ["KY", 0.8], ["LA", 0.8], ["AL", 0.8],
  ["OK", 0.6], ["NM", 0.6], ["NV", 0.8], ["IA", 0.5], ["KS", 0.5], ["AR", 0.4], ["MS", 0.3], ["NE", 0.4], ["ID", 0.4],
  ["ME", 0.5], ["NH", 0.5], ["VT", 0.4], ["RI", 0.4], ["DE", 0.3], ["DC", 0.6], ["HI", 0.4], ["AK", 0.2], ["MT", 0.3],
  ["WY", 0.1], ["ND", 0.1], ["SD", 0.1], ["WV", 0.2],
];
const LICENSE_WEIGHTS: Weighted<License> = [
  ["lcsw", 30], ["lpc", 30], ["lmft", 15], ["psychologist", 14], ["associate", 6], ["pmhnp", 3], ["psychiatrist", 2],
];
const CHANNEL_WEIGHTS: Weighted<Channel> = [["platform", 48], ["direct", 28], ["group", 16], ["self_pay", 8]];
// platform → share it keeps of the payer amount (demo assumption, not a published fact)
const PLATFORMS: Weighted<readonly [string, number]> = [
  [["alma", 0.3], 18], [["headway", 0.25], 20], [["grow-therapy", 0.3], 14], [["rula", 0.35], 12],
  [["sondermind", 0.33], 10], [["talkspace", 0.5], 8], [["betterhelp", 0.55], 5], [["octave", 0.3], 4],
  [["spring-health", 0.4], 5], [["lyra-health", 0.35], 4],
];
// payer → multiple of Medicare it pays (demo assumption)
const PAYERS: Weighted<readonly [string, number]> = [
  [["optum-uhc", 0.95], 18], [["cigna", 1.05], 15], [["aetna", 1.02], 14], [["anthem", 0.98], 10],
  [["bcbs-other", 1.0], 12], [["humana", 0.92], 4], [["kaiser", 1.0], 3], [["magellan", 0.85], 3],
  [["carelon", 0.9], 4], [["oscar", 0.95], 2], [["medicare", 1.0], 6], [["medicaid", 0.65], 6], [["tricare", 0.9], 2],
  [["other", 0.95], 1],
];
const CPTS: Weighted<string> = [
  ["90837", 46], ["90834", 28], ["90791", 9], ["90832", 5], ["90847", 4], ["90846", 2], ["90853", 2], ["90785", 2],
  ["90839", 1], ["96127", 1],
];
const YEARS_LICENSED = [["0-2", 12], ["3-4", 15], ["5-9", 30], ["10-19", 28], ["20+", 15]] as const;

const LICENSE_PAY_FACTOR: Record<License, number> = {
  lcsw: 0.95, lpc: 0.93, lmft: 0.94, psychologist: 1.15, psychiatrist: 1.6, pmhnp: 1.3, associate: 0.75,
};

/** Generates the demo reports; the same seed always gives the same reports. */
export function generateDemoReports(medicareCents: ReadonlyMap<string, ReadonlyMap<number, number>>, count = DEMO_REPORT_COUNT, seed = DEMO_SEED): ReportSubmission[] {
  const uniform = seededUniform(seed);
  const out: ReportSubmission[] = [];
  for (let i = 0; i < count; i++) {
    const license = pick(uniform, LICENSE_WEIGHTS);
    const channel = pick(uniform, CHANNEL_WEIGHTS);
    const [platform, take] = channel === "platform" ? pick(uniform, PLATFORMS) : [null, 0];
    const lines = uniform() < 0.55 ? 1 : uniform() < 0.8 ? 2 : 3;
    const cpts = new Set<string>();
    while (cpts.size < lines) cpts.add(pick(uniform, CPTS));
    const modality = uniform() < 0.62 ? "telehealth" : "in_person";
    const rates = [...cpts].map((cpt) => {
      const year = uniform() < 0.55 ? 2025 : 2026;
      const medicare = (medicareCents.get(cpt)?.get(year) ?? medicareCents.get(cpt)?.get(2025) ?? 10000) / 100;
      const [payer, payerFactor] = channel === "self_pay" ? [null, 1] : pick(uniform, PAYERS);
      const allowedDollars = medicare * payerFactor * LICENSE_PAY_FACTOR[license] * (1 + 0.08 * normal(uniform));
      let paid: number;
      if (channel === "platform") paid = allowedDollars * (1 - take + 0.05 * normal(uniform));
      else if (channel === "group") paid = allowedDollars * (0.58 + 0.06 * normal(uniform));
      else if (channel === "self_pay") paid = medicare * (1.25 + 0.25 * normal(uniform)) * LICENSE_PAY_FACTOR[license];
      else paid = allowedDollars;
      paid = Math.max(medicare * 0.35, Math.round(paid * 100) / 100);
      const showsAllowed = channel === "platform" || channel === "group" ? uniform() < 0.45 : channel === "direct" && uniform() < 0.3;
      const allowed = showsAllowed && channel !== "direct" ? Math.max(Math.round(allowedDollars * 100) / 100, paid) : null;
      return {
        cpt,
        modality: uniform() < 0.85 ? modality : modality === "telehealth" ? "in_person" : "telehealth",
        payer,
        plan_type: payer === "medicare" ? "medicare" : payer === "medicaid" ? "medicaid" : payer === "tricare" ? "tricare" : "commercial",
        year,
        paid: Math.round(paid * 100) / 100,
        allowed: allowed === null ? null : allowed,
      } as const;
    });
    const onPlatform = channel === "platform";
    out.push({
      state: pick(uniform, STATE_WEIGHTS),
      license,
      years_licensed: pick(uniform, YEARS_LICENSED),
      channel,
      platform,
      employment: onPlatform ? (uniform() < 0.9 ? "1099" : "w2") : null,
      rates,
      platform_experience: onPlatform
        ? {
            told_of_fee_split: uniform() < 0.2,
            rate_cut_12m: uniform() < 0.3,
            can_export_records: uniform() < 0.55,
            monthly_fee: platform === "alma" ? 125 : null,
            percent_fee: null,
            non_compete: uniform() < 0.15,
            caseload_pressure: 1 + Math.floor(uniform() * 5),
            equity_offered: uniform() < 0.05,
          }
        : null,
    });
  }
  return out;
}

/** Issue 12: the share of demo reports marked verified, as if submitted with a Privacy Pass token. */
export const DEMO_VERIFIED_SHARE = 0.3;

/**
 * Which demo reports are verified, from a source of its own so that the reports themselves stay
 * exactly as before; the same seed always gives the same flags.
 */
export function demoVerifiedFlags(count = DEMO_REPORT_COUNT, seed = DEMO_SEED): boolean[] {
  const uniform = seededUniform(seed ^ 0x12);
  return Array.from({ length: count }, () => uniform() < DEMO_VERIFIED_SHARE);
}
