// Builds an immutable snapshot: loads accepted reports with pay already banded in SQL, computes
// the cells with the pure rules, and writes snapshot, cells and shares in one transaction.
import { and, count, eq, sql } from "drizzle-orm";
import {
  licenseTypes, medicareRates, reports, snapshotShares, snapshots, states as statesTable,
} from "../../../db/schema.ts";
import { BAND_EDGES, bandIndexSql } from "../rules/bands.ts";
import { computeCells, type BandedRates, type Dimensions, type PublishedCell } from "../rules/cells.ts";
import { assertValidK } from "../rules/eligibility.ts";
import { REPLACED_YES, debiasedShare } from "../rules/randomized-response.ts";
import { snapshotSource, type SnapshotSource } from "../rules/sources.ts";
import { RULES_VERSION } from "../rules/version.ts";
import { CHANNELS, DIVISIONS, LICENSE_GROUPS, LICENSES, STATES } from "../schemas/codes.ts";
import type { Connection } from "./db.ts";
import { listCptCodes, listPayers, listPlatforms } from "./reference.ts";

export type SnapshotTrigger = "start" | "schedule" | "script" | "moderator";
export type SnapshotSummary = typeof snapshots.$inferSelect;

export function acceptedCrowdReports(connection: Connection): number {
  const row = connection.db
    .select({ n: count() })
    .from(reports)
    .where(and(eq(reports.reviewStatus, "accepted"), eq(reports.source, "crowd")))
    .get();
  return row?.n ?? 0;
}

function dimensions(connection: Connection, years: number[]): Dimensions {
  const { db } = connection;
  const divisionIndex = new Map(DIVISIONS.map((d, i) => [d as string, i]));
  const divisionOf = new Map(db.select().from(statesTable).all().map((s) => [s.code, s.division]));
  const groupIndex = new Map(LICENSE_GROUPS.map((g, i) => [g as string, i]));
  const groupOf = new Map(db.select().from(licenseTypes).all().map((l) => [l.slug, l.groupSlug]));
  const medicareCents = new Map<string, Map<number, number>>();
  for (const row of db.select().from(medicareRates).all()) {
    if (!medicareCents.has(row.cpt)) medicareCents.set(row.cpt, new Map());
    medicareCents.get(row.cpt)!.set(row.year, row.amountCents);
  }
  return {
    cpts: listCptCodes(db).map((c) => c.code),
    states: STATES,
    divisions: DIVISIONS,
    divisionOfState: STATES.map((s) => divisionIndex.get(divisionOf.get(s) ?? "") ?? 0),
    licenses: LICENSES,
    licenseGroups: LICENSE_GROUPS,
    groupOfLicense: LICENSES.map((l) => groupIndex.get(groupOf.get(l) ?? "") ?? 0),
    channels: CHANNELS,
    platforms: listPlatforms(db).map((p) => p.slug),
    payers: listPayers(db).map((p) => p.slug),
    years,
    medicareCents,
  };
}

type Loaded = { rates: BandedRates; dims: Dimensions; reportsUsed: number; aboveTopBand: number };

/**
 * Reads the snapshot's rates. The query selects each pay amount as its band index and a payer
 * amount only for platform and group rates, so no exact pay reaches the statistics.
 */
