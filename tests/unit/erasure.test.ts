// Issue 13: what the database remembers. A deleted report leaves neither file, even while
// another connection reads; tombstones and the snapshot high-water mark outlive a restore;
// rejected reports are erased after their retention; reports are stored in id order.
import Database from "better-sqlite3";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { auditLog, reportRejections, reports, snapshots } from "../../db/schema.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { ERASURE_RETRY_MS, erasurePending } from "../../src/lib/write/erasure.ts";
import { ledgerDirFor, readTombstones, snapshotHighWater } from "../../src/lib/write/ledger.ts";
import { reviewReport } from "../../src/lib/write/moderation.ts";
import { receiptHash } from "../../src/lib/write/receipts.ts";
import { eraseExpiredRejections } from "../../src/lib/write/rejections.ts";
import { deleteReport, submitReport } from "../../src/lib/write/reports.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { experienceShares } from "../../src/lib/write/snapshot-shares.ts";
import { validReport } from "../hardening/support.ts";

const root = mkdtempSync(join(tmpdir(), "ratecard-erasure-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function fileDatabase(): { path: string; connection: Connection } {
  const path = join(root, `db-${++counter}`, "ratecard.db");
  const connection = openDatabase(path);
  prepareDatabase(connection, { demo: false, k: 5 });
  return { path, connection };
}

/** An amount no other row holds, as SQLite stores it: a 4-byte big-endian integer of cents. */
const PAID = 91_234.57;
const PAID_BYTES = Buffer.alloc(4);
PAID_BYTES.writeUInt32BE(9_123_457);
const PERCENT_FEE = 37.123456789;

function distinctiveReport() {
  return reportSubmissionSchema.parse(validReport({
    rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: PAID }],
    platform_experience: { percent_fee: PERCENT_FEE },
  }));
}

function percentBytes(): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(PERCENT_FEE);
  return bytes;
}

function bytesOnDisk(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file)));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("erasing a report (items 10 and 11)", () => {
  it("finishes the erasure once a reader held open across the DELETE is gone: no id, hash or amount in the database or WAL", async () => {
    const { path, connection } = fileDatabase();
    const { receipt } = submitReport(connection, distinctiveReport());
    const id = connection.db.select({ id: reports.id }).from(reports).get()!.id;
    expect(PAID_BYTES.readUInt32BE(0)).toBe(Math.round(PAID * 100));
    expect(bytesOnDisk(path).includes(Buffer.from(id)), "the report is on disk before").toBe(true);

    const reader = new Database(path, { readonly: true });
    reader.prepare("BEGIN").run();
    reader.prepare("SELECT count(*) FROM reports").get();
    expect(deleteReport(connection, receipt)).toBe(true);
    expect(erasurePending(connection.sqlite), "the reader blocks the checkpoint").toBe(true);
    reader.prepare("COMMIT").run();
    reader.close();

    for (let waited = 0; erasurePending(connection.sqlite) && waited < 5000; waited += ERASURE_RETRY_MS) await sleep(ERASURE_RETRY_MS);
    expect(erasurePending(connection.sqlite)).toBe(false);
    const disk = bytesOnDisk(path);
    expect(disk.includes(Buffer.from(id)), "report id").toBe(false);
    expect(disk.includes(Buffer.from(receiptHash(receipt))), "receipt hash").toBe(false);
    expect(disk.includes(PAID_BYTES), "amount paid").toBe(false);
    expect(disk.includes(percentBytes()), "percentage fee").toBe(false);
    connection.sqlite.close();
  });

  it("keeps a tombstone of the report's id, and only its id, outside the database", () => {
    const { path, connection } = fileDatabase();
    const { receipt } = submitReport(connection, distinctiveReport());
    const id = connection.db.select({ id: reports.id }).from(reports).get()!.id;
    expect(deleteReport(connection, receipt)).toBe(true);
    expect(readTombstones(path)).toEqual([id]);
    const ledger = readFileSync(join(ledgerDirFor(path), "erased-reports"), "utf8");
    expect(ledger).toBe(`${id}\n`);
    connection.sqlite.close();
  });

  it("numbers new snapshots above every id ever published, even after the database forgot them", () => {
    const { path, connection } = fileDatabase();
    const first = buildSnapshot(connection, { k: 5, trigger: "script" });
    const second = buildSnapshot(connection, { k: 5, trigger: "script" });
    expect(second.id).toBe(first.id + 1);
    expect(snapshotHighWater(connection.sqlite)).toBe(second.id);
    // A restore from a backup made before the second snapshot:
    connection.db.delete(snapshots).run();
    connection.sqlite.prepare("DELETE FROM sqlite_sequence WHERE name = 'snapshots'").run();
    const third = buildSnapshot(connection, { k: 5, trigger: "script" });
    expect(third.id).toBe(second.id + 1);
    connection.sqlite.close();
    expect(existsSync(ledgerDirFor(path))).toBe(true);
  });
});

