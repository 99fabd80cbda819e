// The rows of the true-hourly-pay comparison, as text: rendered by the server after a post and
// refilled by the browser as you type, so both show exactly the same thing.
import { formatWholeDollars } from "./format.ts";
import type { HourlyResult } from "./hourly-pay.ts";

export type HourlyRowKey = "effectiveHourly" | "incomePerYear" | "grossPerYear" | "feesPerYear" | "extraTaxPerYear" | "paidSessionsPerWeek" | "hoursPerWeek";

export const HOURLY_ROWS: { key: HourlyRowKey; label: string }[] = [
  { key: "effectiveHourly", label: "True hourly pay" },
  { key: "incomePerYear", label: "Income per year" },
  { key: "grossPerYear", label: "Pay per year before fees" },
  { key: "feesPerYear", label: "Platform fees per year" },
  { key: "extraTaxPerYear", label: "Extra payroll tax as a 1099 contractor" },
  { key: "paidSessionsPerWeek", label: "Paid sessions per week" },
  { key: "hoursPerWeek", label: "Hours worked per week" },
];

const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export function formatHourlyValue(key: HourlyRowKey, result: HourlyResult | null): string {
  if (!result) return "—";
  const value = result[key];
  if (key === "paidSessionsPerWeek" || key === "hoursPerWeek") return oneDecimal.format(value);
  if (key === "effectiveHourly") return `${formatWholeDollars(value)} an hour`;
  return formatWholeDollars(value);
}

/** "Offer B pays $12 more per hour worked than offer A." */
export function hourlyVerdict(a: HourlyResult | null, b: HourlyResult | null): string {
  if (!a || !b) return "Fill in both offers to compare them.";
  const difference = Math.round(b.effectiveHourly) - Math.round(a.effectiveHourly);
  if (difference === 0) return "Both offers pay about the same per hour worked.";
  const [better, worse] = difference > 0 ? ["B", "A"] : ["A", "B"];
  return `Offer ${better} pays ${formatWholeDollars(Math.abs(difference))} more per hour worked than offer ${worse}.`;
}
