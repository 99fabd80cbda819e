import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { openDatabase } from "../../src/lib/server/db.ts";
import { progressLine } from "../../src/lib/write/tic/progress.ts";

const root = resolve(import.meta.dirname, "../..");
const FIXTURES = join(root, "tests/fixtures/tic");
let dir: string;

function cli(script: string, args: string[], databasePath = join(dir, "cli.db")) {
  return spawnSync(process.execPath, [join(root, "scripts", script), ...args], {
    cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_PATH: databasePath },
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-tic-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run tic:import", () => {
  it("migrates a new database, imports the good files, and exits 1 with one stderr line per failed file", () => {
    const truncated = join(dir, "truncated.json.gz");
    writeFileSync(truncated, gzipSync(readFileSync(join(FIXTURES, "v2-refs-first.json"))).subarray(0, 600));
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{\"reporting_entity_name\": \"Cigna\", \"in_network\": [}");
    const result = cli("tic-import.ts", ["--tin", "alma=12-3456789", "--tin", "headway:OR=12345678", truncated, join(FIXTURES, "v2-refs-first.json.gz"), broken]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^truncated\.json\.gz: byte \d+: truncated gzip/),
      "broken.json: byte 50: expected an in_network item (an object), found \"}\"",
    ]);
    expect(result.stdout).toMatch(/v2-refs-first\.json\.gz: imported as file 1 \(cigna\): 4 rates kept/);
    const { sqlite } = openDatabase(join(dir, "cli.db"), { readonly: true });
    expect(sqlite.prepare("SELECT count(*) AS n FROM tic_rates").get()).toEqual({ n: 4 });
    expect(sqlite.prepare("SELECT source_file FROM tic_files").all()).toEqual([{ source_file: "v2-refs-first.json.gz" }]);
    sqlite.close();
  });

  it("exits 0 and says so when every file is already imported", () => {
    const result = cli("tic-import.ts", [join(FIXTURES, "v2-refs-first.json.gz")]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/already imported \(same SHA-256\), skipped/);
  });

  it("refuses bad options with a usage line", () => {
    const result = cli("tic-import.ts", ["--jobs", "zero", "x.json"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--jobs: a whole number from 1 to 16/);
  });
});

describe("npm run tic:discover", () => {
  it("lists the TINs whose business_name matches, with their psychotherapy rates", () => {
    const result = cli("tic-discover.ts", [join(FIXTURES, "v2-refs-first.json.gz"), "--name", "alma|headway|grow"]);
    expect(result.status).toBe(0);
    const lines = result.stdout.split("\n").filter((line) => /^\d{9,10}\s/.test(line)).map((line) => line.split(/\s{2,}/));
    expect(lines).toEqual([
      ["123456789", "3", "Alma Behavioral Health PC"],
      ["012345678", "1", "Headway Oregon Behavioral Health PC"],
      ["555555555", "1", "Grow Therapy Professional Corp"],
    ]);
  });

  it("names the file and the byte of a broken file", () => {
    const broken = join(dir, "discover-broken.json");
    writeFileSync(broken, "{\"in_network\": [1,");
    const result = cli("tic-discover.ts", [broken, "--name", "x"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^discover-broken\.json: byte \d+: /);
  });
});

describe("import progress", () => {
  it("shows bytes of the total, MB/s, ETA and rates kept, with a bar on a terminal", () => {
    const line = progressLine({ done: 1, files: 3, read: 512 * 1024 * 1024, total: 1024 * 1024 * 1024, decoded: 4 * 1024 * 1024 * 1024, seconds: 20, ratesKept: 1234, width: 10 });
    expect(line).toBe("[#####-----]  50%  files 1/3  512.0 MB of 1.00 GB  205 MB/s of JSON  ETA 20s  1,234 rates kept");
    expect(progressLine({ done: 0, files: 1, read: 1024 * 1024, total: null, decoded: 1024 * 1024, seconds: 1, ratesKept: 0 }))
      .toBe("files 0/1  1.0 MB read  1 MB/s of JSON  ETA ?  0 rates kept");
  });
});
