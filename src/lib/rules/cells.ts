// Computes every publishable cell from banded rates: one pass per CPT over rates grouped by report.
//
// The input carries each rate's pay as a band index only (BandedRates has no pay amount), so
// every pay figure below is, by construction, a function of band counts.
import { BAND_COUNT, bandLabel } from "./bands.ts";
import { cellKeyOf, type CellDimensions } from "./cell-key.ts";
import { TAIL_PERCENTILE_MIN_N, isPublishable, publishedN } from "./eligibility.ts";
import { cellAtIndex, cellIndexLayout, cellIndexer } from "./cell-index.ts";
import { exactRank, groupedPercentile, interpolateExact, shareInBand } from "./percentiles.ts";
import { roundHalfUp } from "./rounding.ts";
import { percentOfMedicare, takeFromMedians } from "./take.ts";

/** Index tables that give meaning to the small integers in BandedRates. */
export type Dimensions = {
  cpts: readonly string[];
  states: readonly string[];
  divisions: readonly string[];
  /** state index → division index */
  divisionOfState: readonly number[];
  licenses: readonly string[];
  licenseGroups: readonly string[];
  /** license index → license group index */
  groupOfLicense: readonly number[];
  channels: readonly string[];
  platforms: readonly string[];
  payers: readonly string[];
  /** distinct effective years present, ascending */
  years: readonly number[];
  /** Medicare national non-facility amount in cents: cpt → year → cents */
  medicareCents: ReadonlyMap<string, ReadonlyMap<number, number>>;
};

/** Column-oriented rates, in any order; `report` is a dense ordinal per report. There is no pay amount here. */
export type BandedRates = {
  length: number;
  report: Int32Array;
  cpt: Uint16Array;
  state: Uint8Array;
  license: Uint8Array;
  channel: Uint8Array;
  /** platform index, −1 when the rate is not paid through a platform */
  platform: Int16Array;
  /** payer index, −1 for self-pay */
  payer: Int16Array;
  /** 0 in person, 1 telehealth */
  modality: Uint8Array;
  /** index into Dimensions.years */
  yearIndex: Uint8Array;
  /** band index of the amount paid to the therapist */
  paidBand: Uint8Array;
  /** payer amount in cents for platform and group rates that carry one, else −1 */
  allowedCents: Int32Array;
  /** 1 when the rate's report was submitted with a Privacy Pass token (issue 12), else 0 */
  verified: Uint8Array;
};


/** The published figures of a cell: every one a function of band counts, or a payer-amount median. */
export type CellFigures = {
  n: number | null;
  nBand: string;
  p10: number | null;
  p25: number;
  p50: number;
  p75: number;
  p90: number | null;
  p25Band: string;
  p50Band: string;
  p75Band: string;
  p50ShareInBand: number;
  medicare: number | null;
  p50PctMedicare: number | null;
  allowedP50: number | null;
  takeP50: number | null;
  takeLow: number | null;
  takeHigh: number | null;
  /** Count band of the cell's verified reports; null below K, so one verified report is never seen arriving. */
  verifiedNBand: string | null;
};

/**
 * `verified: true` rows are computed from verified reports alone, under every rule; each such
 * row follows the row of the same dimensions computed from all reports.
 */
export type PublishedCell = { cellKey: string } & CellDimensions & { verified: boolean } & CellFigures;

export type SuppressionTally = {
  /** cells with 1 to K−1 reports: not published (rule "K reports") */
  kReports: number;
  /** published cells whose take and payer median were withheld: fewer than K reports carry both amounts */
  takeKReports: number;
  /** published cells whose p10 and p90 were withheld: fewer than 20 reports */
  tailPercentiles: number;
};

export type YearWindow = { label: string; firstYear: number; lastYear: number };

/** Single years and two consecutive years, e.g. 2025 and 2024-2025. */
export function yearWindows(years: readonly number[]): YearWindow[] {
  const windows: YearWindow[] = years.map((year) => ({ label: String(year), firstYear: year, lastYear: year }));
  for (let i = 1; i < years.length; i++) {
    const a = years[i - 1] as number;
    const b = years[i] as number;
    if (b === a + 1) windows.push({ label: `${a}-${b}`, firstYear: a, lastYear: b });
  }
  return windows;
}

