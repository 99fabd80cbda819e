// Backups (issue 8): `npm run backup` (online, through SQLite's backup API; old backups expired so
// that deleted reports do not live on) and `npm run restore -- FILE`, through the real scripts.
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupFileName, backupTime } from "../../scripts/backup.ts";
import { openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { deleteReport, submitReport, viewReport } from "../../src/lib/write/reports.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { PROJECT_ROOT, startServer } from "../helpers/server.ts";
import { runBounded, validReport } from "./support.ts";

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs `node scripts/<name>.ts …` as `npm run <name>` does, with DATABASE_PATH set. */
function runScript(name: "backup" | "restore", args: string[], databasePath: string): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, "scripts", `${name}.ts`), ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_PATH: databasePath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolveRun({ code, stdout, stderr }));
  });
}

const backupsOf = (dir: string) => readdirSync(join(dir, "backups")).filter((name) => backupTime(name) !== null).sort();

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "ratecard-backup-"));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A database with the demo reports, a snapshot, and one crowd report; returns its receipt. */
function makeDatabase(dir: string): { dbPath: string; receipt: string } {
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, "ratecard.db");
  const connection = openDatabase(dbPath);
  try {
    prepareDatabase(connection, { demo: true, k: 5 });
    const { receipt } = submitReport(connection, reportSubmissionSchema.parse(validReport({ state: "WA" })));
    return { dbPath, receipt };
  } finally {
    connection.sqlite.close();
  }
}

function withDatabase<T>(dbPath: string, use: (connection: Connection) => T): T {
  const connection = openDatabase(dbPath);
  try {
    return use(connection);
  } finally {
    connection.sqlite.close();
  }
}

