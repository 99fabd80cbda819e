// What pages show of insurer-published rates: the rates of a platform or payer with their source,
// beside what therapists on that platform report for that payer and the take on both bases; the
// rate each payer's file gives a platform for a /compare choice; the rate behind a /check-offer offer.
import type { Db } from "../server/db.ts";
import { NATIONAL } from "../rules/ladders.ts";
import { matchingPublishedRate, modalityOfPlaces, type CellForPublishedTake, type PublishedPayerRate } from "../rules/published-rates.ts";
import { roundHalfUp } from "../rules/rounding.ts";
import { formatDate, formatExactDollars, formatPercent } from "../shared/format.ts";
import { displayCell, formatTake } from "./cell-display.ts";
import { publishedYearWindows } from "./compare.ts";
import { findPayerRates, publishedTakeOf, type PayerRateFilter } from "./payer-rates.ts";
import { findCells, type Snapshot } from "./published.ts";
import type { ReferenceContext } from "./reference-context.ts";
import type { ComparisonRow } from "./comparison-rows.ts";
import type { Place } from "./published-lookup.ts";

const MODALITY_WORDS = { telehealth: "Telehealth", in_person: "In person", both: "In person and telehealth" } as const;

export type PublishedRateLine = {
  payer: string;
  payerName: string;
  platform: string;
  platformName: string;
  cpt: string;
  /** "Oregon", or "Any state" for a TIN that contracts with no state named. */
  where: string;
  sessions: string;
  /** "$151.74" exactly as the file publishes it. */
  rate: string;
  /** "$140.50–$160.00 across 3 networks" when the networks' prices differ. */
  networkRange: string | null;
  negotiatedType: string;
  modifiers: string;
  sourceFile: string;
  updated: string;
  /** What therapists on the platform report for this payer, code, place and session type (median), or why nothing. */
  reported: string;
  /** False when `reported` says why nothing is published (shown as text, not as a figure). */
  reportedIsFigure: boolean;
  /** Rule "Take from medians", crowd basis (reports' own payer amounts) and published basis (this file). */
  crowdTake: string | null;
  publishedTake: string | null;
};

/** The year window of a code that holds the file's year, newest first: the cell the rate is compared with. */
function windowFor(db: Db, snapshot: Snapshot, cpt: string, lastUpdatedOn: string): string | undefined {
  const year = Number(lastUpdatedOn.slice(0, 4));
  return publishedYearWindows(db, snapshot, cpt).find((window) => {
    const [first, last] = window.split("-").map(Number);
    return year >= first! && year <= (last ?? first!);
  });
}

/** Every published rate of a platform or a payer, with what therapists report beside it. */
export function publishedRateLines(db: Db, snapshot: Snapshot, ctx: ReferenceContext, filter: PayerRateFilter): PublishedRateLine[] {
  const takeOf = publishedTakeOf(db, snapshot);
  return findPayerRates(db, snapshot.id, filter).map((rate) => {
    const modality = modalityOfPlaces(rate.placeOfService);
    const window = windowFor(db, snapshot, rate.cpt, rate.lastUpdatedOn);
    const [cell] = window === undefined ? [] : findCells(db, snapshot.id, {
      cpt: rate.cpt, geoLevel: rate.state ? "state" : "national", geo: rate.state ?? NATIONAL, channel: "platform", platform: rate.platform,
      payer: rate.payer, licenseLevel: "all", license: null, modality: modality === "both" ? "all" : modality, yearWindow: window,
    }, { limit: 1 });
    const published = cell ? takeOf(cell) : null;
    const place = rate.state ? ctx.stateName(rate.state) : "the nation";
    return {
      payer: rate.payer,
      payerName: ctx.payerName(rate.payer),
      platform: rate.platform,
      platformName: ctx.platformName(rate.platform),
      cpt: rate.cpt,
      where: rate.state ? ctx.stateName(rate.state) : "Any state",
      sessions: MODALITY_WORDS[modality],
      rate: formatExactDollars(rate.negotiatedRate),
      networkRange: rate.rateLow === rate.rateHigh ? null : `${formatExactDollars(rate.rateLow)}–${formatExactDollars(rate.rateHigh)} across ${rate.networks.length} networks`,
      negotiatedType: rate.negotiatedType,
      modifiers: rate.modifiers.length === 0 ? "—" : rate.modifiers.join(", "),
      sourceFile: rate.sourceFile,
      updated: formatDate(rate.lastUpdatedOn),
      reported: cell ? displayCell(cell).median : `Not published: fewer than ${snapshot.k} reports in ${place}${window ? "" : " for the file's year"}`,
      reportedIsFigure: cell !== undefined,
      crowdTake: cell ? formatTake(cell) : null,
      publishedTake: published ? formatTake({ takeP50: published.takePublishedP50, takeLow: published.takePublishedLow, takeHigh: published.takePublishedHigh }) : null,
    };
  });
}

