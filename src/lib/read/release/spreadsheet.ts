// The .xlsx twin of the aggregates, for readers who double-click: Excel turns a CSV's n_band
// "5-9" into 9 May, so here bands are text cells, figures are numbers, the header row is frozen,
// and a second sheet says what each column means and under which licence the data is.
// Written as a stream (exceljs's streaming writer), a row at a time, honouring backpressure.
import { once } from "node:events";
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import type { PublishedCellRow } from "../../schemas/api.ts";
import { DATA_LICENSE } from "./citation.ts";
import type { TableField } from "./tables.ts";

/** Excel's last row is 1,048,576; one is the header. */
export const SPREADSHEET_MAX_ROWS = 1_048_575;

export type WorkbookInfo = {
  snapshotId: number; isDemo: boolean; createdAt: string; filters: string; origin: string; fields: TableField[];
  /** The data sheet's name and what no filter means; the aggregates' by default. */
  sheet?: string; everything?: string;
};

/**
 * Writes the workbook into `out` and ends it. Rows arrive as published rows; columns are the
 * fields in order. Resolves when the last byte is written.
 */
export async function writeAggregatesWorkbook(rows: Iterable<PublishedCellRow> | Iterable<Readonly<Record<string, unknown>>>, info: WorkbookInfo, out: PassThrough): Promise<void> {
  // Fast deflate: the sheet XML is repetitive, so level 1 costs little size and much less time.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false, zip: { zlib: { level: 1 } } });
  workbook.creator = "Ratecard";
  workbook.created = new Date(info.createdAt);
  const sheet = workbook.addWorksheet(info.sheet ?? "aggregates", { views: [{ state: "frozen", ySplit: 1 }] });
  const names = info.fields.map((field) => field.name);
  sheet.columns = info.fields.map((field) => ({ header: field.name, key: field.name, width: Math.max(10, field.name.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let written = 0;
  for (const row of rows) {
    // null stays an empty cell; strings (bands, codes) are text; numbers are numbers.
    const values = row as Readonly<Record<string, unknown>>;
    sheet.addRow(names.map((name) => values[name] ?? null)).commit();
    if (++written % 500 === 0) {
      // Let the zip stream compress what was added, and wait while the reader is behind.
      await new Promise((resolve) => setImmediate(resolve));
      if (out.writableNeedDrain) await once(out, "drain");
    }
  }
  sheet.commit();

  const guide = workbook.addWorksheet("columns");
  guide.columns = [{ header: "column", key: "column", width: 22 }, { header: "meaning", key: "meaning", width: 100 }];
  guide.getRow(1).font = { bold: true };
  for (const field of info.fields) guide.addRow([field.name, field.description ?? ""]).commit();
  guide.addRow([]).commit();
  const about: [string, string][] = [
    ["snapshot", `${info.snapshotId}${info.isDemo ? " (demo data: generated reports, not real ones)" : ""}, published ${info.createdAt.slice(0, 10)}`],
    ["filters", info.filters || `none (${info.everything ?? "every published cell"})`],
    ["licence", `${DATA_LICENSE.title} (${DATA_LICENSE.id}), ${DATA_LICENSE.path}: credit Ratecard and name the snapshot`],
    ["cite", `${info.origin}/api/v1/snapshots/${info.snapshotId}/citation.bib (also .ris, .cff)`],
    ["methodology", `${info.origin}/methodology`],
  ];
  for (const line of about) guide.addRow(line).commit();
  guide.commit();
  await workbook.commit();
}