export function loadBandedRates(connection: Connection, source: SnapshotSource): Loaded {
  const { sqlite } = connection;
  const total = (sqlite.prepare(
    "SELECT count(*) AS n FROM rates t JOIN reports r ON r.id = t.report_id WHERE r.review_status = 'accepted' AND r.source = ?",
  ).get(source) as { n: number }).n;
  // Raw better-sqlite3 here: a million rows through drizzle's object mapping costs seconds.
  const rows = sqlite.prepare(
    `SELECT t.report_id, t.cpt, r.state, r.license, r.channel, r.platform, t.payer, t.modality, t.year,
            ${bandIndexSql("t.paid_cents")} AS paid_band,
            CASE WHEN r.channel IN ('platform', 'group') THEN t.allowed_cents END AS allowed_cents
       FROM rates t JOIN reports r ON r.id = t.report_id
      WHERE r.review_status = 'accepted' AND r.source = ?
      ORDER BY t.report_id, t.line`,
  ).raw(true);

  const years = (sqlite.prepare(
    "SELECT DISTINCT t.year FROM rates t JOIN reports r ON r.id = t.report_id WHERE r.review_status = 'accepted' AND r.source = ? ORDER BY t.year",
  ).raw(true).all(source) as [number][]).map(([year]) => year);
  const dims = dimensions(connection, years);
  const index = <T extends string>(values: readonly T[]) => new Map<string, number>(values.map((v, i) => [v, i]));
  const cptIndex = index(dims.cpts);
  const stateIndex = index(dims.states);
  const licenseIndex = index(dims.licenses);
  const channelIndex = index(dims.channels);
  const platformIndex = index(dims.platforms);
  const payerIndex = index(dims.payers);
  const yearIndex = new Map(years.map((y, i) => [y, i]));

  const rates: BandedRates = {
    length: 0,
    report: new Int32Array(total),
    cpt: new Uint16Array(total),
    state: new Uint8Array(total),
    license: new Uint8Array(total),
    channel: new Uint8Array(total),
    platform: new Int16Array(total),
    payer: new Int16Array(total),
    modality: new Uint8Array(total),
    yearIndex: new Uint8Array(total),
    paidBand: new Uint8Array(total),
    allowedCents: new Int32Array(total),
  };
  let previousId = "";
  let reportOrdinal = -1;
  let aboveTopBand = 0;
  let i = 0;
  for (const row of rows.iterate(source) as Iterable<[string, string, string, string, string, string | null, string | null, string, number, number | null, number | null]>) {
    const [reportId, cpt, state, license, channel, platform, payer, modality, year, paidBand, allowed] = row;
    if (reportId !== previousId) {
      previousId = reportId;
      reportOrdinal++;
    }
    if (paidBand === null) {
      aboveTopBand++; // only reachable if a moderator approved pay of $2,760 or more
      continue;
    }
    rates.report[i] = reportOrdinal;
    rates.cpt[i] = cptIndex.get(cpt)!;
    rates.state[i] = stateIndex.get(state)!;
    rates.license[i] = licenseIndex.get(license)!;
    rates.channel[i] = channelIndex.get(channel)!;
    rates.platform[i] = platform === null ? -1 : platformIndex.get(platform)!;
    rates.payer[i] = payer === null ? -1 : payerIndex.get(payer)!;
    rates.modality[i] = modality === "telehealth" ? 1 : 0;
    rates.yearIndex[i] = yearIndex.get(year)!;
    rates.paidBand[i] = paidBand;
    rates.allowedCents[i] = allowed ?? -1;
    i++;
  }
  rates.length = i;
  return { rates, dims, reportsUsed: reportOrdinal + 1, aboveTopBand };
}

const SHARE_QUESTIONS = [
  { question: "told_of_fee_split", answered: sql<number>`count(${reports.toldOfFeeSplit})`, yes: sql<number>`coalesce(sum(${reports.toldOfFeeSplit}), 0)`, replacedYes: REPLACED_YES.yesNo },
  { question: "rate_cut_12m", answered: sql<number>`count(${reports.rateCut12m})`, yes: sql<number>`coalesce(sum(${reports.rateCut12m}), 0)`, replacedYes: REPLACED_YES.yesNo },
  { question: "can_export_records", answered: sql<number>`count(${reports.canExportRecords})`, yes: sql<number>`coalesce(sum(${reports.canExportRecords}), 0)`, replacedYes: REPLACED_YES.yesNo },
  { question: "non_compete", answered: sql<number>`count(${reports.nonCompete})`, yes: sql<number>`coalesce(sum(${reports.nonCompete}), 0)`, replacedYes: REPLACED_YES.yesNo },
  { question: "equity_offered", answered: sql<number>`count(${reports.equityOffered})`, yes: sql<number>`coalesce(sum(${reports.equityOffered}), 0)`, replacedYes: REPLACED_YES.yesNo },
  { question: "employment_1099", answered: sql<number>`count(${reports.employment})`, yes: sql<number>`coalesce(sum(${reports.employment} = '1099'), 0)`, replacedYes: REPLACED_YES.yesNo },
  { question: "caseload_pressure_high", answered: sql<number>`count(${reports.caseloadPressure})`, yes: sql<number>`coalesce(sum(${reports.caseloadPressure} >= 4), 0)`, replacedYes: REPLACED_YES.scaleHigh },
] as const;

export type PublishedShare = { platform: string; question: string; n: number; sharePct: number; marginPct: number };

