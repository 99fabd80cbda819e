// `npm run bench:tic`: the TiC importer's throughput and memory on synthetic 0.2 GB and 2 GB files,
// against `gzip -dc` on the same files (the decompression floor) and a stream-json pipeline (baseline).
// Files are generated once into .tmp/bench-tic/ (gzip -1) and reused.
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createGunzip } from "node:zlib";
import { printBenchJson } from "./bench-json.ts";

const root = resolve(import.meta.dirname, "../..");
const dir = join(root, ".tmp/bench-tic");
const MB = 1024 * 1024;
const GENERATOR_VERSION = 1;

/** The provider groups the bench maps to platforms; every other group is a small practice, dropped. */
export const BENCH_TINS = ["alma=12-3456789", "headway:OR=012345678", "grow-therapy=1234567893"];
const PSYCHOTHERAPY = ["90791", "90792", "90832", "90833", "90834", "90836", "90837", "90838", "90839", "90840", "90846", "90847", "90853"];

type Variant = { name: string; bytes: number; refsLast: boolean };
const VARIANTS: Variant[] = [
  { name: "in-network-0.2gb", bytes: 200 * 1000 * 1000, refsLast: false },
  { name: "in-network-0.2gb-refs-last", bytes: 200 * 1000 * 1000, refsLast: true },
  { name: "in-network-2gb", bytes: 2000 * 1000 * 1000, refsLast: false },
];
const BAD_STRING_BYTES = 2 * 1024 * MB;

// ---- the synthetic files ----

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REFS = 20_000;
const MAPPED_REFS: Record<number, string> = { 137: "12-3456789", 4242: "12345678", 15001: "55-5555555" };

function providerReference(id: number, random: () => number): string {
  const tin = MAPPED_REFS[id] ?? `${String(10 + Math.floor(random() * 89))}-${String(Math.floor(random() * 1e7)).padStart(7, "0")}`;
  const npis = Array.from({ length: 1 + Math.floor(random() * 12) }, () => 1000000000 + Math.floor(random() * 999999999));
  if (id === 15001) npis[0] = 1234567893;
  return `{"provider_group_id":${id},"network_name":["Synthetic PPO","Synthetic Open Access"],"provider_groups":[{"npi":[${npis.join(",")}],"tin":{"type":"ein","value":"${tin}","business_name":"Provider Group ${id} \\"Synthetic\\" LLC"}}]}`;
}

function negotiatedRate(random: () => number, mapped: boolean): string {
  const refs = Array.from({ length: 4 + Math.floor(random() * 30) }, () => 1 + Math.floor(random() * REFS));
  if (mapped) refs.push(137, 4242, 15001);
  const rate = (40 + random() * 300).toFixed(2);
  return `{"provider_references":[${refs.join(",")}],"negotiated_prices":[{"negotiated_type":"negotiated","negotiated_rate":${rate},"expiration_date":"9999-12-31","service_code":["02","10","11"],"billing_class":"professional"},{"negotiated_type":"negotiated","negotiated_rate":${(Number(rate) * 1.4).toFixed(2)},"expiration_date":"9999-12-31","billing_class":"institutional","setting":"outpatient"},{"negotiated_type":"percentage","negotiated_rate":85,"expiration_date":"9999-12-31","service_code":["11"],"billing_class":"professional","billing_code_modifier":["95"]}]}`;
}

function inNetworkItem(code: string, entries: number, random: () => number): string {
  const psychotherapy = PSYCHOTHERAPY.includes(code);
  const rates: string[] = [];
  for (let i = 0; i < entries; i++) rates.push(negotiatedRate(random, psychotherapy && i % 25 === 0));
  return `{"negotiation_arrangement":"ffs","name":"Service ${code}","billing_code_type":"CPT","billing_code_type_version":"2026","billing_code":"${code}","description":"Synthetic description of service ${code}, with \\"quotes\\" and a backslash \\\\ to skip","negotiated_rates":[${rates.join(",")}]}`;
}

