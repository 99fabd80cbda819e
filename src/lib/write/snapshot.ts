// Builds an immutable snapshot: loads accepted reports with pay already banded in SQL, computes
// the cells with the pure rules (on two threads when large), writes them to a snapshot file and
// publishes it by renaming it into place as the snapshot is indexed (decisions 0007, 0009).
import { and, count, eq, sql } from "drizzle-orm";
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writevSync } from "node:fs";
import { join } from "node:path";
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { licenseTypes, reports, snapshots, states as statesTable } from "../../../db/schema.ts";
import { BAND_EDGES, bandIndexSql } from "../rules/bands.ts";
import { computeCells, type BandedRates, type Dimensions, type SuppressionTally } from "../rules/cells.ts";
import { assertValidK } from "../rules/eligibility.ts";
import { REPLACED_YES, debiasedShare } from "../rules/randomized-response.ts";
import { snapshotSource, type SnapshotSource } from "../rules/sources.ts";
import { RULES_VERSION } from "../rules/version.ts";
import { cellKeyOf } from "../rules/cell-key.ts";
import { CHANNELS, DIVISIONS, LICENSE_GROUPS, LICENSES, STATES } from "../schemas/codes.ts";
import { snapshotsDirOf, type Connection } from "../server/db.ts";
import { latestSnapshot, snapshotFileName } from "../read/published.ts";
import { randomId } from "./receipts.ts";
import { claimFromFront, cptClaims } from "./cpt-claims.ts";
import { SnapshotFileWriter, diffSnapshotFiles, readSnapshotFile, type FileDiff, type WrittenColumns } from "../read/snapshot-file.ts";
import { listCptCodes, listPayers, listPlatforms, medicareAmounts } from "../server/reference.ts";

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

function dimensions(connection: Connection, years: readonly number[]): Dimensions {
  const { db } = connection;
  const divisionIndex = new Map(DIVISIONS.map((d, i) => [d as string, i]));
  const divisionOf = new Map(db.select().from(statesTable).all().map((s) => [s.code, s.division]));
  const groupIndex = new Map(LICENSE_GROUPS.map((g, i) => [g as string, i]));
  const groupOf = new Map(db.select().from(licenseTypes).all().map((l) => [l.slug, l.groupSlug]));
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
    medicareCents: medicareAmounts(db),
  };
}

type Loaded = { rates: BandedRates; dims: Dimensions; reportsUsed: number; aboveTopBand: number };

/**
 * Reads the snapshot's rates. The query selects each pay amount as its band index and a payer
 * amount only for platform and group rates, so no exact pay reaches the statistics.
 */
