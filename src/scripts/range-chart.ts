// Draws every range chart on the page with chart.js (only the parts a horizontal bar chart needs, so
// the bundle stays small), and lets the keyboard read each bar. The table beside it holds the same figures.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip, type ActiveDataPoint, type Plugin } from "chart.js";
import type { ChartData, ReferenceLine } from "../lib/shared/chart-data.ts";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

type Palette = { middle: string; middleEdge: string; median: string; medicare: string; offer: string; ink: string; grid: string };

function palette(element: HTMLElement): Palette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    middle: read("--chart-middle", "#56b4e9"),
    middleEdge: read("--chart-middle-edge", "#0072b2"),
    median: read("--chart-median", "#000000"),
    medicare: read("--chart-medicare", "#d55e00"),
    offer: read("--chart-offer", "#009e73"),
    ink: read("--ink", "#1b1f24"),
    grid: read("--line", "#c9d1da"),
  };
}

/** Reference lines (Medicare dashed, an offer solid) across the plot, each labelled at the top. */
function referenceLines(lines: ReferenceLine[], colours: Palette): Plugin<"bar"> {
  return {
    id: "referenceLines",
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      lines.forEach((line, i) => {
        const x = scales.x!.getPixelForValue(line.value);
        if (x < chartArea.left || x > chartArea.right) return;
        const colour = line.kind === "medicare" ? colours.medicare : colours.offer;
        ctx.save();
        ctx.strokeStyle = colour;
        ctx.lineWidth = line.kind === "medicare" ? 2 : 3;
        ctx.setLineDash(line.kind === "medicare" ? [6, 4] : []);
        ctx.beginPath();
        ctx.moveTo(x, chartArea.top);
        ctx.lineTo(x, chartArea.bottom);
        ctx.stroke();
        ctx.fillStyle = colour;
        ctx.font = "600 12px system-ui, sans-serif";
        const width = ctx.measureText(line.label).width;
        ctx.textAlign = x + width / 2 > chartArea.right ? "right" : x - width / 2 < chartArea.left ? "left" : "center";
        // Labels stack upwards so that two lines close together stay readable.
        ctx.fillText(line.label, x, chartArea.top - 6 - i * 15);
        ctx.restore();
      });
    },
  };
}

/** Ranges, not lengths: the axis may start above $0, a little below the lowest figure, so narrow screens keep detail. */
function axisMin(data: ChartData): number {
  const lowest = Math.min(...data.bars.map((b) => b.low), ...data.lines.map((line) => line.value));
  return Math.max(0, lowest * 0.85);
}

function enableKeyboard(canvas: HTMLCanvasElement, chart: Chart<"bar">, data: ChartData): void {
  const readout = document.querySelector<HTMLElement>(`[data-chart-readout="${canvas.id}"]`);
  let index = -1;
  const show = (next: number) => {
    index = Math.max(0, Math.min(data.bars.length - 1, next));
    const active: ActiveDataPoint[] = [{ datasetIndex: 1, index }, { datasetIndex: 0, index }];
    const element = chart.getDatasetMeta(1).data[index];
    chart.setActiveElements(active);
    chart.tooltip?.setActiveElements(active, { x: element?.x ?? 0, y: element?.y ?? 0 });
    chart.update();
    const bar = data.bars[index];
    if (readout && bar) readout.textContent = `${bar.label}: ${bar.summary.join(", ")}. Bar ${index + 1} of ${data.bars.length}.`;
  };
  const hide = () => {
    chart.setActiveElements([]);
    chart.tooltip?.setActiveElements([], { x: 0, y: 0 });
    chart.update();
  };
  canvas.tabIndex = 0;
  canvas.addEventListener("focus", () => show(index < 0 ? 0 : index));
  canvas.addEventListener("blur", hide);
  canvas.addEventListener("keydown", (event) => {
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowRight: index + 1, ArrowUp: index - 1, ArrowLeft: index - 1, Home: 0, End: data.bars.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      show(moves[event.key]!);
    } else if (event.key === "Escape") {
      hide();
    }
  });
}

/** Long names ("Medicaid (state plans and managed care)") are cut on narrow screens; tooltips and the table keep them whole. */
function shorten(label: string, room: number): string {
  if (label.length <= room) return label;
  const marker = / [⁰¹²³⁴⁵⁶⁷⁸⁹]+$/.exec(label)?.[0] ?? "";
  return `${label.slice(0, room - marker.length - 1).trimEnd()}…${marker}`;
}

function drawChart(canvas: HTMLCanvasElement): void {
  const data = JSON.parse(canvas.dataset.chart ?? "null") as ChartData | null;
  if (!data || data.bars.length === 0) return;
  // The canvas is 300 px wide until chart.js sizes it; its box says how much room there is.
  const narrow = (canvas.parentElement?.clientWidth ?? canvas.clientWidth) < 500;
  const labelRoom = narrow ? 18 : 40;
  const colours = palette(canvas);
  Chart.defaults.font.family = getComputedStyle(canvas).fontFamily;
  Chart.defaults.font.size = narrow ? 12 : 13;
  Chart.defaults.color = colours.ink;
  const chart = new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.bars.map((b) => b.label),
      datasets: [
        {
          // A point median is a solid tick; a median shown as its band is an outlined box.
          label: "Median",
          data: data.bars.map((b) => [b.medianLow, b.medianHigh] as [number, number]),
          backgroundColor: data.bars.map((b) => (b.medianLow === b.medianHigh ? colours.median : "transparent")),
          borderColor: colours.median,
          borderWidth: data.bars.map((b) => (b.medianLow === b.medianHigh ? 0 : 3)),
          borderSkipped: false,
          minBarLength: 4,
          barPercentage: 0.9,
          categoryPercentage: 0.8,
          grouped: false,
          order: 0,
        },
        {
          label: "Middle 50%",
          data: data.bars.map((b) => [b.low, b.high] as [number, number]),
          backgroundColor: colours.middle,
          borderColor: colours.middleEdge,
          borderWidth: 1,
          borderSkipped: false,
          minBarLength: 4,
          barPercentage: 0.6,
          categoryPercentage: 0.8,
          grouped: false,
          order: 1,
        },
      ],
    },
    options: {
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: 8 + 15 * data.lines.length, right: 12 } },
      interaction: { mode: "index", axis: "y", intersect: false },
      scales: {
        x: {
          suggestedMin: axisMin(data),
          suggestedMax: Math.max(...data.bars.map((b) => b.high), ...data.lines.map((line) => line.value)) * 1.03,
          beginAtZero: false,
          grid: { color: colours.grid },
          ticks: { callback: (value) => `$${value}`, maxTicksLimit: 8 },
        },
        y: { grid: { display: false }, ticks: { autoSkip: false, callback: (_value, index) => shorten(data.bars[index]?.label ?? "", labelRoom) } },
      },
      plugins: {
        tooltip: {
          filter: (item) => item.datasetIndex === 1,
          displayColors: false,
          callbacks: { label: (item) => data.bars[item.dataIndex]?.summary ?? [] },
        },
      },
    },
    plugins: [referenceLines(data.lines, colours)],
  });
  enableKeyboard(canvas, chart, data);
  canvas.dataset.chartReady = "true";
}

/** Draws every chart not drawn yet (a page may bring new ones, e.g. /check-offer's live answer). */
export function drawRangeCharts(root: ParentNode = document): void {
  for (const canvas of root.querySelectorAll<HTMLCanvasElement>("canvas[data-chart]:not([data-chart-ready])")) drawChart(canvas);
}
