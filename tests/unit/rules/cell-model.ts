// An independent, deliberately naive model of which cells a rate belongs to, computed from the
// plain exact report objects (never from BandedRates). Tests recount reports and recompute figures
// per cell key with it, and the privacy tests build their "naive implementation" on it.
import { REFERENCE, type ExactRate, type ExactReport, type Reference } from "../../factories.ts";

export type ModelLine = { reportIndex: number; report: ExactReport; rate: ExactRate };
export type ModelCell = { key: string; reports: Set<number>; lines: ModelLine[] };

/** Year-window labels: each year present, and each pair of consecutive years present. */
export function windowLabels(reports: readonly ExactReport[]): Map<number, string[]> {
  const years = [...new Set(reports.flatMap((r) => r.rates.map((x) => x.year)))].sort((a, b) => a - b);
  const present = new Set(years);
  const labels = new Map<number, string[]>();
  for (const y of years) {
    const own = [String(y)];
    if (present.has(y - 1)) own.push(`${y - 1}-${y}`);
    if (present.has(y + 1)) own.push(`${y}-${y + 1}`);
    labels.set(y, own);
  }
  return labels;
}

/** Every cell key (in the published `cellKey` format) a line of a report belongs to. */
export function cellKeysOfLine(
  r: ExactReport,
  x: ExactRate,
  windows: ReadonlyMap<number, string[]>,
  reference: Reference = REFERENCE,
): string[] {
  const division = new Map(reference.stateDivision).get(r.state);
  const group = new Map(reference.licenseGroup).get(r.license);
  if (division === undefined || group === undefined) throw new Error("unknown state or license");
  const geos = [`state:${r.state}`, `division:${division}`, "national:US"];
  const channels: Array<[string, string]> = [["all", "all"], [r.channel, "all"]];
  if (r.platform !== null) channels.push(["platform", r.platform]);
  const payers = ["all", ...(x.payer === null ? [] : [x.payer])];
  const licenses = ["all:all", `group:${group}`, `license:${r.license}`];
  const modalities = ["all", x.modality];
  const keys: string[] = [];
  for (const geo of geos) {
    for (const [channel, platform] of channels) {
      for (const payer of payers) {
        for (const license of licenses) {
          for (const modality of modalities) {
            for (const window of windows.get(x.year) ?? []) {
              keys.push([x.cpt, geo, channel, platform, payer, license, modality, window].join("|"));
            }
          }
        }
      }
    }
  }
  return keys;
}

/** All cells (published or not) with their distinct reports and their lines. */
export function modelCells(reports: readonly ExactReport[], reference: Reference = REFERENCE): Map<string, ModelCell> {
  const windows = windowLabels(reports);
  const cells = new Map<string, ModelCell>();
  reports.forEach((r, reportIndex) => {
    for (const x of r.rates) {
      for (const key of cellKeysOfLine(r, x, windows, reference)) {
        let cell = cells.get(key);
        if (!cell) cells.set(key, (cell = { key, reports: new Set(), lines: [] }));
        cell.reports.add(reportIndex);
        cell.lines.push({ reportIndex, report: r, rate: x });
      }
    }
  });
  return cells;
}

/** Lines of a cell that carry both amounts and count for the take: platform and group rates with a payer amount. */
export function takeLines(cell: ModelCell): ModelLine[] {
  return cell.lines.filter(
    (l) => (l.report.channel === "platform" || l.report.channel === "group") && l.rate.allowedCents !== null,
  );
}
