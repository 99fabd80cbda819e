// `npm run bench:history`: 365 demo-sized snapshots (2,000 demo reports, a few replaced before each
// build, so that cells change as they would day by day), then the built server answers
// history.json for distinct whole cells (each a first request, not a cached answer) and the platform
// and payer profiles (each with its rate history). Goal (issue 15): p99 under 50 ms for both.
// In the same run and process, one cell's history read from the recorded changes and, as before
// they were recorded, from every snapshot file, side by side.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { demoVerifiedFlags, generateDemoReports } from "../../db/seed/demo.ts";
import { buildIfNeeded } from "../../scripts/lib/build.ts";
import { startServer, type RunningServer } from "../helpers/server.ts";
import { cellSeries } from "../../src/lib/read/cell-changes.ts";
import { publishedTakeOf } from "../../src/lib/read/payer-rates.ts";
import { findCells, latestSnapshot, listSnapshots } from "../../src/lib/read/published.ts";
import { medicareAmounts } from "../../src/lib/read/reference.ts";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { randomId } from "../../src/lib/write/receipts.ts";
import { loadReferenceData } from "../../src/lib/write/reference-seed.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { printBenchJson } from "./bench-json.ts";

const { values } = parseArgs({ options: { db: { type: "string" }, snapshots: { type: "string", default: "365" }, cells: { type: "string", default: "300" }, rounds: { type: "string", default: "10" } } });
function count(name: "snapshots" | "cells" | "rounds"): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench:history: --${name} must be a whole number of at least 1, not "${values[name]}"`);
    process.exit(2);
  }
  return value;
}
const SNAPSHOTS = count("snapshots");
const CELLS = count("cells");
const ROUNDS = count("rounds");
const REPORTS = 2000;
const REPLACED = 6;
const GOAL_MS = 50;

function insertDemoReports(connection: Connection, count: number, seed: number): void {
  const { sqlite } = connection;
  const insertReport = sqlite.prepare(
    `INSERT INTO reports (id, receipt_hash, month, state, license, years_licensed, channel, platform, employment, review_status, source, verified)
     VALUES (?, ?, '2026-11', ?, ?, ?, ?, ?, ?, 'accepted', 'demo', ?)`,
  );
  const insertRate = sqlite.prepare(
    "INSERT INTO rates (report_id, line, cpt, modality, payer, plan_type, year, paid_cents, allowed_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const reports = generateDemoReports(medicareAmounts(connection.db), count, seed);
  const verified = demoVerifiedFlags(reports.length, seed);
  sqlite.transaction(() => {
    reports.forEach((r, index) => {
      const id = randomId();
      insertReport.run(id, id, r.state, r.license, r.years_licensed, r.channel, r.platform ?? null, r.employment ?? null, verified[index] ? 1 : 0);
      r.rates.forEach((rate, i) => insertRate.run(id, i + 1, rate.cpt, rate.modality, rate.payer ?? null, rate.plan_type, rate.year,
        Math.round(rate.paid * 100), rate.allowed == null ? null : Math.round(rate.allowed * 100)));
    });
  })();
}

function buildHistory(path: string): { seconds: number; changes: number } {
  const connection = openDatabase(path);
  migrateDatabase(connection);
  loadReferenceData(connection.db);
  insertDemoReports(connection, REPORTS, 1);
  const started = performance.now();
  for (let i = 0; i < SNAPSHOTS; i++) {
    if (i > 0) {
      connection.sqlite.exec(`DELETE FROM reports WHERE id IN (SELECT id FROM reports ORDER BY random() LIMIT ${REPLACED})`);
      insertDemoReports(connection, REPLACED, 1000 + i);
    }
    buildSnapshot(connection, { k: 5, trigger: "script", parallel: false });
    if ((i + 1) % 25 === 0 || i + 1 === SNAPSHOTS) console.log(`built ${i + 1} of ${SNAPSHOTS} snapshots (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const changes = (connection.sqlite.prepare("SELECT count(*) AS n FROM cell_changes").get() as { n: number }).n;
  connection.sqlite.close();
  return { seconds: (performance.now() - started) / 1000, changes };
}

/** history.json's query for each of the current snapshot's cells of one kind, a spread of them. */
function historyQueries(path: string): string[] {
  const connection = openDatabase(path);
  const current = latestSnapshot(connection.db)!;
  const cells = findCells(connection.db, current.id, { geoLevel: "state" }, { limit: 100_000 });
  connection.sqlite.close();
  const step = Math.max(1, Math.floor(cells.length / CELLS));
  return cells.filter((_, i) => i % step === 0).slice(0, CELLS + 1).map((cell) => {
    const params = new URLSearchParams({ cpt: cell.cpt, state: cell.geo, channel: cell.channel ?? "all", platform: cell.platform ?? "all", payer: cell.payer ?? "all" });
    params.set(cell.licenseLevel === "group" ? "license_group" : "license", cell.license ?? "all");
    params.set("modality", cell.modality);
    params.set("year", cell.yearWindow);
    return `/api/v1/history.json?${params}`;
  });
}