/** Debiased shares of the randomized platform-experience answers, per platform and for all platforms. */
export function experienceShares(connection: Connection, source: SnapshotSource): PublishedShare[] {
  const { db } = connection;
  const select = Object.fromEntries(SHARE_QUESTIONS.flatMap((q) => [[`${q.question}_n`, q.answered], [`${q.question}_yes`, q.yes]]));
  const where = and(eq(reports.reviewStatus, "accepted"), eq(reports.source, source), eq(reports.channel, "platform"));
  const perPlatform = db.select({ platform: reports.platform, ...select }).from(reports).where(where).groupBy(reports.platform).orderBy(reports.platform).all();
  const overall = db.select(select).from(reports).where(where).all();
  const groups = [...overall.map((row) => ({ ...row, platform: "all" })), ...perPlatform];
  const shares: PublishedShare[] = [];
  for (const group of groups) {
    const row = group as Record<string, unknown>;
    for (const q of SHARE_QUESTIONS) {
      const share = debiasedShare(Number(row[`${q.question}_yes`]), Number(row[`${q.question}_n`]), q.replacedYes);
      if (share) shares.push({ platform: String(row.platform), question: q.question, ...share });
    }
  }
  return shares;
}

const CELL_COLUMNS = [
  "snapshot_id", "cell_key", "cpt", "geo_level", "geo", "channel", "platform", "payer", "license_level", "license",
  "modality", "year_window", "n", "n_band", "p10", "p25", "p50", "p75", "p90", "p25_band", "p50_band", "p75_band",
  "p50_share_in_band", "medicare", "p50_pct_medicare", "allowed_p50", "take_p50", "take_low", "take_high",
] as const;

export type BuildOptions = { k: number; trigger: SnapshotTrigger; now?: Date };

/** Builds and stores a new snapshot; earlier snapshots are never changed. */
export function buildSnapshot(connection: Connection, options: BuildOptions): SnapshotSummary {
  assertValidK(options.k);
  const source = snapshotSource(acceptedCrowdReports(connection));
  const { rates, dims, reportsUsed, aboveTopBand } = loadBandedRates(connection, source);
  const shares = experienceShares(connection, source);
  const { sqlite, db } = connection;
  const insertCell = sqlite.prepare(
    `INSERT INTO snapshot_cells (${CELL_COLUMNS.join(", ")}) VALUES (${CELL_COLUMNS.map(() => "?").join(", ")})`,
  );
  const writeSnapshot = sqlite.transaction((): SnapshotSummary => {
    const { id } = db.insert(snapshots).values({
      createdAt: (options.now ?? new Date()).toISOString(),
      rulesVersion: RULES_VERSION,
      k: options.k,
      bandEdges: [...BAND_EDGES],
      isDemo: source === "demo",
      reportsUsed,
      cellsPublished: 0,
      cellsSuppressed: {},
      trigger: options.trigger,
    }).returning({ id: snapshots.id }).get();
    let published = 0;
    const tally = computeCells(rates, dims, options.k, (cell: PublishedCell) => {
      published++;
      insertCell.run(
        id, cell.cellKey, cell.cpt, cell.geoLevel, cell.geo, cell.channel, cell.platform, cell.payer, cell.licenseLevel,
        cell.license, cell.modality, cell.yearWindow, cell.n, cell.nBand, cell.p10, cell.p25, cell.p50, cell.p75, cell.p90,
        cell.p25Band, cell.p50Band, cell.p75Band, cell.p50ShareInBand, cell.medicare, cell.p50PctMedicare, cell.allowedP50,
        cell.takeP50, cell.takeLow, cell.takeHigh,
      );
    });
    if (shares.length > 0) db.insert(snapshotShares).values(shares.map((share) => ({ snapshotId: id, ...share }))).run();
    const suppressed = {
      k_reports: tally.kReports,
      take_k_reports: tally.takeKReports,
      tail_percentiles_below_20: tally.tailPercentiles,
      rates_above_top_band: aboveTopBand,
    };
    return db.update(snapshots).set({ cellsPublished: published, cellsSuppressed: suppressed }).where(eq(snapshots.id, id)).returning().get();
  });
  // A large page cache keeps a snapshot's cells from spilling into the WAL mid-transaction.
  const cacheSize = sqlite.pragma("cache_size", { simple: true }) as number;
  sqlite.pragma("cache_size = -262144");
  try {
    return writeSnapshot();
  } finally {
    sqlite.pragma(`cache_size = ${cacheSize}`);
  }
}