const STRIDE = BAND_COUNT;
// Offsets in a cell's counter record: distinct reports (via the last report seen) and band counts
// of all its rates; the same of its rates that carry both amounts, plus how many; then both again
// over verified reports only (issue 12).
const R_LAST = 0;
const R_N = 1;
const R_BANDS = 2;
const R_TAKE_LAST = R_BANDS + STRIDE;
const R_TAKE_N = R_TAKE_LAST + 1;
const R_TAKE_M = R_TAKE_LAST + 2;
const R_TAKE_BANDS = R_TAKE_LAST + 3;
const R_V_LAST = R_TAKE_BANDS + STRIDE;
const R_V_N = R_V_LAST + 1;
const R_V_BANDS = R_V_LAST + 2;
const R_VTAKE_LAST = R_V_BANDS + STRIDE;
const R_VTAKE_N = R_VTAKE_LAST + 1;
const R_VTAKE_M = R_VTAKE_LAST + 2;
const R_VTAKE_BANDS = R_VTAKE_LAST + 3;
const REC = R_VTAKE_BANDS + STRIDE;

/**
 * Calls `emit` once per publishable cell, in a deterministic order (by CPT, then cell key
 * order), and returns how many cells each rule withheld.
 */
export function computeCells(
  rates: BandedRates,
  dims: Dimensions,
  k: number,
  emit: (cell: PublishedCell) => void,
  /** Which job (cellJobs) to do next, −1 when none is left; by default each in turn (lets threads share the work). */
  nextJob?: () => number,
): SuppressionTally {
  isPublishable(0, k); // validates K
  const tally: SuppressionTally = { kReports: 0, takeKReports: 0, tailPercentiles: 0 };
  const windows = yearWindows(dims.years);
  // window indexes containing each year index
  const windowsOfYear = dims.years.map((year) =>
    windows.flatMap((w, wi) => (year >= w.firstYear && year <= w.lastYear ? [wi] : [])),
  );

  const layout = cellIndexLayout(dims, windows.length);
  const { S, size: denseSize } = layout;

  // Two stable counting sorts: by report, then by (CPT, state, license, channel/platform). A
  // report's rates share all but the CPT, so each report's rates of a CPT end up contiguous,
  // which the distinct-report counting below relies on; and consecutive rates then share most
  // of their cells, which keeps the counters they touch close together in memory.
  const byReport = countingSort(rates.length, (i) => rates.report[i]!, reportCount(rates), null);
  const L = dims.licenses.length;
  const CPF = dims.channels.length + dims.platforms.length;
  const groupsPerCpt = S * L * CPF;
  const groupOf = (i: number) => {
    const platform = rates.platform[i]!;
    const cpf = platform >= 0 ? dims.channels.length + platform : rates.channel[i]!;
    return ((rates.cpt[i]! * S + rates.state[i]!) * L + rates.license[i]!) * CPF + cpf;
  };
  const groupCount = dims.cpts.length * groupsPerCpt;
  const groupStart = new Int32Array(groupCount + 1);
  const byCpt = countingSort(rates.length, groupOf, groupCount, byReport, groupStart);
  const cptStart = Int32Array.from({ length: dims.cpts.length + 1 }, (_, c) => groupStart[c * groupsPerCpt]!);
  const jobs = jobsOf(Array.from({ length: dims.cpts.length }, (_, c) => cptStart[c + 1]! - cptStart[c]!), rates.length);
  const next = nextJob ?? inTurn(jobs.length / 3);
  // Where each geographic level's cells begin in the cell index (geography is its first coordinate).
  const perGeo = denseSize / layout.G;
  const levelStart = [0, S * perGeo, (S + layout.D) * perGeo, denseSize];

  const cellOfDense = new Int32Array(denseSize).fill(-1);
  let capacity = 1024;
  let dense = new Int32Array(capacity);
  // Each cell's counters side by side in one record (R_* offsets), so that counting one rate into
  // a cell touches one or two cache lines rather than one per counter. A zero record is a new
  // cell: the "last report" slots hold report ordinal + 1.
  let counters = new Int32Array(capacity * REC);
  let cellCount: number;

  const grow = () => {
    // Four times, to copy records that reach hundreds of MB less often; never past one per index.
    const next = Math.max(capacity + 1, Math.min(capacity * 4, denseSize));
    const widen = (a: Int32Array, factor: number) => {
      const b = new Int32Array(next * factor);
      b.set(a);
      return b;
    };
    dense = widen(dense, 1);
    counters = widen(counters, REC);
    capacity = next;
  };

  const { scratch, cellsOf, finestCellsOf } = cellIndexer(layout, dims, rates, windowsOfYear);
  const newCell = (d: number): number => {
    if (cellCount === capacity) grow();
    const cell = cellCount++;
    cellOfDense[d] = cell;
    dense[cell] = d;
    counters.fill(0, cell * REC, cell * REC + REC);
    return cell;
  };
  // Adds one cell's counts into the cell of index d (the "last report" slots are not read again).
  const addInto = (d: number, from: number): void => {
    let cell = cellOfDense[d] as number;
    if (cell < 0) cell = newCell(d);
    const a = cell * REC;
    const b = from * REC;
    for (let x = 0; x < R_TAKE_LAST; x++) counters[a + x]! += counters[b + x]!;
    if (counters[b + R_TAKE_M] !== 0) for (let x = R_TAKE_LAST; x < R_V_LAST; x++) counters[a + x]! += counters[b + x]!;
    if (counters[b + R_V_N] !== 0) for (let x = R_V_LAST; x < REC; x++) counters[a + x]! += counters[b + x]!;
  };
  const { CP, PY, LC, MC, W, LG } = layout;
  const lcStride = MC * W;
  const cpStride = LC * lcStride * PY;
  const channelCount = dims.channels.length;

  for (let job = next(); job >= 0; job = next()) {
    const c = jobs[3 * job] as number;
    const firstLevel = jobs[3 * job + 1] as number;
    const endLevel = jobs[3 * job + 2] as number;
    const from = cptStart[c] as number;
    const to = cptStart[c + 1] as number;
    if (from === to) continue;
    cellCount = 0;
    const allowedRates: number[] = [];

    for (let j = from; j < to; j++) {
      const i = byCpt[j] as number;
      const tag = (rates.report[i] as number) + 1;
      const paidBand = rates.paidBand[i] as number;
      if (paidBand >= BAND_COUNT) throw new RangeError("paid band out of range");
      const carriesBoth = (rates.allowedCents[i] as number) >= 0;
      const verified = rates.verified[i] === 1;
      if (carriesBoth) allowedRates.push(i);
      const count = finestCellsOf(i, firstLevel, endLevel);
      for (let x = 0; x < count; x++) {
        const d = scratch[x] as number;
        let cell = cellOfDense[d] as number;
        if (cell < 0) cell = newCell(d);
        const r = cell * REC;
        if (counters[r + R_LAST] !== tag) {
          counters[r + R_LAST] = tag;
          counters[r + R_N]! += 1;
        }
        counters[r + R_BANDS + paidBand]! += 1;
        if (carriesBoth) {
          if (counters[r + R_TAKE_LAST] !== tag) {
            counters[r + R_TAKE_LAST] = tag;
            counters[r + R_TAKE_N]! += 1;
          }
          counters[r + R_TAKE_BANDS + paidBand]! += 1;
          counters[r + R_TAKE_M]! += 1;
        }
        if (verified) {
          if (counters[r + R_V_LAST] !== tag) {
            counters[r + R_V_LAST] = tag;
            counters[r + R_V_N]! += 1;
          }
          counters[r + R_V_BANDS + paidBand]! += 1;
          if (carriesBoth) {
            if (counters[r + R_VTAKE_LAST] !== tag) {
              counters[r + R_VTAKE_LAST] = tag;
              counters[r + R_VTAKE_N]! += 1;
            }
            counters[r + R_VTAKE_BANDS + paidBand]! += 1;
            counters[r + R_VTAKE_M]! += 1;
          }
        }
      }
    }

    // Every counter is a sum over disjoint sets of reports along report-level dimensions (a report
    // has one license and one channel), so each rate was counted at its license and its channel
    // (and platform) only, and licenses now add up into their group and all licenses, then
    // channels into all channels: the same counts as counting each rate into every cell, from
    // far fewer updates.
    for (let cell = 0, end = cellCount; cell < end; cell++) {
      const d = dense[cell] as number;
      const lc = Math.floor(d / lcStride) % LC;
      const base = d - lc * lcStride;
      addInto(base + (1 + (dims.groupOfLicense[lc - 1 - LG] as number)) * lcStride, cell);
      addInto(base, cell);
    }
    for (let cell = 0, end = cellCount; cell < end; cell++) {
      const d = dense[cell] as number;
      const cp = Math.floor(d / cpStride) % CP;
      if (cp >= 1 && cp <= channelCount) addInto(d - cp * cpStride, cell);
    }

    // Exact median of payer amounts: walk the cell's amounts in ascending order once.
    const lowerRank = new Int32Array(cellCount);
    const upperRank = new Int32Array(cellCount);
    const seen = new Int32Array(cellCount);
    const lowerValue = new Float64Array(cellCount);
    const upperValue = new Float64Array(cellCount);
    const vLowerRank = new Int32Array(cellCount);
    const vUpperRank = new Int32Array(cellCount);
    const vSeen = new Int32Array(cellCount);
    const vLowerValue = new Float64Array(cellCount);
    const vUpperValue = new Float64Array(cellCount);
    for (let cell = 0; cell < cellCount; cell++) {
      const r = cell * REC;
      const m = counters[r + R_TAKE_M] as number;
      if (m === 0 || !isPublishable(counters[r + R_TAKE_N] as number, k) || !isPublishable(counters[r + R_N] as number, k)) continue;
      const rank = exactRank(m, 0.5);
      lowerRank[cell] = rank.lower;
      upperRank[cell] = rank.upper;
      const vm = counters[r + R_VTAKE_M] as number;
      if (vm === 0 || !isPublishable(counters[r + R_VTAKE_N] as number, k) || !isPublishable(counters[r + R_V_N] as number, k)) continue;
      const vRank = exactRank(vm, 0.5);
      vLowerRank[cell] = vRank.lower;
      vUpperRank[cell] = vRank.upper;
    }
    allowedRates.sort((a, b) => (rates.allowedCents[a] as number) - (rates.allowedCents[b] as number));
    for (const i of allowedRates) {
      const value = rates.allowedCents[i] as number;
      const verified = rates.verified[i] === 1;
      const count = cellsOf(i, firstLevel, endLevel);
      for (let x = 0; x < count; x++) {
        const cell = cellOfDense[scratch[x] as number] as number;
        if (lowerRank[cell] === 0) continue;
        const rank = (seen[cell] = (seen[cell] as number) + 1);
        if (rank === lowerRank[cell]) lowerValue[cell] = value;
        if (rank === upperRank[cell]) upperValue[cell] = value;
        if (!verified || vLowerRank[cell] === 0) continue;
        const vRank = (vSeen[cell] = (vSeen[cell] as number) + 1);
        if (vRank === vLowerRank[cell]) vLowerValue[cell] = value;
        if (vRank === vUpperRank[cell]) vUpperValue[cell] = value;
      }
    }

    // The cells in cell index order: the indexes themselves sorted (natively), or, when the cells
    // are many, a scan of the whole index, cheaper than any sort.
    const denseFrom = levelStart[firstLevel] as number;
    const denseTo = levelStart[endLevel] as number;
    const indexes = cellCount * 32 < denseTo - denseFrom ? dense.slice(0, cellCount).sort() : null;
    const cpt = dims.cpts[c] as string;
    const medicareByYear = dims.medicareCents.get(cpt);
    for (let at = indexes ? 0 : denseFrom, end = indexes ? cellCount : denseTo; at < end; at++) {
      const d = indexes ? (indexes[at] as number) : at;
      const cell = cellOfDense[d] as number;
      if (cell < 0) continue;
      cellOfDense[d] = -1;
      const r = cell * REC;
      const n = counters[r + R_N] as number;
      if (!isPublishable(n, k)) {
        tally.kReports++;
        continue;
      }
      const tails = n >= TAIL_PERCENTILE_MIN_N;
      if (!tails) tally.tailPercentiles++;

      const { geoLevel, geo, channel, platform, payer, licenseLevel, license, modality, window } = cellAtIndex(layout, dims, windows, d);

      const medicareCents = medicareByYear?.get(window.lastYear);
      const medicare = medicareCents === undefined ? null : medicareCents / 100;

      if (lowerRank[cell] === 0 && (counters[r + R_TAKE_N] as number) > 0) tally.takeKReports++;
      const dimensions: CellDimensions = { cpt, geoLevel, geo, channel, platform, payer, licenseLevel, license, modality, yearWindow: window.label };
      const vn = counters[r + R_V_N] as number;
      const verifiedNBand = isPublishable(vn, k) ? publishedN(vn, k).nBand : null;
      emit(publishedCell(
        dimensions, false, n, counters.subarray(r + R_BANDS, r + R_BANDS + STRIDE), counters.subarray(r + R_TAKE_BANDS, r + R_TAKE_BANDS + STRIDE),
        lowerRank[cell] === 0 ? null : interpolateExact(exactRank(counters[r + R_TAKE_M] as number, 0.5), lowerValue[cell]!, upperValue[cell]!),
        medicare, k, verifiedNBand,
      ));
      if (verifiedNBand !== null) {
        emit(publishedCell(
          dimensions, true, vn, counters.subarray(r + R_V_BANDS, r + R_V_BANDS + STRIDE), counters.subarray(r + R_VTAKE_BANDS, r + R_VTAKE_BANDS + STRIDE),
          vLowerRank[cell] === 0 ? null : interpolateExact(exactRank(counters[r + R_VTAKE_M] as number, 0.5), vLowerValue[cell]!, vUpperValue[cell]!),
          medicare, k, verifiedNBand,
        ));
      }
    }
  }
  return tally;
}

