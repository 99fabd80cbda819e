// Rate history on the pages (issue 15 item 6): one cell — the one a page shows — in every
// published snapshot of the current one's kind (a demo snapshot is never joined to a crowd one),
// shown with the same display rules as the cell itself, and its cuts and rises said in words.
import type { Db } from "../server/db.ts";
import { formatDate } from "../shared/format.ts";
import { displayCell, type CellDisplay } from "./cell-display.ts";
import type { ComparisonRow } from "./comparison-rows.ts";
import { NATIONAL } from "../rules/ladders.ts";
import type { Place } from "./published-lookup.ts";
import { cellSeries, wholeCellKey } from "./cell-changes.ts";
import type { CellFilter, Snapshot } from "./published.ts";

export type HistoryPoint = { snapshot: Snapshot; display: CellDisplay };

/** The cell in each snapshot up to `current` and of its kind that publishes it, oldest first. */
export function cellHistory(db: Db, current: Snapshot, filter: CellFilter): HistoryPoint[] {
  // From the changes recorded as each snapshot was built (issue 15), not from every earlier file.
  const cellKey = wholeCellKey(filter);
  if (cellKey === null) return [];
  return cellSeries(db, current, cellKey)
    .filter((point) => point.snapshot.isDemo === current.isDemo)
    .map((point) => ({ snapshot: point.snapshot, display: displayCell(point.cell) }));
}

/**
 * A change of the median between two consecutive points, in words, when the later median (point
 * or band, as the page shows it) lies wholly below or above the earlier one; nothing otherwise
 * (overlapping bands are not a change a reader can rely on).
 */
export function historySentences(points: readonly HistoryPoint[]): string[] {
  const sentences: string[] = [];
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1]!;
    const after = points[i]!;
    const a = before.display.chart;
    const b = after.display.chart;
    const fell = b.medianHigh <= a.medianLow && b.medianLow < a.medianLow;
    const rose = b.medianLow >= a.medianHigh && b.medianHigh > a.medianHigh;
    if (!fell && !rose) continue;
    sentences.push(`The median ${fell ? "fell" : "rose"} from ${before.display.median} to ${after.display.median} between snapshot ${before.snapshot.id} and ${after.snapshot.id}.`);
  }
  return sentences;
}

/** The points as rows of the one chart component, labelled by snapshot and date. */
export function historyRows(points: readonly HistoryPoint[]): ComparisonRow[] {
  return points.map((point) => ({
    label: `Snapshot ${point.snapshot.id} (${formatDate(point.snapshot.createdAt)})`,
    display: point.display,
    note: null,
  }));
}

export type RateHistoryView = { rows: ComparisonRow[]; sentences: string[]; snapshots: number };

export function rateHistoryView(db: Db, current: Snapshot, filter: CellFilter): RateHistoryView {
  const points = cellHistory(db, current, filter);
  return { rows: historyRows(points), sentences: historySentences(points), snapshots: points.length };
}

/** The exact cell of a place for one payee (no generalization: a history is of one cell). */
export function placeFilter(place: Place, payee: { channel: string | null; platform: string | null; payer: string | null }): CellFilter {
  return {
    cpt: place.cpt, yearWindow: place.yearWindow, geoLevel: place.geo.geoLevel, geo: place.geo.geo,
    licenseLevel: place.license.licenseLevel, license: place.license.license, modality: place.modality,
    channel: payee.channel, platform: payee.platform, payer: payee.payer, verified: place.verified ?? false,
  };
}

/** The national cell a profile headlines: one code, every license and session type, one year window. */
export function profileFilter(cpt: string, yearWindow: string, payee: { channel: string | null; platform: string | null; payer: string | null }, verified: boolean): CellFilter {
  return { cpt, yearWindow, geoLevel: "national", geo: NATIONAL, licenseLevel: "all", license: null, modality: "all", ...payee, verified };
}