describe("what a snapshot says of when it was made (item 14)", () => {
  it("gives its creation time to the day", () => {
    const connection = openDatabase(":memory:");
    prepareDatabase(connection, { demo: false, k: 5 });
    const snapshot = buildSnapshot(connection, { k: 5, trigger: "script", now: new Date("2026-11-30T17:42:13.123Z") });
    expect(snapshot.createdAt).toBe("2026-11-30T00:00:00Z");
  });
});

describe("rejected reports (items 13 and 17)", () => {
  it("are erased after the retention, with a tombstone, and the audit line names the decision and hold reason, not the report", () => {
    const { path, connection } = fileDatabase();
    const { receipt } = submitReport(connection, distinctiveReport());
    const held = connection.db.select().from(reports).get()!;
    expect(held.reviewStatus).toBe("pending");
    const rejectedOn = new Date("2026-11-01T10:00:00Z");
    expect(reviewReport(connection, held.id, "rejected", null, rejectedOn)).toBe(true);
    const line = connection.db.select().from(auditLog).all().at(-1)!;
    expect(line.action).toBe("report.rejected");
    expect(line.detail).not.toContain(held.id);
    expect(JSON.parse(line.detail)).toEqual({ decision: "rejected", hold_reason: held.holdReason });
    expect(connection.db.select().from(reportRejections).all()).toEqual([{ reportId: held.id, rejectedOn: "2026-11-01" }]);

    const thirtyDays = 30 * 86_400_000;
    expect(eraseExpiredRejections(connection, thirtyDays, new Date("2026-11-30T12:00:00Z"))).toBe(0);
    expect(eraseExpiredRejections(connection, thirtyDays, new Date("2026-12-01T12:00:00Z"))).toBe(1);
    expect(connection.db.select().from(reports).all()).toEqual([]);
    expect(connection.db.select().from(reportRejections).all()).toEqual([]);
    expect(readTombstones(path)).toEqual([held.id]);
    expect(deleteReport(connection, receipt)).toBe(false);
    connection.sqlite.close();
  });
});

describe("stored order (item 13)", () => {
  it("stores reports, rates and rejections WITHOUT ROWID, with every CHECK and index kept", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    const schemaOf = (name: string) => (connection.sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) as { sql: string }).sql;
    for (const table of ["reports", "rates", "report_rejections"]) expect(schemaOf(table), `${table} is WITHOUT ROWID (a generated migration must not revert it)`).toMatch(/\)\s*WITHOUT ROWID$/);
    expect(schemaOf("reports").match(/CONSTRAINT "report_/g)).toHaveLength(15);
    expect(schemaOf("rates").match(/CONSTRAINT "rate_/g)).toHaveLength(6);
    const indexes = (connection.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' AND tbl_name IN ('reports', 'rates')").all() as { name: string }[]).map((row) => row.name).sort();
    expect(indexes).toEqual(["rates_cpt", "reports_receipt_hash", "reports_status_source"]);
    expect(connection.sqlite.prepare("SELECT name FROM sqlite_master WHERE name LIKE '__old_%'").all()).toEqual([]);
  });

  it("keeps reports in id order, not arrival order, with their rates cascading on delete", () => {
    const { connection } = fileDatabase();
    for (let i = 0; i < 20; i++) submitReport(connection, reportSubmissionSchema.parse(validReport()));
    // A full scan, not a covering index: the order the rows are stored in.
    const ids = (connection.sqlite.prepare("SELECT id, hold_reason, percent_fee FROM reports NOT INDEXED").all() as { id: string }[]).map((row) => row.id);
    expect(ids).toEqual([...ids].sort());
    expect(connection.sqlite.pragma("foreign_key_check")).toEqual([]);
    connection.db.delete(reports).run();
    expect(connection.sqlite.prepare("SELECT count(*) AS n FROM rates").get()).toEqual({ n: 0 });
    connection.sqlite.close();
  });
});

describe("experience shares (item 16)", () => {
  it("computes the All platforms share only over platforms whose own share is published", () => {
    const connection = openDatabase(":memory:");
    prepareDatabase(connection, { demo: false, k: 5 });
    const answered = (platform: string) => reportSubmissionSchema.parse(validReport({ platform, platform_experience: { told_of_fee_split: true } }));
    for (let i = 0; i < 25; i++) submitReport(connection, answered("alma"));
    for (let i = 0; i < 3; i++) submitReport(connection, answered("headway"));
    const shares = experienceShares(connection, "crowd").filter((row) => row.question === "told_of_fee_split");
    expect(shares.map((row) => [row.platform, row.n])).toEqual([["all", 25], ["alma", 25]]);
  });
});