/**
 * One publishable cell from its band counts (all values, and those that carry both amounts) and
 * the exact median of its payer amounts in cents (null when fewer than K reports carry one). The
 * same function makes rows from all reports and rows from verified reports; one object literal
 * with a fixed key order keeps every emitted cell the same shape.
 */
function publishedCell(
  d: CellDimensions, verified: boolean, n: number, counts: Int32Array, takeCounts: Int32Array,
  allowedMedianCents: number | null, medicare: number | null, k: number, verifiedNBand: string | null,
): PublishedCell {
  const p25 = groupedPercentile(counts, 0.25);
  const p50 = groupedPercentile(counts, 0.5);
  const p75 = groupedPercentile(counts, 0.75);
  const tails = n >= TAIL_PERCENTILE_MIN_N;
  let allowedP50: number | null = null;
  let take: ReturnType<typeof takeFromMedians> | null = null;
  if (allowedMedianCents !== null) {
    allowedP50 = roundHalfUp(allowedMedianCents / 100);
    if (allowedP50 > 0) {
      const takeMedian = groupedPercentile(takeCounts, 0.5);
      take = takeFromMedians(takeMedian.value, takeMedian.bandIndex, allowedP50);
    }
  }
  const published = publishedN(n, k);
  return {
    cellKey: cellKeyOf(verified ? { ...d, verified } : d),
    cpt: d.cpt, geoLevel: d.geoLevel, geo: d.geo, channel: d.channel, platform: d.platform, payer: d.payer,
    licenseLevel: d.licenseLevel, license: d.license, modality: d.modality, yearWindow: d.yearWindow,
    verified,
    n: published.n,
    nBand: published.nBand,
    p10: tails ? groupedPercentile(counts, 0.1).value : null,
    p25: p25.value,
    p50: p50.value,
    p75: p75.value,
    p90: tails ? groupedPercentile(counts, 0.9).value : null,
    p25Band: bandLabel(p25.bandIndex),
    p50Band: bandLabel(p50.bandIndex),
    p75Band: bandLabel(p75.bandIndex),
    p50ShareInBand: shareInBand(counts, p50.bandIndex),
    medicare,
    p50PctMedicare: medicare === null ? null : percentOfMedicare(p50.value, medicare),
    allowedP50,
    takeP50: take?.takeP50 ?? null,
    takeLow: take?.takeLow ?? null,
    takeHigh: take?.takeHigh ?? null,
    verifiedNBand,
  };
}