async function writeGzip(path: string, produce: (write: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  const out = spawn("sh", ["-c", `gzip -1 -c > "${path}.part"`], { stdio: ["pipe", "inherit", "inherit"] });
  const closed = new Promise<void>((resolveClose, reject) => out.on("close", (code) => (code === 0 ? resolveClose() : reject(new Error(`gzip exited ${code}`)))));
  const write = (text: string) => new Promise<void>((resolveWrite) => {
    if (out.stdin.write(text)) resolveWrite();
    else out.stdin.once("drain", () => resolveWrite());
  });
  await produce(write);
  out.stdin.end();
  await closed;
  spawnSync("mv", [`${path}.part`, path]);
}

/** Writes one synthetic in-network file; returns its uncompressed size. */
async function generate(variant: Variant, path: string): Promise<number> {
  const random = seeded(11);
  let size = 0;
  await writeGzip(path, async (write) => {
    const put = async (text: string) => {
      size += Buffer.byteLength(text);
      await write(text);
    };
    const refs = async () => {
      let batch = "";
      for (let id = 1; id <= REFS; id++) {
        batch += (id > 1 ? "," : "") + providerReference(id, random);
        if (batch.length > 1 << 20) {
          await put(batch);
          batch = "";
        }
      }
      await put(batch);
    };
    await put(`{"reporting_entity_name":"Cigna Health Life Insurance Company","reporting_entity_type":"health insurance issuer","plan_name":"Synthetic bench plan","plan_id_type":"hios","plan_id":"${variant.name}","plan_market_type":"group","last_updated_on":"2026-10-01","version":"2.0.0",`);
    if (!variant.refsLast) {
      await put(`"provider_references":[`);
      await refs();
      await put(`],`);
    }
    await put(`"in_network":[`);
    const items = Math.round(variant.bytes / 200_000) * 4; // thousands of billing codes
    const perItem = Math.max(1, Math.round((variant.bytes - size) / items / 560));
    for (let i = 0; i < items && size < variant.bytes; i++) {
      const code = i % Math.floor(items / PSYCHOTHERAPY.length) === 7 ? PSYCHOTHERAPY[Math.floor(i / (items / PSYCHOTHERAPY.length)) % PSYCHOTHERAPY.length]! : String(10000 + i);
      await put((i > 0 ? "," : "") + inNetworkItem(code, perItem, random));
    }
    await put(variant.refsLast ? `],"provider_references":[` : "]}");
    if (variant.refsLast) {
      await refs();
      await put("]}");
    }
  });
  return size;
}

/** A file whose 2 GB string never ends: the importer must fail cleanly, in flat memory. */
async function generateBadString(path: string): Promise<void> {
  await writeGzip(path, async (write) => {
    await write(`{"reporting_entity_name":"Cigna Health Life Insurance Company","last_updated_on":"2026-10-01","in_network":[{"billing_code_type":"CPT","billing_code":"27447","description":"`);
    const block = "A".repeat(4 * MB);
    for (let written = 0; written < BAD_STRING_BYTES; written += block.length) await write(block);
  });
}

type Manifest = { version: number; sizes: Record<string, number> };

async function ensureFiles(): Promise<Manifest> {
  mkdirSync(dir, { recursive: true });
  const manifestPath = join(dir, "manifest.json");
  let manifest: Manifest = { version: GENERATOR_VERSION, sizes: {} };
  if (existsSync(manifestPath)) {
    const stored = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    if (stored.version === GENERATOR_VERSION) manifest = stored;
  }
  for (const variant of VARIANTS) {
    const path = join(dir, `${variant.name}.json.gz`);
    if (manifest.sizes[variant.name] && existsSync(path)) continue;
    process.stdout.write(`generating ${variant.name}.json.gz (once; cached in .tmp/bench-tic/)…\n`);
    manifest.sizes[variant.name] = await generate(variant, path);
    writeFileSync(manifestPath, JSON.stringify(manifest));
  }
  const bad = join(dir, "bad-2gb-string.json.gz");
  if (!manifest.sizes["bad-2gb-string"] || !existsSync(bad)) {
    process.stdout.write("generating bad-2gb-string.json.gz (once)…\n");
    await generateBadString(bad);
    manifest.sizes["bad-2gb-string"] = BAD_STRING_BYTES;
    writeFileSync(manifestPath, JSON.stringify(manifest));
  }
  return manifest;
}

// ---- measured runs, each in a fresh process so peak RSS is its own ----

type ChildResult = { seconds: number; cpuSeconds: number; maxRssMb: number; failures: string[]; ratesKept: number };

function child(mode: "import" | "stream-json", file: string): ChildResult {
  const result = spawnSync(process.execPath, [import.meta.filename, `--${mode}`, file], { cwd: root, encoding: "utf8", maxBuffer: 16 * MB });
  const line = result.stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
  if (!line) throw new Error(`${mode} ${file} printed no result: ${result.stderr}`);
  return JSON.parse(line) as ChildResult;
}

async function childImport(file: string): Promise<void> {
  const { openDatabase } = await import("../../src/lib/server/db.ts");
  const { runTicImport } = await import("../../src/lib/write/tic/run.ts");
  const { parseTinArgument } = await import("../../src/lib/write/tic/store.ts");
  const dbDir = join(dir, `db-${process.pid}`);
  rmSync(dbDir, { recursive: true, force: true });
  mkdirSync(dbDir, { recursive: true });
  const connection = openDatabase(join(dbDir, "bench.db"));
  const tins = BENCH_TINS.map((t) => parseTinArgument(t)).filter((t) => typeof t !== "string");
  const started = performance.now();
  const cpuBefore = cpuSeconds();
  const { outcomes, failures } = await runTicImport(connection, { sources: [file], tins, payer: "cigna", jobs: 1, progress: { write: () => true } });
  const seconds = (performance.now() - started) / 1000;
  const ratesKept = Number(/(\d+) rates? kept/.exec(outcomes[0]?.message ?? "")?.[1] ?? 0);
  connection.sqlite.close();
  rmSync(dbDir, { recursive: true, force: true });
  console.log(JSON.stringify({ seconds, cpuSeconds: cpuSeconds() - cpuBefore, maxRssMb: process.resourceUsage().maxRSS / 1024, failures, ratesKept } satisfies ChildResult));
}

/** The baseline: a general streaming parser that tokenizes everything, keeping the same in_network items. */
async function childStreamJson(file: string): Promise<void> {
  const { parser } = await import("stream-json");
  const { pick } = await import("stream-json/filters/pick.js");
  const { streamArray } = await import("stream-json/streamers/stream-array.js");
  const chain = (await import("stream-chain")).default;
  const codes = new Set(PSYCHOTHERAPY);
  let ratesKept = 0;
  const started = performance.now();
  const cpuBefore = cpuSeconds();
  const pipeline = chain([createReadStream(file), createGunzip(), parser(), pick({ filter: "in_network" }), streamArray()]);
  pipeline.on("data", ({ value }: { value: { billing_code: string; negotiated_rates: unknown[] } }) => {
    if (codes.has(value.billing_code)) ratesKept += value.negotiated_rates.length;
  });
  await new Promise((resolveEnd, reject) => {
    pipeline.on("end", resolveEnd);
    pipeline.on("error", reject);
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, cpuSeconds: cpuSeconds() - cpuBefore, maxRssMb: process.resourceUsage().maxRSS / 1024, failures: [], ratesKept } satisfies ChildResult));
}