/** One cell's history in process: from the recorded changes, and from every file as before issue 15. */
function inProcess(path: string): { recordedMs: number; filesMs: number; points: number } {
  const connection = openDatabase(path);
  const { db } = connection;
  const current = latestSnapshot(db)!;
  const [cell] = findCells(db, current.id, { cpt: "90837", geoLevel: "national", channel: null, platform: null, payer: null, licenseLevel: "all", modality: "all" }, { limit: 1 });
  let started = performance.now();
  const points = cellSeries(db, current, cell!.cellKey).length;
  const recordedMs = performance.now() - started;
  started = performance.now();
  const fromFiles = listSnapshots(db).reverse().flatMap((snapshot) => findCells(db, snapshot.id, { cellKey: cell!.cellKey }, { limit: 1 }).map((c) => publishedTakeOf(db, snapshot)(c)));
  const filesMs = performance.now() - started;
  if (fromFiles.length !== points) throw new Error(`the recorded history has ${points} points, the files ${fromFiles.length}`);
  connection.sqlite.close();
  return { recordedMs, filesMs, points };
}

async function timed(url: string): Promise<{ ms: number; status: number; body: string }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = await response.text();
  return { ms: performance.now() - started, status: response.status, body };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

buildIfNeeded();
const dir = mkdtempSync(join(tmpdir(), "ratecard-bench-history-"));
// --db PATH keeps the database (and reuses it when it exists), to measure again without rebuilding.
const path = values.db ?? join(dir, "ratecard.db");
let server: RunningServer | undefined;
try {
  const built = values.db && existsSync(values.db) ? { seconds: 0, changes: 0 } : buildHistory(path);
  console.log(`${SNAPSHOTS} snapshots in ${built.seconds.toFixed(0)} s; ${built.changes.toLocaleString("en-US")} cell changes recorded`);
  const local = inProcess(path);
  console.log(`one cell's history of ${local.points} points in process: ${local.recordedMs.toFixed(1)} ms from the recorded changes, ${local.filesMs.toFixed(0)} ms from every file`);
  const queries = historyQueries(path);
  server = await startServer({ dbPath: path, timeoutMs: 120_000 });
  const base = server.url;
  // One request of each kind first, so that the figures are of a running server, not of its first answer.
  const [warmUp, ...measured] = queries;
  await timed(`${base}${warmUp}`);
  await timed(`${base}/platforms/alma`);
  const history: number[] = [];
  for (const query of measured) {
    const { ms, status, body } = await timed(`${base}${query}`);
    if (status !== 200) throw new Error(`${query} answered ${status}: ${body.slice(0, 200)}`);
    const rows = (JSON.parse(body) as { rows: unknown[] }).rows.length;
    if (rows === 0) throw new Error(`${query} answered no rows`);
    history.push(ms);
  }
  const slugs = async (table: string) => ((JSON.parse((await timed(`${base}/api/v1/reference/${table}.json`)).body) as { rows: { slug: string }[] }).rows).map((r) => r.slug);
  const pages = [...(await slugs("platforms")).map((s) => `/platforms/${s}`), ...(await slugs("payers")).map((s) => `/payers/${s}`)];
  const profile: number[] = [];
  const slowest: { url: string; ms: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const page of pages) {
      for (const suffix of ["", "?verified=true"]) {
        const { ms, status, body } = await timed(`${base}${page}${suffix}`);
        if (status !== 200) throw new Error(`${page}${suffix} answered ${status}`);
        if (round === 0 && !body.includes('id="history-heading"')) throw new Error(`${page}${suffix} shows no rate history`);
        profile.push(ms);
        slowest.push({ url: `${page}${suffix}`, ms });
      }
    }
  }
  const rows = [
    { name: `history.json p99, ${history.length} distinct cells, ${SNAPSHOTS} snapshots`, value: Number(percentile(history, 0.99).toFixed(1)), unit: "ms", goal: `< ${GOAL_MS} ms`, met: percentile(history, 0.99) < GOAL_MS },
    { name: "history.json p50", value: Number(percentile(history, 0.5).toFixed(1)), unit: "ms", goal: "", met: null },
    { name: `profile page p99, ${profile.length} requests of ${pages.length * 2} pages`, value: Number(percentile(profile, 0.99).toFixed(1)), unit: "ms", goal: `< ${GOAL_MS} ms`, met: percentile(profile, 0.99) < GOAL_MS },
    { name: "profile page p50", value: Number(percentile(profile, 0.5).toFixed(1)), unit: "ms", goal: "", met: null },
    { name: "one cell's history in process, recorded changes", value: Number(local.recordedMs.toFixed(1)), unit: "ms", goal: "", met: null },
    { name: "one cell's history in process, every file (before)", value: Math.round(local.filesMs), unit: "ms", goal: "", met: null },
    { name: `building the ${SNAPSHOTS} snapshots`, value: Math.round(built.seconds), unit: "s", goal: "", met: null },
  ];
  console.log(`slowest profile requests: ${slowest.sort((a, b) => b.ms - a.ms).slice(0, 5).map((r) => `${r.url} ${r.ms.toFixed(0)} ms`).join(", ")}`);
  console.log("");
  for (const row of rows) console.log(`${row.name.padEnd(70)} ${String(row.value).padStart(8)} ${row.unit}${row.goal ? `   goal ${row.goal}: ${row.met ? "met" : "NOT met"}` : ""}`);
  printBenchJson("history", rows);
} finally {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
