// Rows of a comparison table and chart: a label, the published figures as shown, and why a row
// is generalized or not published.
import { displayCell, type CellDisplay } from "./cell-display.ts";
import type { ChartBar, ChartData, ReferenceLine } from "../shared/chart-data.ts";
import { formatDollars, formatWholeDollars } from "../shared/format.ts";
import type { Lookup } from "./published-lookup.ts";

export type ComparisonRow = {
  label: string;
  href?: string | undefined;
  /** null when nothing is published for the row. */
  display: CellDisplay | null;
  /** Why the row shows a coarser cell, or why nothing is published. */
  note: string | null;
  /** Values of the table's extra columns, in order (null shows a dash). */
  extra?: (string | null)[];
  /** The row the reader asked about, or a total: shown in bold. */
  emphasis?: boolean;
};

export function comparisonRow(label: string, lookup: Lookup, options: Partial<Pick<ComparisonRow, "href" | "extra" | "emphasis">> = {}): ComparisonRow {
  return {
    label,
    display: lookup.cell ? displayCell(lookup.cell) : null,
    note: lookup.note,
    ...options,
  };
}

/** Published rows first, by median from highest; unpublished rows keep their order at the end. */
export function byMedian(rows: ComparisonRow[]): ComparisonRow[] {
  const mid = (row: ComparisonRow) => row.display ? (row.display.chart.medianLow + row.display.chart.medianHigh) / 2 : -1;
  return [...rows].sort((a, b) => mid(b) - mid(a));
}

/** Distinct generalization notes of published rows, numbered in order of first use. */
export function numberedNotes(rows: ComparisonRow[]): Map<string, number> {
  const notes = new Map<string, number>();
  for (const row of rows) if (row.display && row.note && !notes.has(row.note)) notes.set(row.note, notes.size + 1);
  return notes;
}

const SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** 12 → "¹²": a note marker that fits a chart label. */
export function superscript(n: number): string {
  return [...String(n)].map((digit) => SUPERSCRIPT_DIGITS[Number(digit)]).join("");
}

export function chartData(rows: ComparisonRow[], lines: ReferenceLine[]): ChartData {
  const notes = numberedNotes(rows);
  const bars: ChartBar[] = rows.flatMap((row) => {
    if (!row.display) return [];
    const d = row.display;
    const marker = row.note ? notes.get(row.note) : undefined;
    return [{
      label: marker ? `${row.label} ${superscript(marker)}` : row.label,
      low: d.chart.low, high: d.chart.high, medianLow: d.chart.medianLow, medianHigh: d.chart.medianHigh,
      summary: [
        `Median ${d.median}`,
        `Middle 50% ${d.middle}`,
        ...(d.percentOfMedicare ? [`${d.percentOfMedicare} of Medicare`] : []),
        `${d.reports} reports`,
        ...(marker ? [`See note ${marker}`] : []),
      ],
    }];
  });
  return { bars, lines };
}

/** The chart's reference lines: Medicare's amount for the code, and an offer being checked. */
export function referenceLines(medicare: number | null, medicareYear: string, offer?: number): ReferenceLine[] {
  return [
    ...(medicare === null ? [] : [{ kind: "medicare" as const, value: medicare, label: `Medicare ${formatWholeDollars(medicare)} (${medicareYear})` }]),
    ...(offer === undefined ? [] : [{ kind: "offer" as const, value: offer, label: `Offer ${formatDollars(offer)}` }]),
  ];
}