describe("npm run backup / npm run restore", () => {
  it("round trip: back up, delete a report, restore — everything is back but the deleted report (its tombstone outlives the restore)", async () => {
    const dir = join(root, "round-trip");
    const { dbPath, receipt } = makeDatabase(dir);

    const backup = await runScript("backup", [], dbPath);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up .*ratecard\.db to .*backups\/ratecard-\d{8}-\d{6}\.db: [\d.]+ MB, 2001 reports, 1 snapshots; 1 snapshot files/m);
    const [name] = backupsOf(dir);
    const file = join(dir, "backups", name!);
    // A single self-contained file, readable by its owner only, with the snapshot files beside it.
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readdirSync(`${file}.snapshots`)).toEqual(["snapshot-1.snapshot"]);
    expect(readFileSync(`${file}.snapshots/snapshot-1.snapshot`).equals(readFileSync(`${dbPath}.snapshots/snapshot-1.snapshot`))).toBe(true);
    console.log(`backup: ${name} ${(statSync(file).size / 1024 / 1024).toFixed(2)} MB + snapshot file ${(statSync(`${file}.snapshots/snapshot-1.snapshot`).size / 1024 / 1024).toFixed(2)} MB (2,001 reports, 1 snapshot)`);

    withDatabase(dbPath, (connection) => {
      expect(deleteReport(connection, receipt)).toBe(true);
      expect(viewReport(connection, receipt)).toBeNull();
    });
    // The snapshot folder is restored too: lose it here.
    rmSync(`${dbPath}.snapshots`, { recursive: true });

    const restore = await runScript("restore", [file], dbPath);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain("2000 reports, 1 snapshots; 1 reports deleted since the backup erased again; 1 snapshot files restored.");
    expect(existsSync(`${dbPath}-wal`), "no stale WAL beside the restored file").toBe(false);
    withDatabase(dbPath, (connection) => {
      expect(viewReport(connection, receipt)).toBeNull();
      expect(connection.sqlite.prepare("SELECT count(*) AS n FROM reports").get()).toEqual({ n: 2000 });
      expect(connection.sqlite.prepare("SELECT count(*) AS n FROM rates WHERE report_id NOT IN (SELECT id FROM reports)").get()).toEqual({ n: 0 });
      expect(connection.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    });
    expect(readdirSync(`${dbPath}.snapshots`)).toEqual(["snapshot-1.snapshot"]);
    // The server starts on the restored database and serves the report and the published data.
    const server = await startServer({ dbPath });
    try {
      expect((await fetch(`${server.url}/api/v1/reports/${receipt}`)).status).toBe(404);
      // The restored snapshot is served as published.
      const published = await fetch(`${server.url}/api/v1/snapshots.json`).then((r) => r.json()) as { rows: { id: number }[] };
      expect(published.rows.map((row) => row.id)).toEqual([1]);
      expect((await fetch(`${server.url}/api/v1/aggregates.json?cpt=90837`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it("backs up online while the server takes submissions, and restore refuses while it runs", async () => {
    const dir = join(root, "online");
    const { dbPath } = makeDatabase(dir);
    const server = await startServer({ dbPath });
    let backup: Run;
    let created = 0;
    try {
      // Submissions, 16 in flight, from before the backup starts until it has finished (at most 5,000).
      let backupDone = false;
      let sent = 0;
      const load = runBounded(5_000, 16, async () => {
        if (backupDone && sent >= 100) return;
        sent++;
        const response = await fetch(`${server.url}/api/v1/reports`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(validReport()) });
        if (response.status === 201) created++;
        await response.body?.cancel();
      });
      while (created < 50) await new Promise((resolveWait) => setTimeout(resolveWait, 10));
      const createdBefore = created;
      backup = await runScript("backup", [], dbPath);
      backupDone = true;
      const createdDuring = created - createdBefore;
      await load;
      expect(backup.code, backup.stderr).toBe(0);
      expect(createdDuring, "submissions were answered while the backup ran").toBeGreaterThan(0);
      expect(created).toBe(sent);
      console.log(`online backup: ${createdDuring} reports answered 201 while the backup ran; ${backup.stdout.trim().split("\n")[0]}`);

      const refused = await runScript("restore", [join(dir, "backups", backupsOf(dir)[0]!)], dbPath);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/in use \(a running server\?\): stop it first/);
    } finally {
      await server.stop();
    }
    // The backup is a consistent copy from some moment during the load.
    const copy = new Database(join(dir, "backups", backupsOf(dir)[0]!), { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      const n = (copy.prepare("SELECT count(*) AS n FROM reports WHERE source = 'crowd'").get() as { n: number }).n;
      expect(n).toBeGreaterThanOrEqual(51);
      expect(n).toBeLessThanOrEqual(created + 1);
      const orphans = (copy.prepare("SELECT count(*) AS n FROM rates WHERE report_id NOT IN (SELECT id FROM reports)").get() as { n: number }).n;
      expect(orphans, "no half-written report").toBe(0);
    } finally {
      copy.close();
    }
  }, 60_000);

  it("restore refuses a file that is not a sound Ratecard database, and leaves the database alone", async () => {
    const dir = join(root, "refuse");
    const { dbPath, receipt } = makeDatabase(dir);
    const before = readFileSync(dbPath);

    const notSqlite = join(dir, "not-sqlite.db");
    writeFileSync(notSqlite, "this is not a database\n".repeat(100));
    const other = join(dir, "other.db");
    const otherDb = new Database(other);
    otherDb.exec("CREATE TABLE notes (text TEXT)");
    otherDb.close();
    // A Ratecard backup with a damaged page: the integrity check must catch it.
    const damaged = join(dir, "damaged.db");
    expect((await runScript("backup", [], dbPath)).code).toBe(0);
    const good = readFileSync(join(dir, "backups", backupsOf(dir)[0]!));
    const pageSize = good.readUInt16BE(16) === 1 ? 65_536 : good.readUInt16BE(16);
    const bytes = Buffer.from(good);
    // Scramble the middle of the file (b-tree pages of the reports and rates tables).
    for (let offset = Math.floor(bytes.length / 2 / pageSize) * pageSize; offset < bytes.length / 2 + 4 * pageSize; offset += 7) bytes[offset] = (bytes[offset]! + 97) & 0xff;
    writeFileSync(damaged, bytes);

    for (const [file, message] of [
      [join(dir, "missing.db"), /No backup file at/],
      [notSqlite, /is not (?:an|a readable) SQLite database/],
      [other, /is not a Ratecard database \(no reports, rates, snapshots table\)/],
      [damaged, /failed PRAGMA integrity_check|is not a readable SQLite database/],
    ] as const) {
      const run = await runScript("restore", [file], dbPath);
      console.log(`restore ${file.split("/").at(-1)}: ${run.stderr.trim()}`);
      expect(run.code, `${file}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    expect((await runScript("restore", [], dbPath)).code).toBe(2);
    expect(readFileSync(dbPath).equals(before), "the database was not touched").toBe(true);
    withDatabase(dbPath, (connection) => expect(viewReport(connection, receipt)).not.toBeNull());
  }, 60_000);

  it("expires backups older than 7 days by default, or --keep-days N, with their snapshot folders", async () => {
    const dir = join(root, "expiry");
    const { dbPath } = makeDatabase(dir);
    const backups = join(dir, "backups");
    mkdirSync(backups, { recursive: true });
    const daysAgo = (days: number) => backupFileName(new Date(Date.now() - days * 86_400_000));
    const fake = (name: string) => {
      writeFileSync(join(backups, name), "old backup");
      mkdirSync(join(backups, `${name}.snapshots`));
      writeFileSync(join(backups, `${name}.snapshots`, "snapshot-1.snapshot"), "x");
    };
    const [ten, eight, six, two] = [daysAgo(10), daysAgo(8), daysAgo(6.5), daysAgo(2)];
    for (const name of [ten, eight, six, two]) fake(name!);
    writeFileSync(join(backups, "notes.txt"), "not a backup: never touched");

    const first = await runScript("backup", [], dbPath);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Expired ${join(backups, ten!)} (10.0 days old; keeping 7 days).`);
    expect(first.stdout).toContain(`Expired ${join(backups, eight!)} (8.0 days old; keeping 7 days).`);
    const afterFirst = backupsOf(dir);
    expect(afterFirst).toHaveLength(3);
    expect(afterFirst).toEqual(expect.arrayContaining([six, two]));
    expect(existsSync(join(backups, `${ten}.snapshots`))).toBe(false);
    expect(existsSync(join(backups, `${six}.snapshots`))).toBe(true);

    const second = await runScript("backup", ["--keep-days", "3"], dbPath);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`Expired ${join(backups, six!)} (6.5 days old; keeping 3 days).`);
    expect(backupsOf(dir)).not.toContain(six);
    expect(backupsOf(dir)).toContain(two);

    // --keep-days 0 keeps only the backup just written.
    const third = await runScript("backup", ["--keep-days", "0"], dbPath);
    expect(third.code, third.stderr).toBe(0);
    const left = backupsOf(dir);
    expect(left).toHaveLength(1);
    expect(third.stdout).toContain(`to ${join(backups, left[0]!)}:`);
    expect(readdirSync(backups).sort()).toEqual([left[0], `${left[0]}.snapshots`, "notes.txt"].sort());

    for (const bad of ["-1", "abc", "1.5"]) {
      const run = await runScript("backup", [`--keep-days=${bad}`], dbPath);
      expect(run.code, bad).toBe(2);
      expect(run.stderr).toContain("--keep-days must be a whole number");
    }
    const unknown = await runScript("backup", ["--keep", "3"], dbPath);
    expect(unknown.code).toBe(2);
    // Nothing is written for a database that does not exist.
    const missing = await runScript("backup", [], join(dir, "nowhere", "ratecard.db"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Backup failed: No database at/);
    expect(existsSync(join(dir, "nowhere"))).toBe(false);
  }, 60_000);
});
