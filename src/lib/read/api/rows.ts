// Published cells as the API shows them: DESIGN.md "Published cell", snake_case, in column order.
import { PUBLISHED_COLUMNS, type PublishedCellRow } from "../../schemas/api.ts";
import type { CellRow } from "../published.ts";
import { NO_PUBLISHED_TAKE, type PublishedTake } from "../../rules/published-rates.ts";
import { csvLine } from "./csv.ts";

/** `published`: the cell's take on the published basis (src/lib/read/payer-rates.ts publishedTakeOf). */
export function publishedRow(cell: CellRow, note: string | null = null, published: PublishedTake = NO_PUBLISHED_TAKE): PublishedCellRow {
  return {
    snapshot: cell.snapshotId,
    cpt: cell.cpt,
    geo_level: cell.geoLevel as PublishedCellRow["geo_level"],
    geo: cell.geo,
    channel: cell.channel as PublishedCellRow["channel"],
    platform: cell.platform,
    payer: cell.payer,
    license_level: cell.licenseLevel as PublishedCellRow["license_level"],
    license: cell.license,
    modality: cell.modality as PublishedCellRow["modality"],
    year_window: cell.yearWindow,
    n: cell.n,
    n_band: cell.nBand,
    p10: cell.p10,
    p25: cell.p25,
    p50: cell.p50,
    p75: cell.p75,
    p90: cell.p90,
    p25_band: cell.p25Band,
    p50_band: cell.p50Band,
    p75_band: cell.p75Band,
    p50_share_in_band: cell.p50ShareInBand,
    medicare: cell.medicare,
    p50_pct_medicare: cell.p50PctMedicare,
    allowed_p50: cell.allowedP50,
    take_p50: cell.takeP50,
    take_low: cell.takeLow,
    take_high: cell.takeHigh,
    published_rate: published.publishedRate,
    take_published_p50: published.takePublishedP50,
    take_published_low: published.takePublishedLow,
    take_published_high: published.takePublishedHigh,
    note,
  };
}

export function rowAsArray(row: PublishedCellRow): PublishedCellRow[keyof PublishedCellRow][] {
  return PUBLISHED_COLUMNS.map((column) => row[column]);
}

export const CSV_HEADER = csvLine(PUBLISHED_COLUMNS);

export function rowAsCsv(row: PublishedCellRow): string {
  return csvLine(rowAsArray(row));
}
