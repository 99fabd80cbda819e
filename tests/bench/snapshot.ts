// `npm run bench:snapshot`: builds a full snapshot from 100k and 1M synthetic reports (≈ 2 rates
// each) and prints seconds, peak memory and the 1M/100k time ratio. Each size is generated in
// one child process and built in another, so peak RSS is the build's own; a third builds the next
// snapshot of the same reports, which also compares it with the first and records the changes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoVerifiedFlags, generateDemoReports } from "../../db/seed/demo.ts";
import { openDatabase, migrateDatabase } from "../../src/lib/server/db.ts";
import { medicareAmounts } from "../../src/lib/read/reference.ts";
import { loadReferenceData } from "../../src/lib/write/reference-seed.ts";
import { randomId } from "../../src/lib/write/receipts.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { printBenchJson, type BenchRow } from "./bench-json.ts";

const [mode, dbPath, countArg] = process.argv.slice(2);

function generate(path: string, count: number): void {
  const connection = openDatabase(path);
  migrateDatabase(connection);
  loadReferenceData(connection.db);
  const { sqlite } = connection;
  sqlite.pragma("synchronous = OFF");
  const insertReport = sqlite.prepare(
    `INSERT INTO reports (id, receipt_hash, month, state, license, years_licensed, channel, platform, employment,
       told_of_fee_split, rate_cut_12m, can_export_records, non_compete, equity_offered, caseload_pressure,
       review_status, source, verified) VALUES (?, ?, '2026-11', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted', 'crowd', ?)`,
  );
  const insertRate = sqlite.prepare(
    `INSERT INTO rates (report_id, line, cpt, modality, payer, plan_type, year, paid_cents, allowed_cents)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const medicare = medicareAmounts(connection.db);
  const batch = 50_000;
  const yn = (v: boolean | null | undefined) => (v == null ? null : v ? 1 : 0);
  for (let start = 0; start < count; start += batch) {
    const reports = generateDemoReports(medicare, Math.min(batch, count - start), 1000 + start);
    // A realistic share of verified reports (issue 12): the demo data's 30%.
    const verified = demoVerifiedFlags(reports.length, 1000 + start);
    sqlite.transaction(() => {
      for (const [index, r] of reports.entries()) {
        const id = randomId();
        const e = r.platform_experience;
        insertReport.run(id, id, r.state, r.license, r.years_licensed, r.channel, r.platform ?? null, r.employment ?? null,
          yn(e?.told_of_fee_split), yn(e?.rate_cut_12m), yn(e?.can_export_records), yn(e?.non_compete), yn(e?.equity_offered), e?.caseload_pressure ?? null, verified[index] ? 1 : 0);
        r.rates.forEach((rate, i) => insertRate.run(id, i + 1, rate.cpt, rate.modality, rate.payer ?? null, rate.plan_type, rate.year,
          Math.round(rate.paid * 100), rate.allowed == null ? null : Math.round(rate.allowed * 100)));
      }
    })();
  }
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
}

function build(path: string): void {
  const connection = openDatabase(path);
  const started = performance.now();
  const snapshot = buildSnapshot(connection, { k: 5, trigger: "script" });
  const seconds = (performance.now() - started) / 1000;
  const rates = (connection.sqlite.prepare("SELECT count(*) AS n FROM rates").get() as { n: number }).n;
  connection.sqlite.close();
  console.log(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, cells: snapshot.cellsPublished, reports: snapshot.reportsUsed, rates }));
}

/** A second snapshot of the same reports: what a daily build costs, its changes recorded against the first (issue 15). */
function rebuild(path: string): void {
  const connection = openDatabase(path);
  const started = performance.now();
  const snapshot = buildSnapshot(connection, { k: 5, trigger: "script" });
  const seconds = (performance.now() - started) / 1000;
  if (!snapshot.changesRecorded) throw new Error("the rebuild did not record its changes");
  connection.sqlite.close();
  console.log(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

if (mode === "generate") generate(dbPath!, Number(countArg));
else if (mode === "build") build(dbPath!);
else if (mode === "rebuild") rebuild(dbPath!);
else {
  const sizes = (process.env.BENCH_SIZES ?? "100000,1000000").split(",").map(Number);
  const dir = mkdtempSync(join(tmpdir(), "ratecard-bench-"));
  const results: Record<number, { seconds: number; peakRssMb: number; cells: number; reports: number; rates: number; rebuildSeconds?: number; rebuildPeakRssMb?: number }> = {};
  try {
    for (const size of sizes) {
      const path = join(dir, `bench-${size}.db`);
      const t0 = performance.now();
      execFileSync(process.execPath, [import.meta.filename, "generate", path, String(size)], { stdio: "inherit" });
      console.log(`generated ${size.toLocaleString("en-US")} reports in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const out = execFileSync(process.execPath, [import.meta.filename, "build", path], { encoding: "utf8" });
      results[size] = JSON.parse(out.trim().split("\n").at(-1)!);
      const again = execFileSync(process.execPath, [import.meta.filename, "rebuild", path], { encoding: "utf8" });
      const second = JSON.parse(again.trim().split("\n").at(-1)!) as { seconds: number; peakRssMb: number };
      results[size]!.rebuildSeconds = second.seconds;
      results[size]!.rebuildPeakRssMb = second.peakRssMb;
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log("\nsnapshot build        reports      rates   cells published   seconds   peak RSS   rebuild s   peak RSS");
  for (const size of sizes) {
    const r = results[size]!;
    console.log(`${String(size).padStart(20)} ${String(r.reports).padStart(10)} ${String(r.rates).padStart(10)} ${String(r.cells).padStart(17)} ${r.seconds.toFixed(2).padStart(9)} ${(r.peakRssMb.toFixed(0) + " MB").padStart(10)} ${r.rebuildSeconds!.toFixed(2).padStart(11)} ${(r.rebuildPeakRssMb!.toFixed(0) + " MB").padStart(10)}`);
  }
  if (sizes.length === 2) {
    const [a, b] = sizes as [number, number];
    console.log(`ratio ${b.toLocaleString("en-US")}/${a.toLocaleString("en-US")} build time: ${(results[b]!.seconds / results[a]!.seconds).toFixed(2)} (goal ≤ 11; goal at 1M: ≤ 10 s, ≤ 2048 MB)`);
  }
  const rows: BenchRow[] = [];
  for (const size of sizes) {
    const r = results[size]!;
    const big = size >= 1_000_000;
    const reports = `${size.toLocaleString("en-US")} reports`;
    rows.push({ name: `build time, ${reports}`, value: Number(r.seconds.toFixed(2)), unit: "s", goal: big ? "≤ 10 s" : "", met: big ? r.seconds <= 10 : null });
    rows.push({ name: `peak RSS, ${reports}`, value: Math.round(r.peakRssMb), unit: "MB", goal: big ? "≤ 2048 MB" : "", met: big ? r.peakRssMb <= 2048 : null });
    // The same goals for the next snapshot of the same reports, which also records its changes against this one.
    rows.push({ name: `rebuild time (changes recorded), ${reports}`, value: Number(r.rebuildSeconds!.toFixed(2)), unit: "s", goal: big ? "≤ 10 s" : "", met: big ? r.rebuildSeconds! <= 10 : null });
    rows.push({ name: `rebuild peak RSS, ${reports}`, value: Math.round(r.rebuildPeakRssMb!), unit: "MB", goal: big ? "≤ 2048 MB" : "", met: big ? r.rebuildPeakRssMb! <= 2048 : null });
  }
  if (sizes.length === 2) {
    const ratio = results[sizes[1]!]!.seconds / results[sizes[0]!]!.seconds;
    rows.push({ name: `build time ratio ${sizes[1]!.toLocaleString("en-US")}/${sizes[0]!.toLocaleString("en-US")}`, value: Number(ratio.toFixed(2)), unit: "×", goal: "≤ 11", met: ratio <= 11 });
  }
  printBenchJson("snapshot", rows);
}
