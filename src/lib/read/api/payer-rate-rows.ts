// Insurer-published rates as the API shows them (payer-rates.{json,csv}), snake_case, in column order.
import { PAYER_RATE_COLUMNS, type PayerRateRow } from "../../schemas/api.ts";
import type { PublishedPayerRate } from "../../rules/published-rates.ts";
import { csvLine } from "./csv.ts";

export function payerRateRow(snapshotId: number, rate: PublishedPayerRate): PayerRateRow {
  return {
    snapshot: snapshotId,
    payer: rate.payer,
    platform: rate.platform,
    tin: rate.tin,
    state: rate.state,
    cpt: rate.cpt,
    modifiers: rate.modifiers,
    place_of_service: rate.placeOfService,
    negotiated_type: rate.negotiatedType as PayerRateRow["negotiated_type"],
    negotiated_rate: rate.negotiatedRate,
    rate_low: rate.rateLow,
    rate_high: rate.rateHigh,
    networks: rate.networks,
    expiration_date: rate.expirationDate,
    reporting_entity: rate.reportingEntity,
    last_updated_on: rate.lastUpdatedOn,
    source_file: rate.sourceFile,
    source_sha256: rate.sourceSha256,
  };
}

export const PAYER_RATES_CSV_HEADER = csvLine(PAYER_RATE_COLUMNS);

/** List columns are `;`-joined; dollar amounts keep their cents (151.7 is written 151.70). */
export function payerRateAsCsv(row: PayerRateRow): string {
  return csvLine(PAYER_RATE_COLUMNS.map((column) => {
    const value = row[column];
    if (Array.isArray(value)) return value.join(";");
    if (column === "negotiated_rate" || column === "rate_low" || column === "rate_high") return (value as number).toFixed(2);
    return value;
  }));
}