export function loadBandedRates(connection: Connection, source: SnapshotSource): Loaded {
  const { sqlite } = connection;
  // Two sequential scans joined here are several times faster than SQLite's join of a million
  // reports by text id. Raw better-sqlite3: drizzle's object mapping would cost seconds.
  const dims = dimensions(connection, []);
  // Codes become small integers inside SQLite (CASE over the known values, bound as parameters),
  // which spares creating a million JavaScript strings per column. Unknown values give -1.
  const codeOf = (column: string, values: readonly string[]) =>
    values.length === 0 ? "-1" : `CASE ${column} ${values.map((_, i) => `WHEN ? THEN ${i}`).join(" ")} ELSE -1 END`;
  const reportRows = sqlite.prepare(
    `SELECT id, ${codeOf("state", dims.states)}, ${codeOf("license", dims.licenses)}, ${codeOf("channel", dims.channels)},
            ${codeOf("platform", dims.platforms)}
       FROM reports WHERE review_status = 'accepted' AND source = ?`,
  ).raw(true);
  const capacity = (sqlite.prepare("SELECT count(*) AS n FROM rates").get() as { n: number }).n;
  const rows = sqlite.prepare(
    `SELECT report_id, ${codeOf("cpt", dims.cpts)}, ${codeOf("payer", dims.payers)}, modality = 'telehealth', year,
            ${bandIndexSql("paid_cents")} AS paid_band, allowed_cents
       FROM rates`,
  ).raw(true);
  const rawYears = new Uint16Array(capacity);

  // In shared memory, so that a second thread reads the same arrays without a copy.
  const shared = <T>(Kind: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }) =>
    new Kind(new SharedArrayBuffer(Math.max(1, capacity) * Kind.BYTES_PER_ELEMENT));
  const rates: BandedRates = {
    length: 0,
    report: shared(Int32Array),
    cpt: shared(Uint16Array),
    state: shared(Uint8Array),
    license: shared(Uint8Array),
    channel: shared(Uint8Array),
    platform: shared(Int16Array),
    payer: shared(Int16Array),
    modality: shared(Uint8Array),
    yearIndex: shared(Uint8Array),
    paidBand: shared(Uint8Array),
    allowedCents: shared(Int32Array),
  };
  // Every included report gets a dense ordinal; rows of other reports (pending, rejected, the
  // other source) find no ordinal and are skipped.
  const reportOrdinals = new Map<string, number>();
  const reportState: number[] = [];
  const reportLicense: number[] = [];
  const reportChannel: number[] = [];
  const reportPlatform: number[] = [];
  const reportParams = [...dims.states, ...dims.licenses, ...dims.channels, ...dims.platforms, source];
  for (const [id, state, license, channel, platform] of reportRows.iterate(reportParams) as Iterable<[string, number, number, number, number]>) {
    if (state < 0 || license < 0 || channel < 0) throw new Error("a report has a code missing from the reference data");
    reportOrdinals.set(id, reportOrdinals.size);
    reportState.push(state);
    reportLicense.push(license);
    reportChannel.push(channel);
    reportPlatform.push(platform);
  }
  const platformChannel = dims.channels.indexOf("platform");
  const groupChannel = dims.channels.indexOf("group");
  let aboveTopBand = 0;
  let i = 0;
  for (const row of rows.iterate([...dims.cpts, ...dims.payers]) as Iterable<[string, number, number, number, number, number | null, number | null]>) {
    const [reportId, cpt, payer, telehealth, year, paidBand, allowed] = row;
    const reportOrdinal = reportOrdinals.get(reportId);
    if (reportOrdinal === undefined) continue;
    if (paidBand === null) {
      aboveTopBand++; // only reachable if a moderator approved pay of $2,760 or more
      continue;
    }
    if (cpt < 0) throw new Error("a rate has a CPT code missing from the reference data");
    const channel = reportChannel[reportOrdinal]!;
    rates.report[i] = reportOrdinal;
    rates.cpt[i] = cpt;
    rates.state[i] = reportState[reportOrdinal]!;
    rates.license[i] = reportLicense[reportOrdinal]!;
    rates.channel[i] = channel;
    rates.platform[i] = reportPlatform[reportOrdinal]!;
    rates.payer[i] = payer;
    rates.modality[i] = telehealth;
    rawYears[i] = year;
    rates.paidBand[i] = paidBand;
    // The payer amount of a direct rate is the therapist's own pay: it never reaches the statistics.
    rates.allowedCents[i] = allowed !== null && (channel === platformChannel || channel === groupChannel) ? allowed : -1;
    i++;
  }
  rates.length = i;
  const years = [...new Set(rawYears.subarray(0, i))].sort((a, b) => a - b);
  const yearIndex = new Map(years.map((y, index) => [y, index]));
  for (let j = 0; j < i; j++) rates.yearIndex[j] = yearIndex.get(rawYears[j]!)!;
  return { rates, dims: { ...dims, years }, reportsUsed: reportOrdinals.size, aboveTopBand };
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

export type BuildOptions = {
  k: number;
  trigger: SnapshotTrigger;
  now?: Date;
  /** Use a second thread; by default from PARALLEL_FROM_RATES rates on. */
  parallel?: boolean;
};

type FileResult = { published: number; tally: SuppressionTally };

/** From this many rates, a second thread computes part of the cells. */
export const PARALLEL_FROM_RATES = 200_000;

function addTallies(a: SuppressionTally, b: SuppressionTally): SuppressionTally {
  return { kReports: a.kReports + b.kReports, takeKReports: a.takeKReports + b.takeKReports, tailPercentiles: a.tailPercentiles + b.tailPercentiles };
}

/**
 * Computes every cell into the writer. With `parallel`, CPTs are split in order into two runs and
 * a worker thread computes the second while this thread computes the first; cells keep CPT order,
 * so the file is the same either way.
 */
