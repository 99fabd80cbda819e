// Loads what a snapshot is computed from: accepted reports of one source, with pay already banded
// in SQL, as typed arrays in shared memory (decision 0007).
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { and, count, eq } from "drizzle-orm";
import { licenseTypes, reports, states as statesTable } from "../../../db/schema.ts";
import { BAND_COUNT, bandIndexSql } from "../rules/bands.ts";
import type { BandedRates, Dimensions } from "../rules/cells.ts";
import type { SnapshotSource } from "../rules/sources.ts";
import { CHANNELS, DIVISIONS, LICENSE_GROUPS, LICENSES, STATES } from "../schemas/codes.ts";
import type { Connection } from "../server/db.ts";
import { listCptCodes, listPayers, listPlatforms, medicareAmounts } from "../read/reference.ts";
import { workerFile } from "./worker-file.ts";

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

export type Loaded = {
  rates: BandedRates; dims: Dimensions; reportsUsed: number; aboveTopBand: number;
  /** Whether the rates were read on a second connection, in a worker (file databases). */
  ratesReadElsewhere?: boolean;
};

/** `CASE column WHEN v THEN i ... ELSE -1 END` over the known values, as a binary search on their (byte) order. */
function codeSql(column: string, values: readonly string[]): { sql: string; params: string[] } {
  const sorted = values.map((value, index) => ({ value, index })).sort((a, b) => Buffer.compare(Buffer.from(a.value), Buffer.from(b.value)));
  const params: string[] = [];
  const build = (lo: number, hi: number): string => {
    if (hi - lo <= 4) {
      const arms = sorted.slice(lo, hi).map(({ value, index }) => (params.push(value), `WHEN ? THEN ${index}`));
      return `CASE ${column} ${arms.join(" ")} ELSE -1 END`;
    }
    const mid = (lo + hi) >> 1;
    params.push(sorted[mid]!.value);
    const condition = `WHEN ${column} < ?`;
    return `CASE ${condition} THEN ${build(lo, mid)} ELSE ${build(mid, hi)} END`;
  };
  return values.length === 0 ? { sql: "-1", params } : { sql: build(0, sorted.length), params };
}

/** Radix-packs small non-negative integer fields (SQL expressions) into one SQL integer; see unpack. */
function packSql(fields: readonly (readonly [string, number])[]): string {
  return fields.reduce((sql, [field, radix], i) => (i === 0 ? `(${field})` : `(${sql}) * ${radix} + (${field})`), "");
}

/**
 * Reads the snapshot's rates. The query selects each pay amount as its band index and a payer
 * amount only for platform and group rates, so no exact pay reaches the statistics.
 */
export function loadBandedRates(connection: Connection, source: SnapshotSource): Loaded {
  const { sqlite } = connection;
  // The rate query runs on a second connection, in a worker, while this thread reads the
  // reports; its rows are used only when no other connection committed anything meanwhile
  // (data_version unchanged around both reads), so both saw the same database.
  if (!sqlite.memory && !connection.readOnlyDisk && !sqlite.inTransaction && LOADER_WORKER !== null) {
    const before = dataVersion(connection);
    let used = false;
    const elsewhere: ElsewhereQuery = (sql, params) => {
      const wait = rowsFromWorker(sqlite.name, sql, params);
      return () => {
        const rows = wait();
        used = rows !== null;
        return rows;
      };
    };
    const loaded = sqlite.transaction(() => loadInOneRead(connection, source, elsewhere))();
    if (!used || dataVersion(connection) === before) return { ...loaded, ratesReadElsewhere: used };
  }
  return { ...sqlite.transaction(() => loadInOneRead(connection, source, null))(), ratesReadElsewhere: false };
}

const LOADER_WORKER = workerFile("snapshot-loader-worker.ts", import.meta.url);

function dataVersion(connection: Connection): number {
  return connection.sqlite.pragma("data_version", { simple: true }) as number;
}

