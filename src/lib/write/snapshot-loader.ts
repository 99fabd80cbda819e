// Loads what a snapshot is computed from: accepted reports of one source, with pay already banded
// in SQL, as typed arrays in shared memory (decision 0007).
import { and, count, eq } from "drizzle-orm";
import { licenseTypes, reports, states as statesTable } from "../../../db/schema.ts";
import { bandIndexSql } from "../rules/bands.ts";
import type { BandedRates, Dimensions } from "../rules/cells.ts";
import type { SnapshotSource } from "../rules/sources.ts";
import { CHANNELS, DIVISIONS, LICENSE_GROUPS, LICENSES, STATES } from "../schemas/codes.ts";
import type { Connection } from "../server/db.ts";
import { listCptCodes, listPayers, listPlatforms, medicareAmounts } from "../read/reference.ts";

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

export type Loaded = { rates: BandedRates; dims: Dimensions; reportsUsed: number; aboveTopBand: number };

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
            ${codeOf("platform", dims.platforms)}, verified
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
    verified: shared(Uint8Array),
  };
  // Every included report gets a dense ordinal; rows of other reports (pending, rejected, the
  // other source) find no ordinal and are skipped.
  const reportOrdinals = new Map<string, number>();
  const reportState: number[] = [];
  const reportLicense: number[] = [];
  const reportChannel: number[] = [];
  const reportPlatform: number[] = [];
  const reportVerified: number[] = [];
  const reportParams = [...dims.states, ...dims.licenses, ...dims.channels, ...dims.platforms, source];
  for (const [id, state, license, channel, platform, verified] of reportRows.iterate(reportParams) as Iterable<[string, number, number, number, number, number]>) {
    if (state < 0 || license < 0 || channel < 0) throw new Error("a report has a code missing from the reference data");
    reportOrdinals.set(id, reportOrdinals.size);
    reportState.push(state);
    reportLicense.push(license);
    reportChannel.push(channel);
    reportPlatform.push(platform);
    reportVerified.push(verified);
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
    rates.verified[i] = reportVerified[reportOrdinal]!;
    rates.allowedCents[i] = allowed !== null && (channel === platformChannel || channel === groupChannel) ? allowed : -1;
    i++;
  }
  rates.length = i;
  const years = [...new Set(rawYears.subarray(0, i))].sort((a, b) => a - b);
  const yearIndex = new Map(years.map((y, index) => [y, index]));
  for (let j = 0; j < i; j++) rates.yearIndex[j] = yearIndex.get(rawYears[j]!)!;
  return { rates, dims: { ...dims, years }, reportsUsed: reportOrdinals.size, aboveTopBand };
}
