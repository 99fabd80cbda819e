// Insurer-published rates on the read side: a snapshot's payer-rate rows, filtered for the API
// and pages, and the published-basis take of its cells (computed from published rows only).
import { takeFromPublishedRate, type CellForPublishedTake, type PublishedPayerRate, type PublishedTake } from "../rules/published-rates.ts";
import type { Db } from "../server/db.ts";
import { payerRatesIn, type Snapshot } from "./published.ts";

export type PayerRateFilter = { payer?: string | undefined; platform?: string | undefined; cpt?: string | undefined; state?: string | undefined };

/** Rows matching every given filter; `state` matches that state's rows (a rate with no state has none). */
export function findPayerRates(db: Db, snapshotId: number, filter: PayerRateFilter): PublishedPayerRate[] {
  return payerRatesIn(db, snapshotId).filter((rate) =>
    (filter.payer === undefined || rate.payer === filter.payer)
    && (filter.platform === undefined || rate.platform === filter.platform)
    && (filter.cpt === undefined || rate.cpt === filter.cpt)
    && (filter.state === undefined || rate.state === filter.state));
}

/** The published-basis take of any cell of this snapshot (null columns on demo snapshots). */
export function publishedTakeOf(db: Db, snapshot: Snapshot): (cell: CellForPublishedTake) => PublishedTake {
  return takeOnRates(payerRatesIn(db, snapshot.id), snapshot.isDemo);
}

/** The same from a snapshot's insurer rates as they are (the build compares two files with it). */
export function takeOnRates(rates: readonly PublishedPayerRate[], isDemo: boolean): (cell: CellForPublishedTake) => PublishedTake {
  // Indexed by payer, platform and CPT: a page of thousands of cells looks up only its own rates.
  const byKey = new Map<string, PublishedPayerRate[]>();
  for (const rate of rates) {
    const key = `${rate.payer}|${rate.platform}|${rate.cpt}`;
    const group = byKey.get(key);
    if (group) group.push(rate);
    else byKey.set(key, [rate]);
  }
  return (cell) => takeFromPublishedRate(cell, byKey.get(`${cell.payer}|${cell.platform}|${cell.cpt}`) ?? [], isDemo);
}

export type InsurerFile = { payer: string; sourceFile: string; sourceSha256: string; lastUpdatedOn: string; reportingEntity: string; rows: number };

/** Each payer's latest imported file in the snapshot (by last_updated_on), with how many rows it publishes, for /data. */
export function latestFilesByPayer(db: Db, snapshotId: number): InsurerFile[] {
  const files = new Map<string, InsurerFile>();
  for (const rate of payerRatesIn(db, snapshotId)) {
    const file = files.get(rate.sourceSha256);
    if (file) file.rows++;
    else files.set(rate.sourceSha256, { payer: rate.payer, sourceFile: rate.sourceFile, sourceSha256: rate.sourceSha256, lastUpdatedOn: rate.lastUpdatedOn, reportingEntity: rate.reportingEntity, rows: 1 });
  }
  const latest = new Map<string, InsurerFile>();
  for (const file of files.values()) {
    const seen = latest.get(file.payer);
    if (!seen || file.lastUpdatedOn > seen.lastUpdatedOn) latest.set(file.payer, file);
  }
  return [...latest.values()].sort((a, b) => a.payer.localeCompare(b.payer));
}
