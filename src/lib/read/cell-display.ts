// How a published cell is shown: the band instead of a point wherever the median's band holds half
// or more of the cell's values (rule "Banded pay"), percent of Medicare to match, counts as bands.
import { formatBand, formatDollarRange, formatPercent, formatReportCount, formatWholeDollars } from "../shared/format.ts";
import type { CellFigures } from "../rules/cells.ts";
import { percentOfMedicare } from "../rules/take.ts";

/** The published columns a display needs (a subset of the read side's CellRow). */
export type PublishedFigures = Pick<
  CellFigures,
  "n" | "nBand" | "p25" | "p50" | "p75" | "p25Band" | "p50Band" | "p75Band" | "p50ShareInBand" | "medicare" |
  "p50PctMedicare" | "allowedP50" | "takeP50" | "takeLow" | "takeHigh"
>;

/** At or above this share of values in the median's band, pages show the band, not a point. */
export const BAND_SHOWN_AT = 0.5;

export type CellDisplay = {
  /** "$106", or "$90–$120" when the median's band holds half or more of the values. */
  median: string;
  medianIsBand: boolean;
  /** The middle 50%, "$93–$118"; a quartile inside a shown band is replaced by the band's edge. */
  middle: string;
  /** "63%", or "54–72%" when the median is shown as a band; null without a Medicare amount. */
  percentOfMedicare: string | null;
  /** "122", or the count band "5–9" / "20–49" below 10 … */
  reports: string;
  /** What the payer pays the platform or group (median), "$148"; null when not published. */
  payerPays: string | null;
  /** "about 28% (16% to 38%)"; null when not published. */
  take: string | null;
  /** The same figures as numbers, for the chart. */
  chart: { low: number; high: number; medianLow: number; medianHigh: number };
};

export function parseBand(band: string): { lo: number; hi: number } {
  const [lo, hi] = band.split("-").map(Number);
  if (lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`not a band: ${band}`);
  return { lo, hi };
}

export function medianShownAsBand(cell: Pick<PublishedFigures, "p50ShareInBand">): boolean {
  return cell.p50ShareInBand >= BAND_SHOWN_AT;
}

export function displayCell(cell: PublishedFigures): CellDisplay {
  const medianIsBand = medianShownAsBand(cell);
  const medianBand = parseBand(cell.p50Band);
  const low = medianIsBand && cell.p25Band === cell.p50Band ? medianBand.lo : cell.p25;
  const high = medianIsBand && cell.p75Band === cell.p50Band ? medianBand.hi : cell.p75;
  const medianLow = medianIsBand ? medianBand.lo : cell.p50;
  const medianHigh = medianIsBand ? medianBand.hi : cell.p50;

  let pct: string | null = null;
  if (cell.medicare !== null && cell.medicare > 0) {
    pct = medianIsBand
      ? `${percentOfMedicare(medianBand.lo, cell.medicare)}–${formatPercent(percentOfMedicare(medianBand.hi, cell.medicare))}`
      : formatPercent(cell.p50PctMedicare ?? percentOfMedicare(cell.p50, cell.medicare));
  }

  return {
    median: medianIsBand ? formatBand(cell.p50Band) : formatWholeDollars(cell.p50),
    medianIsBand,
    middle: formatDollarRange(low, high),
    percentOfMedicare: pct,
    reports: formatReportCount(cell.n, cell.nBand),
    payerPays: cell.allowedP50 === null ? null : formatWholeDollars(cell.allowedP50),
    take: formatTake(cell),
    chart: { low, high, medianLow, medianHigh },
  };
}

/** Rule "Take from medians": "about 31% (21% to 41%)"; a range can start below zero ("−4% to 23%"). */
export function formatTake(cell: Pick<PublishedFigures, "takeP50" | "takeLow" | "takeHigh">): string | null {
  if (cell.takeP50 === null) return null;
  const pct = (value: number) => formatPercent(value).replace("-", "−");
  const range = cell.takeLow !== null && cell.takeHigh !== null ? ` (${pct(cell.takeLow)} to ${pct(cell.takeHigh)})` : "";
  return `about ${pct(cell.takeP50)}${range}`;
}