/** User + system CPU of this process, every thread (zlib's thread pool included). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** `gzip -dc` wall and CPU seconds (through /usr/bin/time when present). */
function gzipFloor(file: string): { seconds: number; cpuSeconds: number | null } {
  const timed = existsSync("/usr/bin/time");
  const started = performance.now();
  const result = spawnSync("sh", ["-c", `${timed ? '/usr/bin/time -f "%U %S" ' : ""}gzip -dc "${file}" > /dev/null`], { encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`gzip -dc ${file} failed: ${result.stderr}`);
  const cpu = /([\d.]+) ([\d.]+)\s*$/.exec(result.stderr);
  return { seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null };
}

// ---- the run ----

type Row = { name: string; value: number; unit: string; goal: string; met: boolean | null; note: string };

async function main(): Promise<void> {
  const started = performance.now();
  const manifest = await ensureFiles();
  const rows: Row[] = [];
  const path = (name: string) => join(dir, `${name}.json.gz`);
  const mbps = (name: string, seconds: number) => manifest.sizes[name]! / MB / seconds;
  // MB/s per CPU second (user + system, every thread): this machine's cores are shared, so wall-clock
  // time measures the neighbours as much as the code. Wall-clock MB/s is in each note.
  const cpuBased = (seconds: number, cpu: number | null) => cpu ?? seconds;

  const floors: Record<string, number> = {};
  const imports: Record<string, ChildResult> = {};
  const empty = child("import", join(root, "tests/fixtures/tic/v1-inline.json"));
  for (const variant of VARIANTS) {
    const gb = (manifest.sizes[variant.name]! / 1e9).toFixed(2);
    const result = child("import", path(variant.name));
    if (result.failures.length > 0) throw new Error(`import of ${variant.name} failed: ${result.failures.join("; ")}`);
    imports[variant.name] = result;
    const gzip = variant.refsLast ? undefined : gzipFloor(path(variant.name));
    const floor = gzip === undefined ? undefined : cpuBased(gzip.seconds, gzip.cpuSeconds);
    if (floor !== undefined) floors[variant.name] = mbps(variant.name, floor);
    const ratio = floor !== undefined ? mbps(variant.name, result.cpuSeconds) / floors[variant.name]! : null;
    rows.push({
      name: `importer, ${gb} GB${variant.refsLast ? ", provider_references last" : ""}`,
      value: mbps(variant.name, result.cpuSeconds), unit: "MB/s",
      goal: ratio === null ? "" : "≥ 50% of gzip -dc", met: ratio === null ? null : ratio >= 0.5,
      note: `${result.cpuSeconds.toFixed(1)} CPU s, ${result.seconds.toFixed(1)} s wall (${mbps(variant.name, result.seconds).toFixed(0)} MB/s wall), peak RSS ${result.maxRssMb.toFixed(0)} MB, ${result.ratesKept} rates kept${ratio === null ? "" : `, ${(ratio * 100).toFixed(0)}% of gzip -dc`}`,
    });
    if (gzip !== undefined) {
      rows.push({ name: `gzip -dc, ${gb} GB (floor)`, value: floors[variant.name]!, unit: "MB/s", goal: "", met: null, note: `${gzip.cpuSeconds === null ? "no /usr/bin/time: wall-clock" : `${gzip.cpuSeconds.toFixed(1)} CPU s`}, ${gzip.seconds.toFixed(1)} s wall (${mbps(variant.name, gzip.seconds).toFixed(0)} MB/s wall)` });
    }
  }
  const baseline = child("stream-json", path("in-network-0.2gb"));
  const baselineMbps = mbps("in-network-0.2gb", baseline.cpuSeconds);
  const small = mbps("in-network-0.2gb", imports["in-network-0.2gb"]!.cpuSeconds);
  rows.push({ name: "stream-json pipeline, 0.20 GB (baseline)", value: baselineMbps, unit: "MB/s", goal: "", met: null, note: `${baseline.cpuSeconds.toFixed(1)} CPU s, ${baseline.seconds.toFixed(1)} s wall, peak RSS ${baseline.maxRssMb.toFixed(0)} MB` });
  rows.push({ name: "importer / stream-json, 0.20 GB", value: small / baselineMbps, unit: "×", goal: "≥ 5×", met: small / baselineMbps >= 5, note: "" });

  const smallRss = imports["in-network-0.2gb"]!.maxRssMb;
  const bigRss = imports["in-network-2gb"]!.maxRssMb;
  rows.push({ name: "importer peak RSS, 2 GB", value: bigRss, unit: "MB", goal: "flat (≤ 0.2 GB + 25%), < 300 MB", met: bigRss <= smallRss * 1.25 && bigRss < 300, note: `0.2 GB: ${smallRss.toFixed(0)} MB; a 3 kB file: ${empty.maxRssMb.toFixed(0)} MB (the process itself)` });

  const bad = child("import", path("bad-2gb-string"));
  const cleanFailure = bad.failures.length === 1 && /^bad-2gb-string\.json\.gz: byte \d+: /.test(bad.failures[0]!);
  rows.push({
    name: "bad file: a 2 GB string, never closed", value: bad.maxRssMb, unit: "MB",
    goal: "one clean failure line, < 300 MB", met: cleanFailure && bad.maxRssMb < 300,
    note: `${bad.seconds.toFixed(1)} s: ${bad.failures[0] ?? "no failure reported"}`,
  });

  const width = (f: (r: Row) => string, title: string) => Math.max(title.length, ...rows.map((r) => f(r).length));
  const value = (r: Row) => (r.unit === "×" ? r.value.toFixed(1) : r.value.toFixed(0));
  const [n, v, u, g] = [width((r) => r.name, "benchmark"), width(value, "value"), width((r) => r.unit, "MB/s"), width((r) => r.goal, "goal")];
  console.log(`\n${"benchmark".padEnd(n)}  ${"value".padStart(v)}  ${"unit".padEnd(u)}  ${"goal".padEnd(g)}  met     note`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(n)}  ${value(r).padStart(v)}  ${r.unit.padEnd(u)}  ${r.goal.padEnd(g)}  ${(r.met === null ? "" : r.met ? "met" : "MISSED").padEnd(6)}  ${r.note}`);
  }
  console.log("\nMB/s: megabytes of uncompressed JSON per CPU second (user + system, all threads), since the cores are shared; wall-clock figures in the notes.");
  console.log(`(total ${((performance.now() - started) / 1000).toFixed(0)} s; files in .tmp/bench-tic/, ${Object.values(manifest.sizes).length} of them)`);
  printBenchJson("tic", rows.map(({ name, value: val, unit, goal, met }) => ({ name, value: Number(val.toFixed(2)), unit, goal, met })));
}

const mode = process.argv[2];
if (mode === "--import") await childImport(process.argv[3]!);
else if (mode === "--stream-json") await childStreamJson(process.argv[3]!);
else await main();