function computeInto<T>(writer: SnapshotFileWriter, loaded: Loaded, k: number, parallel: boolean, meanwhile: () => T): [SuppressionTally, T] {
  const { rates, dims } = loaded;
  if (!parallel || dims.cpts.length < 2) {
    const extra = meanwhile();
    return [computeCells(rates, dims, k, (cell) => writer.add(cell)), extra];
  }
  const claims = cptClaims(dims.cpts.length);
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL("./snapshot-worker.ts", import.meta.url), {
    workerData: { rates, dims, k, port: port2, done, claims },
    transferList: [port2],
  });
  try {
    // Other work of this thread (the shares query) runs while the worker starts computing.
    const extra = meanwhile();
    const first = computeCells(rates, dims, k, (cell) => writer.add(cell), claimFromFront(claims));
    // Synchronous wait keeps buildSnapshot synchronous; the worker always signals, even on error.
    if (Atomics.wait(done, 0, 0, 30 * 60_000) === "timed-out") throw new Error("snapshot worker timed out");
    const message = receiveMessageOnPort(port1)?.message as
      | { ok: true; columns: WrittenColumns; tally: SuppressionTally }
      | { ok: false; message: string }
      | undefined;
    if (!message) throw new Error("snapshot worker sent nothing");
    if (!message.ok) throw new Error(`snapshot worker failed: ${message.message}`);
    writer.append(message.columns, dims.cpts);
    return [addTallies(first, message.tally), extra];
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/** Writes a snapshot's cells and shares into a new file (src/lib/read/snapshot-file.ts) and syncs it. */
function writeSnapshotFile(path: string, loaded: Loaded, shares: () => PublishedShare[], k: number, parallel: boolean): FileResult {
  const writer = new SnapshotFileWriter();
  const [tally, published] = computeInto(writer, loaded, k, parallel, shares);
  const fd = openSync(path, "wx");
  try {
    writevSync(fd, writer.toParts(published));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { published: writer.rows, tally };
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Temporary files of builds that crashed more than an hour ago. */
function removeAbandonedBuilds(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith("building-")) continue;
    const path = join(dir, name);
    if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
  }
}

/**
 * Builds and publishes a new snapshot: its file is written and synced, then renamed into place in
 * the same transaction that adds it to the index, so readers see a snapshot only when it is
 * complete. Earlier snapshots are never changed.
 */
export function buildSnapshot(connection: Connection, options: BuildOptions): SnapshotSummary {
  assertValidK(options.k);
  const source = snapshotSource(acceptedCrowdReports(connection));
  const loaded = loadBandedRates(connection, source);
  const { sqlite, db } = connection;
  const dir = snapshotsDirOf(sqlite);
  mkdirSync(dir, { recursive: true });
  removeAbandonedBuilds(dir);
  const temporary = join(dir, `building-${randomId()}.snapshot`);
  try {
    const parallel = options.parallel ?? loaded.rates.length >= PARALLEL_FROM_RATES;
    const { published, tally } = writeSnapshotFile(temporary, loaded, () => experienceShares(connection, source), options.k, parallel);
    return sqlite.transaction((): SnapshotSummary => {
      const summary = db.insert(snapshots).values({
        createdAt: (options.now ?? new Date()).toISOString(),
        rulesVersion: RULES_VERSION,
        k: options.k,
        bandEdges: [...BAND_EDGES],
        isDemo: source === "demo",
        reportsUsed: loaded.reportsUsed,
        cellsPublished: published,
        cellsSuppressed: {
          k_reports: tally.kReports,
          take_k_reports: tally.takeKReports,
          tail_percentiles_below_20: tally.tailPercentiles,
          rates_above_top_band: loaded.aboveTopBand,
        },
        trigger: options.trigger,
      }).returning().get();
      renameSync(temporary, join(dir, snapshotFileName(summary.id)));
      fsyncPath(dir);
      return summary;
    })();
  } finally {
    rmSync(temporary, { force: true });
  }
}

export type SnapshotPreview = {
  source: SnapshotSource;
  reportsUsed: number;
  published: number;
  tally: SuppressionTally;
  diff: FileDiff;
};

/** What publishing now would change against the current snapshot, without publishing anything. */
export function previewSnapshot(connection: Connection, k: number): SnapshotPreview {
  assertValidK(k);
  const source = snapshotSource(acceptedCrowdReports(connection));
  const loaded = loadBandedRates(connection, source);
  const writer = new SnapshotFileWriter();
  const [tally] = computeInto(writer, loaded, k, loaded.rates.length >= PARALLEL_FROM_RATES, () => undefined);
  const draft = readSnapshotFile(writer.toBuffer([]));
  const current = latestSnapshot(connection.db);
  const before = current ? readSnapshotFile(readFileSync(join(snapshotsDirOf(connection.sqlite), snapshotFileName(current.id)))) : null;
  return { source, reportsUsed: loaded.reportsUsed, published: writer.rows, tally, diff: diffSnapshotFiles(before, draft, cellKeyOf) };
}