/** Starts the query in a worker; the returned function waits for its rows (null when it failed). */
function rowsFromWorker(path: string, sql: string, params: (string | number)[]): () => Float64Array | null {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(LOADER_WORKER!, { workerData: { path, sql, params, port: port2, done }, transferList: [port2] });
  return () => {
    try {
      if (Atomics.wait(done, 0, 0, 10 * 60_000) === "timed-out") return null;
      const message = receiveMessageOnPort(port1)?.message as { ok: true; rows: Float64Array } | { ok: false } | undefined;
      return message?.ok ? message.rows : null;
    } finally {
      port1.close();
      void worker.terminate();
    }
  };
}

/** Runs a query elsewhere and returns a function that waits for its packed rows (null: it failed). */
type ElsewhereQuery = (sql: string, params: (string | number)[]) => () => ArrayLike<number> | null;

function loadInOneRead(connection: Connection, source: SnapshotSource, elsewhere: ElsewhereQuery | null): Loaded {
  const { sqlite } = connection;
  const dims = dimensions(connection, []);
  // Every value crosses from SQLite as ONE packed integer per row (pluck), which is several times
  // faster than rows of columns, and codes become small integers inside SQLite (a CASE over the
  // known values, bound as parameters), which spares creating a million strings per column.
  // Unknown values give code −1, packed as 0 (every field is code + 1).
  const codes = (column: string, values: readonly string[]) => {
    const { sql, params } = codeSql(column, values);
    return { sql: `(${sql}) + 1`, params, radix: values.length + 1 };
  };
  const included = "reports.review_status = 'accepted' AND reports.source = ?";

  // 1. The included reports in id order, each with its report-level codes and its number of rates.
  const reportFields = [
    codes("reports.state", dims.states), codes("reports.license", dims.licenses),
    codes("reports.channel", dims.channels), codes("reports.platform", dims.platforms),
    { sql: "reports.verified = 1", params: [], radix: 2 },
  ];
  const reportRadix = reportFields.reduce((product, f) => product * f.radix, 1);

  // 2. Their rates in the same report order: rate-level codes, the year, the paid band and the
  // payer amount (null above the top band / without one, both packed as 0).
  const yearRange = sqlite.prepare("SELECT min(year) AS first, max(year) AS last FROM rates").get() as { first: number | null; last: number | null };
  const firstYear = yearRange.first ?? 0;
  const rateFields = [
    { sql: `rates.year - ${Math.trunc(firstYear)}`, params: [] as string[], radix: Math.trunc((yearRange.last ?? 0) - firstYear) + 1 },
    codes("rates.cpt", dims.cpts), codes("rates.payer", dims.payers),
    { sql: "rates.modality = 'telehealth'", params: [], radix: 2 },
    { sql: `ifnull(${bandIndexSql("rates.paid_cents")} + 1, 0)`, params: [], radix: BAND_COUNT + 1 },
  ];
  const rateRadix = rateFields.reduce((product, f) => product * f.radix, 1);
  // The payer amount + 1 in cents (0 when there is none), as in an Int32Array.
  const allowedSql = "CASE WHEN rates.allowed_cents BETWEEN 0 AND 2147483646 THEN rates.allowed_cents + 1 ELSE 0 END";
  const rateSql = packSql(rateFields.map((f) => [f.sql, f.radix] as const));
  const rateParams = [...rateFields.flatMap((f) => f.params), source];
  const from = `FROM reports JOIN rates ON rates.report_id = reports.id WHERE ${included} ORDER BY reports.id`;
  if (reportRadix > 2 ** 20 || rateRadix > 2 ** 40) throw new Error("too many reference values to pack a snapshot's rates");
  // The payer amount joins the packed integer while it fits in 53 bits; else it is a second column.
  const allowedPacked = rateRadix * 2 ** 31 <= Number.MAX_SAFE_INTEGER;
  // The rate query starts elsewhere (when it can) before this thread reads the reports.
  let rateRows: ArrayLike<number>;
  let allowedRows: number[] | null = null;
  const packedSql = `SELECT (${allowedSql}) * ${rateRadix} + ${rateSql} ${from}`;
  const waitForRates = allowedPacked && elsewhere ? elsewhere(packedSql, rateParams) : null;
  let reportRows: number[];
  try {
    reportRows = sqlite.prepare(
      `SELECT ${packSql([["(SELECT count(*) FROM rates WHERE rates.report_id = reports.id)", 1], ...reportFields.map((f) => [f.sql, f.radix] as const)])}
         FROM reports WHERE ${included} ORDER BY reports.id`,
    ).pluck().all(...reportFields.flatMap((f) => f.params), source) as number[];
  } catch (error) {
    waitForRates?.();
    throw error;
  }
  const fromElsewhere = waitForRates ? waitForRates() : null;
  if (fromElsewhere) {
    rateRows = fromElsewhere;
  } else if (allowedPacked) {
    rateRows = sqlite.prepare(packedSql).pluck().all(...rateParams) as number[];
  } else {
    const rows = sqlite.prepare(`SELECT ${rateSql}, ${allowedSql} ${from}`).raw(true).all(...rateParams) as [number, number][];
    rateRows = rows.map((row) => row[0]);
    allowedRows = rows.map((row) => row[1]);
  }
  const capacity = rateRows.length;
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
    verified: shared(Uint8Array),
  };
  const platformChannel = dims.channels.indexOf("platform");
  const groupChannel = dims.channels.indexOf("group");
  const [stateRadix, licenseRadix, channelRadix, platformRadix] = reportFields.map((f) => f.radix) as [number, number, number, number];
  const [yearRadix, cptRadix, payerRadix] = rateFields.map((f) => f.radix) as [number, number, number];
  let aboveTopBand = 0;
  let i = 0;
  let at = 0; // next rate row
  // Every included report gets a dense ordinal: its position in id order.
  for (let reportOrdinal = 0; reportOrdinal < reportRows.length; reportOrdinal++) {
    let packed = reportRows[reportOrdinal]!;
    let rest = packed % reportRadix;
    const rateCount = (packed - rest) / reportRadix;
    const verified = rest % 2; rest = (rest - verified) / 2;
    const platform = (rest % platformRadix) - 1; rest = (rest - platform - 1) / platformRadix;
    const channel = (rest % channelRadix) - 1; rest = (rest - channel - 1) / channelRadix;
    const license = (rest % licenseRadix) - 1; rest = (rest - license - 1) / licenseRadix;
    const state = (rest % stateRadix) - 1;
    if (state < 0 || license < 0 || channel < 0) throw new Error("a report has a code missing from the reference data");
    const carriesAllowed = channel === platformChannel || channel === groupChannel;
    for (const end = at + rateCount; at < end; at++) {
      packed = rateRows[at]!;
      let r = allowedRows === null ? packed % rateRadix : packed;
      const allowed = (allowedRows === null ? (packed - r) / rateRadix : allowedRows[at]!) - 1;
      const paidBand = (r % (BAND_COUNT + 1)) - 1; r = (r - paidBand - 1) / (BAND_COUNT + 1);
      const telehealth = r % 2; r = (r - telehealth) / 2;
      const payer = (r % payerRadix) - 1; r = (r - payer - 1) / payerRadix;
      const cpt = (r % cptRadix) - 1; r = (r - cpt - 1) / cptRadix;
      const year = firstYear + (r % yearRadix);
      if (paidBand < 0) {
        aboveTopBand++; // only reachable if a moderator approved pay of $2,760 or more
        continue;
      }
      if (cpt < 0) throw new Error("a rate has a CPT code missing from the reference data");
      rates.report[i] = reportOrdinal;
      rates.cpt[i] = cpt;
      rates.state[i] = state;
      rates.license[i] = license;
      rates.channel[i] = channel;
      rates.platform[i] = platform;
      rates.payer[i] = payer;
      rates.modality[i] = telehealth;
      rawYears[i] = year;
      rates.paidBand[i] = paidBand;
      // The payer amount of a direct rate is the therapist's own pay: it never reaches the statistics.
      rates.verified[i] = verified;
      rates.allowedCents[i] = allowed >= 0 && carriesAllowed ? allowed : -1;
      i++;
    }
  }
  if (at !== rateRows.length) throw new Error("the rates read do not match their reports");
  rates.length = i;
  const years = [...new Set(rawYears.subarray(0, i))].sort((a, b) => a - b);
  const yearIndex = new Map(years.map((y, index) => [y, index]));
  for (let j = 0; j < i; j++) rates.yearIndex[j] = yearIndex.get(rawYears[j]!)!;
  return { rates, dims: { ...dims, years }, reportsUsed: reportRows.length, aboveTopBand };
}
