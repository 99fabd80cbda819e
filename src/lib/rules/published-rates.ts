// Insurer-published (Transparency in Coverage) rates as a snapshot publishes them, and rule
// "Take from medians" on its second basis: the published rate instead of the crowd's allowed_p50.
// Pure: the snapshot builder and the read side both call these.
import { BAND_EDGES } from "./bands.ts";
import { roundHalfUp } from "./rounding.ts";
import { takeFromMedians } from "./take.ts";

/** One published payer-rate row: file × TIN × state × CPT × modifiers × place of service × negotiated type. */
export type PublishedPayerRate = {
  payer: string;
  platform: string;
  tin: string;
  /** The state of the platform's state entity (platform_tins.state); null: contracted nationally. */
  state: string | null;
  cpt: string;
  modifiers: string[];
  placeOfService: string[];
  negotiatedType: string;
  /** Dollars to the cent, as published; with several networks at different prices, their median. */
  negotiatedRate: number;
  rateLow: number;
  rateHigh: number;
  networks: string[];
  expirationDate: string;
  reportingEntity: string;
  lastUpdatedOn: string;
  sourceFile: string;
  sourceSha256: string;
};

/** One imported price with the platform its TIN maps to, before networks are merged. */
export type ImportedRate = Omit<PublishedPayerRate, "negotiatedRate" | "rateLow" | "rateHigh"> & { fileId: number; rateCents: number };

export type RateModality = "telehealth" | "in_person" | "both";

/** Places of service 02 and 10 are telehealth. */
const TELEHEALTH_PLACES = new Set(["02", "10"]);

/** Telehealth when every service code is 02 or 10, in person when none is, otherwise (or with none listed) both. */
export function modalityOfPlaces(placeOfService: readonly string[]): RateModality {
  if (placeOfService.length === 0) return "both";
  const telehealth = placeOfService.filter((code) => TELEHEALTH_PLACES.has(code)).length;
  if (telehealth === placeOfService.length) return "telehealth";
  if (telehealth === 0) return "in_person";
  return "both";
}

const list = (values: readonly string[]) => values.join(";");

/**
 * Merges the imported prices of one row (several networks of the same file, TIN, state, code,
 * modifiers, places and type) into one published row: the median of the prices to the cent (the
 * middle price, or the mean of the two middle ones, rounded half up: a reader checking three
 * published prices finds the middle one), with the lowest and highest price and every network. Rows come out in a fixed order, so the snapshot file is reproducible.
 */
export function mergeNetworkPrices(imported: readonly ImportedRate[]): PublishedPayerRate[] {
  const groups = new Map<string, ImportedRate[]>();
  for (const rate of imported) {
    const key = [rate.fileId, rate.tin, rate.state ?? "", rate.cpt, list(rate.modifiers), list(rate.placeOfService), rate.negotiatedType].join("|");
    const group = groups.get(key);
    if (group) group.push(rate);
    else groups.set(key, [rate]);
  }
  const rows: PublishedPayerRate[] = [];
  for (const group of groups.values()) {
    const prices = group.map((rate) => rate.rateCents).sort((a, b) => a - b);
    const { fileId: _fileId, rateCents: _rateCents, ...first } = group[0]!;
    rows.push({
      ...first,
      networks: [...new Set(group.flatMap((rate) => rate.networks))].sort(),
      negotiatedRate: medianCents(prices) / 100,
      rateLow: prices[0]! / 100,
      rateHigh: prices[prices.length - 1]! / 100,
    });
  }
  return rows.sort(comparePublished);
}

function medianCents(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : roundHalfUp((sorted[middle - 1]! + sorted[middle]!) / 2);
}

