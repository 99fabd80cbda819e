// The attacker's toolkit for the adversarial tests (rule "Tested"): the full publication pipeline
// from submitted exact reports (hold check → snapshot selection → banded loader → computeCells),
// a naive pipeline publishing percentiles of exact amounts (the positive control, which these
// attacks must defeat), and the sweep that collects every target amount consistent with what
// was published.
import { band, bandIndexOfCents, BAND_EDGES } from "../../src/lib/rules/bands.ts";
import { exactPercentile } from "../../src/lib/rules/percentiles.ts";
import { holdReasons, medicareForYear } from "../../src/lib/rules/plausibility.ts";
import { roundHalfUp } from "../../src/lib/rules/rounding.ts";
import { snapshotSource } from "../../src/lib/rules/sources.ts";
import { REFERENCE, publishedBytes, type ExactReport, type Reference } from "../factories.ts";
import { modelCells } from "../unit/rules/cell-model.ts";

export type Pipeline = (reports: readonly ExactReport[]) => string;

/** Review status at submission: pending when any rate is implausible (rule "Hold implausible reports"). */
export function reviewStatusOf(report: ExactReport, reference: Reference = REFERENCE): "accepted" | "pending" {
  const held = report.rates.some(
    (x) => holdReasons(x, medicareForYear(reference.medicareCents.get(x.cpt), x.year)).length > 0,
  );
  return held ? "pending" : "accepted";
}

/** Only accepted crowd reports reach a snapshot (rules "Hold implausible reports" and "Demo and real"). */
function snapshotReports(reports: readonly ExactReport[], reference: Reference): ExactReport[] {
  const submitted = reports.map((r) => ({ r, reviewStatus: reviewStatusOf(r, reference), source: "crowd" as const }));
  const source = snapshotSource(submitted.filter((s) => s.reviewStatus === "accepted").length);
  return submitted.filter((s) => s.reviewStatus === "accepted" && s.source === source).map((s) => s.r);
}

/** Everything Ratecard publishes from these submissions: every cell and the tally, as bytes. */
export function ratecard(k: number, reference: Reference = REFERENCE): Pipeline {
  return (reports) => publishedBytes(snapshotReports(reports, reference), k, reference);
}

/**
 * A naive implementation with all the usual threshold rules (K distinct reports, percentiles only,
 * whole dollars) but computed from exact amounts, and with the payer median taken over every
 * rate that has a payer amount, direct ones included. The attacks below must work against it.
 */
export function naiveMedianFromExact(k: number, reference: Reference = REFERENCE): Pipeline {
  return (reports) => {
    const accepted = snapshotReports(reports, reference);
    const out: Array<[string, unknown]> = [];
    for (const cell of [...modelCells(accepted, reference).values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
      if (cell.reports.size < k) continue;
      const paid = cell.lines.map((l) => l.rate.paidCents).sort((a, b) => a - b);
      const allowed = cell.lines.flatMap((l) => (l.rate.allowedCents === null ? [] : [l.rate.allowedCents])).sort((a, b) => a - b);
      const dollars = (q: number, values: number[]) => roundHalfUp(exactPercentile(values, q) / 100);
      out.push([cell.key, {
        n: cell.reports.size < 10 ? `${k}-9` : cell.reports.size,
        p25: dollars(0.25, paid), p50: dollars(0.5, paid), p75: dollars(0.75, paid),
        allowedP50: allowed.length >= k ? dollars(0.5, allowed) : null,
      }]);
    }
    return JSON.stringify(out);
  };
}

/** A naive hold check on exact amounts: pay below 20% or above 400% of Medicare, or above the payer amount. */
export function naiveExactHolds(k: number, reference: Reference = REFERENCE): Pipeline {
  return (reports) => {
    const accepted = reports.filter((r) => r.rates.every((x) => {
      const m = medicareForYear(reference.medicareCents.get(x.cpt), x.year);
      if (x.paidCents >= 276_000) return false;
      if (m !== undefined && (x.paidCents < 0.2 * m || x.paidCents > 4 * m)) return false;
      return x.allowedCents === null || x.allowedCents >= x.paidCents;
    }));
    return publishedBytes(accepted, k, reference);
  };
}

/** The attacker's view: outputs before the target's report, after it is added, after it is deleted, and in a later snapshot. */
export type Attack = {
  /** every other report of the target's cells, planted or known by the attacker */
  planted: ExactReport[];
  /** the planted reports in the next snapshot: one of them changed */
  plantedNext: ExactReport[];
  /** the target's report with its secret amount set to `amount` (cents) */
  target: (amount: number) => ExactReport;
};

/**
 * Everything the attacker sees, as one string, for a given secret amount: the snapshot before the
 * target's report, after it is added, after it is deleted again (the same planted reports, so
 * computed once), and the next snapshot in which one planted report changed.
 */
export function observe(attack: Attack, pipeline: Pipeline): (amount: number) => string {
  const before = pipeline(attack.planted);
  const deleted = pipeline(attack.planted);
  if (deleted !== before) throw new Error("deleting the target must restore the earlier output byte for byte");
  return (amount) => {
    const added = pipeline([...attack.planted, attack.target(amount)]);
    const next = pipeline([...attack.plantedNext, attack.target(amount)]);
    return [before, added, deleted, next].join("\n"); // published JSON never holds a raw newline
  };
}

/** Every 7 cents of a band, plus its lower edge, its last cent and any extra amounts inside it (e.g. the truth). */
export function bandSweep(bandIndex: number, extra: readonly number[] = [], step = 7): number[] {
  const { lo, hi } = band(bandIndex);
  const out = new Set<number>();
  for (let c = lo * 100; c < hi * 100; c += step) out.add(c);
  out.add(hi * 100 - 1);
  for (const c of extra) if (c >= lo * 100 && c < hi * 100) out.add(c);
  return [...out].sort((a, b) => a - b);
}

/** A coarse sweep of all pay from $0 to $2,759.99 that includes both sides of every band edge. */
export function wideSweep(step = 307): number[] {
  const out = new Set<number>();
  for (let c = 0; c < 276_000; c += step) out.add(c);
  for (const edge of BAND_EDGES) {
    if (edge > 0) out.add(edge * 100 - 1);
    if (edge < 2760) out.add(edge * 100);
  }
  return [...out].sort((a, b) => a - b);
}

/** The amounts among `candidates` the attacker cannot tell apart from the truth. */
export function consistentAmounts(view: (amount: number) => string, truth: number, candidates: readonly number[]): number[] {
  const seen = view(truth);
  return candidates.filter((c) => view(c) === seen);
}

/** Bands (by index) that hold some but not all of the consistent amounts among `candidates`. */
export function splitBands(consistent: readonly number[], candidates: readonly number[]): number[] {
  const ok = new Set(consistent);
  const state = new Map<number, Set<boolean>>();
  for (const c of candidates) {
    const i = bandIndexOfCents(c);
    if (!state.has(i)) state.set(i, new Set());
    state.get(i)?.add(ok.has(c));
  }
  return [...state].filter(([, s]) => s.size > 1).map(([i]) => i);
}