/** A CPT with at least this share of all rates is three jobs, one per geographic level, so that two threads can share it. */
const SPLIT_SHARE = 1 / 8;

/** computeCells' jobs in file order as (CPT index, first level, end level) triples, from each CPT's number of rates. */
function jobsOf(ratesPerCpt: readonly number[], total: number): Int32Array {
  const jobs: number[] = [];
  ratesPerCpt.forEach((n, c) => {
    if (n > 0 && n >= total * SPLIT_SHARE) jobs.push(c, 0, 1, c, 1, 2, c, 2, 3);
    else jobs.push(c, 0, 3);
  });
  return Int32Array.from(jobs);
}

/** How many jobs computeCells splits these rates into: what its `nextJob` counts over. */
export function cellJobCount(rates: BandedRates, dims: Dimensions): number {
  const perCpt = new Array<number>(dims.cpts.length).fill(0);
  for (let i = 0; i < rates.length; i++) perCpt[rates.cpt[i]!]! += 1;
  return jobsOf(perCpt, rates.length).length / 3;
}

function inTurn(count: number): () => number {
  let next = 0;
  return () => (next < count ? next++ : -1);
}

function reportCount(rates: BandedRates): number {
  let max = -1;
  for (let i = 0; i < rates.length; i++) if (rates.report[i]! > max) max = rates.report[i]!;
  return max + 1;
}

/**
 * Indexes 0…length−1 (or `order`, when given) stably sorted by key(i) ∈ [0, keys). When `starts`
 * is given (length keys + 1), it receives where each key's run begins.
 */
function countingSort(
  length: number, key: (i: number) => number, keys: number, order: Int32Array | null,
  starts: Int32Array = new Int32Array(keys + 1),
): Int32Array {
  for (let i = 0; i < length; i++) starts[key(i) + 1]! += 1;
  for (let k = 0; k < keys; k++) starts[k + 1]! += starts[k]!;
  const cursor = starts.slice(0, keys);
  const sorted = new Int32Array(length);
  for (let j = 0; j < length; j++) {
    const i = order === null ? j : order[j]!;
    const k = key(i);
    sorted[cursor[k]!] = i;
    cursor[k]! += 1;
  }
  return sorted;
}