export type PlaceForRates = { cpt: string; geoLevel: string; geo: string; modality: string; yearWindow: string };

/** For one place: what each payer's file says it pays the platform, "Cigna $151.74 · UnitedHealthcare $142.80", or null. */
export function filePaysPlatform(db: Db, snapshot: Snapshot, ctx: ReferenceContext, place: PlaceForRates, platform: string): string | null {
  const rates = findPayerRates(db, snapshot.id, { platform, cpt: place.cpt });
  const parts = ctx.payers.flatMap((payer) => {
    const rate = matchingPublishedRate({ ...place, platform, payer: payer.slug, p50: 0, p50Band: "0-30" }, rates);
    return rate ? [`${payer.name} ${formatExactDollars(rate.negotiatedRate)}`] : [];
  });
  return parts.length === 0 ? null : parts.join(" · ");
}

export type OfferAgainstRate = { text: string; source: string };

/** "Cigna's file says it pays Alma $151.74 for a 90837: you would receive 63% of what Cigna pays Alma." */
export function offerAgainstPublishedRate(
  db: Db, snapshot: Snapshot, ctx: ReferenceContext, cell: Omit<CellForPublishedTake, "p50" | "p50Band">, amount: number,
): OfferAgainstRate | null {
  if (cell.platform === null || cell.payer === null) return null;
  const rate: PublishedPayerRate | null = matchingPublishedRate({ ...cell, p50: 0, p50Band: "0-30" }, findPayerRates(db, snapshot.id, { platform: cell.platform, payer: cell.payer, cpt: cell.cpt }));
  if (!rate) return null;
  const payer = ctx.payerName(cell.payer);
  const platform = ctx.platformName(cell.platform);
  const share = roundHalfUp((100 * amount) / rate.negotiatedRate);
  return {
    text: `${payer}'s own file says it pays ${platform} ${formatExactDollars(rate.negotiatedRate)} for a ${rate.cpt}: you would receive ${formatPercent(share)} of what ${payer} pays ${platform}.`,
    source: `Source: ${rate.sourceFile}, updated ${formatDate(rate.lastUpdatedOn)} (${rate.reportingEntity}), in snapshot ${snapshot.id}.`,
  };
}

/** /compare's platform rows with one more column: what each insurer's file says it pays that platform there. */
export function withFilePaysColumn(db: Db, snapshot: Snapshot, ctx: ReferenceContext, place: Place, rows: ComparisonRow[]): ComparisonRow[] {
  const where: PlaceForRates = { cpt: place.cpt, geoLevel: place.geo.geoLevel, geo: place.geo.geo, modality: place.modality, yearWindow: place.yearWindow };
  return rows.map((row) => {
    const platform = row.href?.startsWith("/platforms/") ? row.href.slice("/platforms/".length) : null;
    if (!row.display) return row;
    const extra = row.extra ?? [row.display.payerPays, row.display.take];
    return { ...row, extra: [...extra, platform ? filePaysPlatform(db, snapshot, ctx, where, platform) : null] };
  });
}

export const FILE_PAYS_COLUMN = { label: "The insurer's file says it pays the platform", numeric: true };
