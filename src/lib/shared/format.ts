// The one money, date and label formatting used by every page.
import { publishedReportCount } from "../rules/report-count.ts";
import { CHANNEL_LABELS, EMPLOYMENT_LABELS, MODALITY_LABELS, PLAN_TYPE_LABELS, REVIEW_STATUS_LABELS } from "../schemas/codes.ts";

const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2, minimumFractionDigits: 0 });

/** $95 or $151.74 */
export function formatDollars(amount: number): string {
  return dollars.format(amount);
}

const cents = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An insurer-published rate, always to the cent: $151.74, $142.80. */
export function formatExactDollars(amount: number): string {
  return cents.format(amount);
}

/** "90-120" → "$90–$120" */
export function formatBand(band: string): string {
  const [lo, hi] = band.split("-");
  return `$${lo}–$${hi}`;
}

// One formatter each: toLocaleDateString builds a new one per call (~40 µs; a rate history of 365
// snapshots formats 365 dates).
const day = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
const monthOfYear = new Intl.DateTimeFormat("en-US", { year: "numeric", month: "long", timeZone: "UTC" });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : day.format(date);
}

export function formatMonth(month: string): string {
  const [year, m] = month.split("-").map(Number);
  return monthOfYear.format(new Date(Date.UTC(year ?? 2000, (m ?? 1) - 1, 1)));
}

const LABELS: Record<string, string> = {
  ...CHANNEL_LABELS, ...MODALITY_LABELS, ...PLAN_TYPE_LABELS, ...EMPLOYMENT_LABELS, ...REVIEW_STATUS_LABELS,
};

export function label(code: string): string {
  return LABELS[code] ?? code;
}

/** $95, or $151.74 rounded to whole dollars: $152 */
export function formatWholeDollars(amount: number): string {
  return dollars.format(Math.round(amount));
}

/** 90 and 120 → "$90–$120" */
export function formatDollarRange(lo: number, hi: number): string {
  return `${formatWholeDollars(lo)}–${formatWholeDollars(hi)}`;
}

/** 31 → "31%" */
export function formatPercent(percent: number): string {
  return `${percent}%`;
}

/** A published count of reports: exact from 10 (1,245), otherwise its band ("5-9" → "5–9"). */
export function formatReportCount(n: number | null, nBand: string): string {
  return n === null ? nBand.replace("-", "–") : n.toLocaleString("en-US");
}

/** A snapshot's reports used, as rule "Count bands" publishes it: exact from 10, else its band. */
export function formatReportsUsed(reportsUsed: number, k: number): string {
  const published = publishedReportCount(reportsUsed, k);
  return formatReportCount(published.reportsUsed, published.reportsUsedBand);
}

/** "2025-2026" → "2025–2026" */
export function formatYearWindow(window: string): string {
  return window.replace("-", "–");
}