function comparePublished(a: PublishedPayerRate, b: PublishedPayerRate): number {
  const keys = (r: PublishedPayerRate) => [r.payer, r.platform, r.cpt, r.state ?? "", r.tin, list(r.modifiers), list(r.placeOfService), r.negotiatedType, r.sourceFile, r.lastUpdatedOn];
  const x = keys(a);
  const y = keys(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

/** What a published cell needs for the second basis: its dimensions and its banded median. */
export type CellForPublishedTake = {
  cpt: string;
  geoLevel: string;
  geo: string;
  platform: string | null;
  payer: string | null;
  modality: string;
  yearWindow: string;
  p50: number;
  p50Band: string;
};

export type PublishedTake = {
  publishedRate: number | null;
  takePublishedP50: number | null;
  takePublishedLow: number | null;
  takePublishedHigh: number | null;
};

export const NO_PUBLISHED_TAKE: PublishedTake = { publishedRate: null, takePublishedP50: null, takePublishedLow: null, takePublishedHigh: null };

function yearsOf(window: string): [number, number] {
  const [first, last] = window.split("-").map(Number);
  return [first!, last ?? first!];
}

/**
 * The published rate a cell is compared with: same payer, platform and CPT; a rate of the
 * cell's state or one with no state (state cells), a rate with no state (division and national
 * cells); the cell's modality or both (a cell over both modalities takes only rates for both);
 * from a file updated within the cell's year window. Among several, the most specific wins:
 * the state's own rate, then the exact modality, then no modifiers, then a negotiated (not fee
 * schedule) rate, then the newest file, then the lowest TIN and source name, so the choice never
 * depends on anything but published rows.
 */
export function matchingPublishedRate(cell: CellForPublishedTake, rates: readonly PublishedPayerRate[]): PublishedPayerRate | null {
  if (cell.platform === null || cell.payer === null) return null;
  const [firstYear, lastYear] = yearsOf(cell.yearWindow);
  const state = cell.geoLevel === "state" ? cell.geo : null;
  let best: PublishedPayerRate | null = null;
  let bestScore: (number | string)[] = [];
  for (const rate of rates) {
    if (rate.payer !== cell.payer || rate.platform !== cell.platform || rate.cpt !== cell.cpt) continue;
    if (rate.state !== null && rate.state !== state) continue;
    const modality = modalityOfPlaces(rate.placeOfService);
    if (modality !== "both" && modality !== cell.modality) continue;
    const year = Number(rate.lastUpdatedOn.slice(0, 4));
    if (!(year >= firstYear && year <= lastYear)) continue;
    const score = [
      rate.state === null ? 1 : 0,
      modality === cell.modality ? 0 : 1,
      rate.modifiers.length === 0 ? 0 : 1,
      rate.negotiatedType === "negotiated" ? 0 : 1,
      -Number(rate.lastUpdatedOn.replaceAll("-", "")),
      rate.tin,
      rate.sourceFile,
    ];
    if (best === null || lessThan(score, bestScore)) {
      best = rate;
      bestScore = score;
    }
  }
  return best;
}

function lessThan(a: (number | string)[], b: (number | string)[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/** "90-120" → the index of that band. */
function bandIndexOfLabel(label: string): number {
  const lo = Number(label.split("-")[0]);
  const index = BAND_EDGES.indexOf(lo as (typeof BAND_EDGES)[number]);
  if (index < 0) throw new RangeError(`no band ${label}`);
  return index;
}

/**
 * Rule "Take from medians", published basis: 1 − p50(paid) / published rate, with the range from
 * the edges of the paid median's band, exactly as the crowd basis. A function of the cell's
 * published p50, its band and an insurer's published rate only — never of one report's pay.
 * Null on demo snapshots (demo pay compared with real insurer rates would mean nothing) and for
 * cells that do not name one platform and one payer.
 */
export function takeFromPublishedRate(cell: CellForPublishedTake, rates: readonly PublishedPayerRate[], isDemo: boolean): PublishedTake {
  if (isDemo) return NO_PUBLISHED_TAKE;
  const rate = matchingPublishedRate(cell, rates);
  if (rate === null) return NO_PUBLISHED_TAKE;
  const take = takeFromMedians(cell.p50, bandIndexOfLabel(cell.p50Band), rate.negotiatedRate);
  return { publishedRate: rate.negotiatedRate, takePublishedP50: take.takeP50, takePublishedLow: take.takeLow, takePublishedHigh: take.takeHigh };
}
