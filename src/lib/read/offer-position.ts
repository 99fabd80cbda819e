// Where an offered amount falls among a published cell's quartiles: the only comparison /check-offer
// makes, so it can say nothing the snapshot does not already publish.
import { displayCell, parseBand, type PublishedFigures } from "./cell-display.ts";
import { formatDollars, formatWholeDollars } from "../shared/format.ts";
import { percentOfMedicare } from "../rules/take.ts";

export type Position = "below_p25" | "p25_to_median" | "median_band" | "median_to_p75" | "above_p75";

export const POSITION_STEPS: { position: Position; label: string; phrase: string }[] = [
  { position: "below_p25", label: "Bottom quarter", phrase: "in the bottom quarter" },
  { position: "p25_to_median", label: "Below the median", phrase: "below the median" },
  { position: "median_band", label: "In the median's band", phrase: "in the median's band" },
  { position: "median_to_p75", label: "Above the median", phrase: "above the median" },
  { position: "above_p75", label: "Top quarter", phrase: "in the top quarter" },
];

export function positionPhrase(position: Position): string {
  return POSITION_STEPS.find((step) => step.position === position)!.phrase;
}

export type OfferPosition = {
  position: Position;
  /** One sentence for the reader. */
  summary: string;
  /** The offer as a whole percent of Medicare's amount for the code, when known. */
  percentOfMedicare: number | null;
};

/**
 * Below p25, p25 to the median, the median to p75, above p75, against the figures as the page
 * shows them: where the median is shown as its band (half or more of the values fall in it), an
 * offer inside the band is "in the median's band", and the band's edges stand in for the quartiles
 * inside it. Telling such an offer apart from the median would claim more than the bands can say.
 */
export function offerPosition(amount: number, cell: PublishedFigures): OfferPosition {
  const shown = displayCell(cell);
  const { low, high } = shown.chart;
  const pct = cell.medicare !== null && cell.medicare > 0 ? percentOfMedicare(amount, cell.medicare) : null;
  const offer = formatDollars(amount);
  const at = (position: Position, summary: string): OfferPosition => ({ position, summary, percentOfMedicare: pct });

  if (amount < low) return at("below_p25", `${offer} is below the 25th percentile (${formatWholeDollars(low)}): at least three in four reported rates are higher.`);
  if (amount > high) return at("above_p75", `${offer} is above the 75th percentile (${formatWholeDollars(high)}): fewer than one in four reported rates are higher.`);
  if (shown.medianIsBand) {
    const band = parseBand(cell.p50Band);
    if (amount < band.lo) return at("p25_to_median", `${offer} is between the 25th percentile (${formatWholeDollars(low)}) and the median's band (${shown.median}): below what half of the reported rates pay.`);
    if (amount >= band.hi) return at("median_to_p75", `${offer} is between the median's band (${shown.median}) and the 75th percentile (${formatWholeDollars(high)}): above what half of the reported rates pay.`);
    return at("median_band", `${offer} is in the median's band, ${shown.median}, where half or more of the reported rates fall: a typical rate.`);
  }
  if (amount < cell.p50) return at("p25_to_median", `${offer} is between the 25th percentile (${formatWholeDollars(low)}) and the median (${shown.median}): below what half of the reported rates pay.`);
  return at("median_to_p75", `${offer} is between the median (${shown.median}) and the 75th percentile (${formatWholeDollars(high)}): above what half of the reported rates pay.`);
}
