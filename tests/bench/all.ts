// `npm run bench`: every benchmark in one run, one table at the end (goals from the issues).
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");
type Row = { benchmark: string; measured: string; goal: string; met: boolean | null };
const rows: Row[] = [];

function run(label: string, script: string, args: string[] = []): string {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(process.execPath, [join(root, script), ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  if (result.status !== 0) rows.push({ benchmark: label, measured: `failed (exit ${result.status})`, goal: "", met: false });
  return result.stdout;
}

const snapshot = run("snapshot build", "tests/bench/snapshot.ts");
const sizes = [...snapshot.matchAll(/^\s+(\d+)\s+\d+\s+\d+\s+\d+\s+([\d.]+)\s+(\d+) MB$/gm)].map((m) => ({ reports: Number(m[1]), seconds: Number(m[2]), rssMb: Number(m[3]) }));
const ratio = /build time: ([\d.]+)/.exec(snapshot)?.[1];
for (const size of sizes) {
  const big = size.reports >= 1_000_000;
  rows.push({
    benchmark: `snapshot, ${size.reports.toLocaleString("en-US")} reports`,
    measured: `${size.seconds.toFixed(2)} s, ${size.rssMb} MB peak`,
    goal: big ? "≤ 10 s, ≤ 2048 MB" : "",
    met: big ? size.seconds <= 10 && size.rssMb <= 2048 : null,
  });
}
if (ratio) rows.push({ benchmark: "snapshot, 1M/100k time ratio", measured: ratio, goal: "≤ 11", met: Number(ratio) <= 11 });

const api = run("API vs nginx", "scripts/bench-api.ts");
const server = /^server\s+([\d,]+) req\/s\s+p99\s+([\d.]+) ms/m.exec(api);
const nginx = /^nginx\s+([\d,]+) req\/s\s+p99\s+([\d.]+) ms/m.exec(api);
if (server && nginx) {
  const serverRps = Number(server[1]!.replaceAll(",", ""));
  const nginxRps = Number(nginx[1]!.replaceAll(",", ""));
  rows.push({ benchmark: "GET aggregates.json?cpt=90837, server", measured: `${serverRps.toLocaleString("en-US")} req/s, p99 ${server[2]} ms`, goal: "p99 < 20 ms", met: Number(server[2]) < 20 });
  rows.push({ benchmark: "  same bytes from nginx", measured: `${nginxRps.toLocaleString("en-US")} req/s, p99 ${nginx[2]} ms`, goal: "", met: null });
  rows.push({ benchmark: "  server / nginx", measured: `${((100 * serverRps) / nginxRps).toFixed(0)}%`, goal: "≥ 50%", met: serverRps / nginxRps >= 0.5 });
}

const submit = run("POST /api/v1/reports", "tests/bench/submit.ts", ["--json"]);
const submitLine = submit.trim().split("\n").reverse().find((line) => line.startsWith("{"));
if (submitLine) {
  const r = JSON.parse(submitLine) as { reportsPerSecond: number; p50Ms: number; p99Ms: number };
  rows.push({
    benchmark: "POST /api/v1/reports (durable 201s)",
    measured: `${Math.round(r.reportsPerSecond).toLocaleString("en-US")} reports/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`,
    goal: "≥ 1,000 reports/s",
    met: r.reportsPerSecond >= 1000,
  });
}

// Issue 11: the TiC importer against gzip -dc and stream-json (its own table above; goals here).
const tic = run("TiC import", "tests/bench/tic.ts");
const ticLine = tic.split("\n").find((line) => line.startsWith("BENCH_JSON "));
if (ticLine) {
  const r = JSON.parse(ticLine.slice("BENCH_JSON ".length)) as { rows: { name: string; value: number; unit: string; goal: string; met: boolean | null }[] };
  for (const row of r.rows.filter((row) => row.goal !== "")) {
    rows.push({ benchmark: `TiC: ${row.name}`, measured: `${row.value.toLocaleString("en-US")} ${row.unit}`, goal: row.goal, met: row.met });
  }
}

const width = (key: keyof Row) => Math.max(key.length, ...rows.map((r) => String(r[key]).length));
const [b, m, g] = [width("benchmark"), width("measured"), width("goal")];
console.log(`\n${"benchmark".padEnd(b)}  ${"measured".padEnd(m)}  ${"goal".padEnd(g)}  met`);
for (const r of rows) console.log(`${r.benchmark.padEnd(b)}  ${r.measured.padEnd(m)}  ${r.goal.padEnd(g)}  ${r.met === null ? "" : r.met ? "yes" : "NO"}`);
