// `npm run bench:submit [-- --duration 10 --connections 32]`: POST /api/v1/reports throughput of
// the built server on loopback, rate limiter off (RATECARD_RATE_LIMIT=0, for the bench only), on a
// temporary database with synchronous=FULL, so every 201 counted is durable. Prints reports/s and
// p50/p99 latency. Goal: ≥ 1,000 reports/s on the 2-core CI machine.
import Database from "better-sqlite3";
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs";
import { Agent } from "node:http";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildIfNeeded } from "../../scripts/lib/build.ts";
import { startServer } from "../helpers/server.ts";
import { quantile, validReport } from "../hardening/support.ts";
import { rawRequest } from "../helpers/http.ts";
import { printBenchJson } from "./bench-json.ts";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "32" },
    warmup: { type: "string", default: "1" },
    // Load a server that is already running (for profiling it), instead of starting one.
    url: { type: "string" },
  },
});
const durationMs = Number(values.duration) * 1000;
const connections = Number(values.connections);
const warmupMs = Number(values.warmup) * 1000;
if (!(durationMs > 0) || !(connections > 0) || !(warmupMs >= 0)) {
  console.error("--duration and --connections must be positive numbers (seconds, connections).");
  process.exit(2);
}

/**
 * The disk's fdatasync latency where the database lives, measured just before the run: a durable
 * commit costs at least one, and on a shared virtual disk it varies several-fold from minute to minute.
 */
function fsyncLatencyMs(dir: string): number {
  const path = join(dir, "fsync-probe");
  const fd = openSync(path, "w");
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const started = performance.now();
      writeSync(fd, block, 0, block.length, (i % 16) * block.length);
      fdatasyncSync(fd);
      times.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  return quantile(times.sort((a, b) => a - b), 0.5);
}

type Target = { url: string; dbPath: string | null; dataDir: string | null; stop(): Promise<void> };
let server: Target;
if (values.url) {
  server = { url: values.url, dbPath: null, dataDir: null, stop: async () => {} };
} else {
  buildIfNeeded();
  server = await startServer({ env: { RATECARD_RATE_LIMIT: "0", RATECARD_SNAPSHOT_EVERY: "24h" } });
}
const agent = new Agent({ keepAlive: true, maxSockets: connections });
// Varied but plausible reports, built before the clock starts.
const bodies = ["OR", "CA", "NY", "TX", "WA"].flatMap((state) =>
  [95, 110, 121.8, 130].map((paid) => JSON.stringify(validReport({ state, rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid, allowed: 151.74 }] }))),
);
const headers = { "Content-Type": "application/json" };

let created = 0;
const statuses = new Map<number, number>();
const latencies: number[] = [];
let measuring = false;
let stopAt = 0;

async function client(id: number): Promise<void> {
  for (let i = id; performance.now() < stopAt; i += connections) {
    const started = performance.now();
    const response = await rawRequest(server.url, { method: "POST", path: "/api/v1/reports", headers, body: bodies[i % bodies.length]!, agent });
    const elapsed = performance.now() - started;
    if (!measuring) continue;
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status === 201) {
      created++;
      latencies.push(elapsed);
    }
  }
}

let result: { fsyncP50Ms: number | null; reportsPerSecond: number; p50Ms: number; p99Ms: number; maxMs: number; created: number; seconds: number; statuses: Record<string, number>; crowdRows: number };
try {
  const fsyncP50Ms = server.dataDir ? fsyncLatencyMs(server.dataDir) : null;
  // Warm-up: JIT, prepared statements, connections; not counted.
  stopAt = performance.now() + warmupMs;
  await Promise.all(Array.from({ length: connections }, (_, id) => client(id)));
  measuring = true;
  const started = performance.now();
  stopAt = started + durationMs;
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: connections }, (_, id) => client(id)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  let crowdRows = Number.NaN;
  if (server.dbPath) {
    const db = new Database(server.dbPath, { readonly: true, fileMustExist: true });
    crowdRows = (db.prepare("SELECT count(*) AS n FROM reports WHERE source = 'crowd'").get() as { n: number }).n;
    db.close();
  }
  result = {
    fsyncP50Ms,
    reportsPerSecond: created / seconds,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    created,
    seconds,
    statuses: Object.fromEntries(statuses),
    crowdRows,
  };
  console.log(`\nPOST /api/v1/reports   ${connections} connections, ${seconds.toFixed(1)} s, synchronous=FULL (src/lib/server/db.ts)`);
  console.log("reports/s   p50 ms   p99 ms   max ms   201s      statuses");
  console.log(
    `${result.reportsPerSecond.toFixed(0).padStart(9)}   ${result.p50Ms.toFixed(1).padStart(6)}   ${result.p99Ms.toFixed(1).padStart(6)}   ${result.maxMs.toFixed(1).padStart(6)}   ${String(created).padEnd(8)}  ${JSON.stringify(result.statuses)}`,
  );
  if (fsyncP50Ms !== null) console.log(`disk: fdatasync of 4 KB p50 ${fsyncP50Ms.toFixed(2)} ms just before the run (each 201 waits for at least one)`);
  console.log(`load generator CPU: ${((cpu.user + cpu.system) / 1e6 / seconds * 100).toFixed(0)}% of one core; crowd reports in the database: ${crowdRows} (incl. warm-up)`);
  console.log(result.reportsPerSecond >= 1000 ? "goal ≥ 1,000 reports/s: met" : "goal ≥ 1,000 reports/s: NOT met");
  printBenchJson("submit", [
    { name: "POST /api/v1/reports, durable 201s", value: Math.round(result.reportsPerSecond), unit: "reports/s", goal: "≥ 1,000 reports/s", met: result.reportsPerSecond >= 1000 },
    { name: "POST /api/v1/reports, p50", value: Number(result.p50Ms.toFixed(1)), unit: "ms", goal: "", met: null },
    { name: "POST /api/v1/reports, p99", value: Number(result.p99Ms.toFixed(1)), unit: "ms", goal: "", met: null },
  ]);
} finally {
  agent.destroy();
  await server.stop();
}
