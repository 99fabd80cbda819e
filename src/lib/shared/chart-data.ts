// What the one chart component hands its browser script: figures already shown as the page shows
// them (bands where the rule asks for bands), so the script only draws.
export type ChartBar = {
  label: string;
  /** Middle 50%: from p25 (or its band's edge) to p75 (or its band's edge). */
  low: number;
  high: number;
  /** The median, or the median's band when it is shown as a band. */
  medianLow: number;
  medianHigh: number;
  /** Lines read out on hover and keyboard focus ("Median $106", "Middle 50% $93–$118", …). */
  summary: string[];
};

/** A vertical line across the chart: Medicare's amount, or the offer being checked. */
export type ReferenceLine = { kind: "medicare" | "offer"; value: number; label: string };

export type ChartData = { bars: ChartBar[]; lines: ReferenceLine[] };
