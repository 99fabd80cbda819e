// `npm run bench`: every benchmark in one run, one table at the end. Each benchmark prints its
// figures as a last BENCH_JSON line (tests/bench/bench-json.ts); this reads those lines, never the
// human-readable text above them, so a new benchmark only has to print the same line.
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { readBenchJson, type BenchRow } from "./bench-json.ts";

const root = resolve(import.meta.dirname, "../..");

/** The benchmarks, each a script under tests/bench/ (other branches add theirs here). */
const BENCHMARKS: { label: string; script: string; args?: string[] }[] = [
  { label: "snapshot build", script: "tests/bench/snapshot.ts" },
  { label: "API vs nginx", script: "tests/bench/api.ts" },
  { label: "POST /api/v1/reports", script: "tests/bench/submit.ts" },
  { label: "TiC import", script: "tests/bench/tic.ts" },
  { label: "rate history", script: "tests/bench/history.ts" },
];

type TableRow = { benchmark: string; measured: string; goal: string; met: boolean | null };
const table: TableRow[] = [];
const asTableRow = (bench: string) => (row: BenchRow): TableRow => ({
  benchmark: `${bench}: ${row.name}`, measured: `${row.value.toLocaleString("en-US")} ${row.unit}`, goal: row.goal, met: row.met,
});

for (const { label, script, args = [] } of BENCHMARKS) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(process.execPath, [join(root, script), ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  let reports: ReturnType<typeof readBenchJson> = [];
  try {
    reports = readBenchJson(result.stdout);
  } catch (error) {
    table.push({ benchmark: label, measured: (error as Error).message.slice(0, 80), goal: "", met: false });
  }
  if (result.status !== 0) table.push({ benchmark: label, measured: `failed (exit ${result.status})`, goal: "", met: false });
  else if (reports.length === 0) table.push({ benchmark: label, measured: "printed no BENCH_JSON line", goal: "", met: false });
  for (const report of reports) table.push(...report.rows.map(asTableRow(report.bench)));
}

const width = (key: keyof TableRow) => Math.max(key.length, ...table.map((r) => String(r[key]).length));
const [b, m, g] = [width("benchmark"), width("measured"), width("goal")];
console.log(`\n${"benchmark".padEnd(b)}  ${"measured".padEnd(m)}  ${"goal".padEnd(g)}  met`);
for (const r of table) console.log(`${r.benchmark.padEnd(b)}  ${r.measured.padEnd(m)}  ${r.goal.padEnd(g)}  ${r.met === null ? "" : r.met ? "yes" : "NO"}`);
process.exitCode = table.some((r) => r.met === false) ? 1 : 0;
