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
 * Consecutive points that show the same figures, as one: a history of hundreds of snapshots is
 * mostly runs in which nothing a reader sees moved.
 */
export type HistoryRun = { first: Snapshot; last: Snapshot; display: CellDisplay };

export function historyRuns(points: readonly HistoryPoint[]): HistoryRun[] {
  const runs: HistoryRun[] = [];
  // The pay the chart and its table show, not the count of reports (which moves with almost
  // every snapshot) nor the platform's take (not shown in a history).
  const pay = (d: CellDisplay) => JSON.stringify([d.median, d.medianIsBand, d.middle, d.percentOfMedicare, d.chart]);
  for (const point of points) {
    const run = runs.at(-1);
    if (run && pay(run.display) === pay(point.display)) {
      run.last = point.snapshot;
      run.display = point.display; // a run shows its latest snapshot's count
    } else runs.push({ first: point.snapshot, last: point.snapshot, display: point.display });
  }
  return runs;
}

/**
 * A change of the median between two consecutive runs, in words, when the later median (point
 * or band, as the page shows it) lies wholly below or above the earlier one; nothing otherwise
 * (overlapping bands are not a change a reader can rely on).
 */
export function historySentences(runs: readonly HistoryRun[]): string[] {
  const sentences: string[] = [];
  for (let i = 1; i < runs.length; i++) {
    const before = runs[i - 1]!;
    const after = runs[i]!;
    const a = before.display.chart;
    const b = after.display.chart;
    const fell = b.medianHigh <= a.medianLow && b.medianLow < a.medianLow;
    const rose = b.medianLow >= a.medianHigh && b.medianHigh > a.medianHigh;
    if (!fell && !rose) continue;
    sentences.push(`The median ${fell ? "fell" : "rose"} from ${before.display.median} to ${after.display.median} between snapshot ${before.last.id} and ${after.first.id}.`);
  }
  return sentences;
}

/** The runs as rows of the one chart component, labelled by snapshot (or snapshots) and date. */
export function historyRows(runs: readonly HistoryRun[]): ComparisonRow[] {
  return runs.map((run) => ({
    label: run.first.id === run.last.id
      ? `Snapshot ${run.first.id} (${formatDate(run.first.createdAt)})`
      : `Snapshots ${run.first.id}–${run.last.id} (${[...new Set([formatDate(run.first.createdAt), formatDate(run.last.createdAt)])].join(" to ")})`,
    display: run.display,
    note: null,
  }));
}

/** At most this many rows in the chart and its table: the latest; the whole series is in history.csv. */
export const HISTORY_ROWS_SHOWN = 24;

export type RateHistoryView = {
  rows: ComparisonRow[];
  sentences: string[];
  /** Snapshots that publish the cell. */
  snapshots: number;
  /** Rows before the cap (runs of unchanged figures count once). */
  runs: number;
  /** history.csv of the cell, every snapshot. */
  csvUrl: string;
};

export function rateHistoryView(db: Db, current: Snapshot, filter: CellFilter): RateHistoryView {
  const points = cellHistory(db, current, filter);
  const runs = historyRuns(points);
  const shown = runs.slice(-HISTORY_ROWS_SHOWN);
  return { rows: historyRows(shown), sentences: historySentences(shown), snapshots: points.length, runs: runs.length, csvUrl: historyCsvUrl(filter) };
}

/** /api/v1/history.csv for one whole cell, in the API's parameters. */
export function historyCsvUrl(filter: CellFilter): string {
  const params = new URLSearchParams();
  const all = (value: string | null | undefined) => value ?? "all";
  if (filter.cpt) params.set("cpt", filter.cpt);
  if (filter.geoLevel === "state") params.set("state", filter.geo ?? "");
  else if (filter.geoLevel === "division") params.set("division", filter.geo ?? "");
  else params.set("geo_level", "national");
  params.set("channel", all(filter.channel));
  params.set("platform", all(filter.platform));
  params.set("payer", all(filter.payer));
  params.set(filter.licenseLevel === "group" ? "license_group" : "license", all(filter.license));
  if (filter.modality) params.set("modality", filter.modality);
  if (filter.yearWindow) params.set("year", filter.yearWindow);
  if (filter.verified) params.set("verified", "true");
  return `/api/v1/history.csv?${params}`;
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
