// Issue 12 item 5: a moderator may hold a burst (many new reports in one cell within one snapshot
// period) for review. "New" is one bit that every published snapshot clears; demo never counts;
// a burst is shown and audited by its cell and count band only, never by report ids or pay.
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { recentAudit } from "../../src/lib/write/auth/audit.ts";
import { burstThreshold, holdBurst, listBursts } from "../../src/lib/write/bursts.ts";
import { listPendingReports, reviewReport } from "../../src/lib/write/moderation.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { loadReferenceData } from "../../src/lib/write/reference-seed.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";

const actor = { id: "m1", email: "mod@example.org" };
const CELL = { cpt: "90837", state: "OR", channel: "platform", platform: "alma", payer: "cigna" };

function fresh(): Connection {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  loadReferenceData(connection.db);
  return connection;
}

function submit(connection: Connection, count: number, { source = "crowd" as "crowd" | "demo", paid = 104, state = "OR" } = {}) {
  for (let i = 0; i < count; i++) {
    submitReport(connection, reportSubmissionSchema.parse({
      state, license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma",
      rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", year: 2025, paid: paid + i }],
    }), { source });
  }
}

describe("bursts since the last snapshot", () => {
  it("lists a cell from the threshold on, with its count as a band and no ids or pay", () => {
    const connection = fresh();
    submit(connection, 9);
    expect(listBursts(connection, 5)).toEqual([]);
    submit(connection, 1);
    expect(listBursts(connection, 5)).toEqual([{ ...CELL, nBand: "10-19" }]);
    submit(connection, 12);
    const text = JSON.stringify(listBursts(connection, 5));
    expect(listBursts(connection, 5)).toEqual([{ ...CELL, nBand: "20-49" }]);
    expect(text).not.toMatch(/"22"|:22\b|104|10400/);
    expect(Object.keys(listBursts(connection, 5)[0]!).sort()).toEqual(["channel", "cpt", "nBand", "payer", "platform", "state"]);
  });

  it("never uses a threshold below K, and a lower one down to K shows the K-9 band", () => {
    expect(burstThreshold(3, 5)).toBe(5);
    expect(burstThreshold(10, 5)).toBe(10);
    expect(burstThreshold(25, 5)).toBe(25);
    const connection = fresh();
    submit(connection, 6);
    expect(listBursts(connection, 5, 5)).toEqual([{ ...CELL, nBand: "5-9" }]);
    expect(listBursts(connection, 7, 3)).toEqual([]);
  });

  it("never counts demo reports", () => {
    const connection = fresh();
    submit(connection, 30, { source: "demo" });
    expect(listBursts(connection, 5)).toEqual([]);
  });

  it("starts a new period when a snapshot is published", () => {
    const connection = fresh();
    submit(connection, 12);
    expect(listBursts(connection, 5)).toHaveLength(1);
    buildSnapshot(connection, { k: 5, trigger: "script", now: new Date("2026-11-25T00:00:00Z") });
    expect(listBursts(connection, 5)).toEqual([]);
    expect(connection.sqlite.prepare("SELECT count(*) AS n FROM reports WHERE since_last_snapshot = 1").get()).toEqual({ n: 0 });
    submit(connection, 9);
    expect(listBursts(connection, 5)).toEqual([]);
  });

  it("holds a burst's reports for review with reason 'burst', audited by cell and band only", () => {
    const connection = fresh();
    submit(connection, 11);
    submit(connection, 3, { state: "WA" }); // another cell, not held
    const outcome = holdBurst(connection, CELL, actor, 5);
    expect(outcome).toEqual({ ok: true, nBand: "10-19" });
    const pending = listPendingReports(connection);
    expect(pending).toHaveLength(11);
    expect(pending.every((r) => r.holdReason === "burst" && r.state === "OR")).toBe(true);
    expect(listBursts(connection, 5)).toEqual([]);

    const entry = recentAudit(connection.db).find((e) => e.action === "burst.held");
    expect(entry?.moderatorEmail).toBe("mod@example.org");
    expect(JSON.parse(entry!.detail)).toEqual({ cell: CELL, count_band: "10-19" });
    for (const report of pending) expect(entry!.detail).not.toContain(report.id);

    // Held reports are decided in the normal queue; approved ones are not listed as new again.
    expect(reviewReport(connection, pending[0]!.id, "accepted", actor)).toBe(true);
    expect(listBursts(connection, 5, 5)).toEqual([]);
    // A second hold of the same cell finds no burst any more.
    expect(holdBurst(connection, CELL, actor, 5)).toEqual({ ok: false });
  });

  it("refuses to hold a cell below the threshold, and changes nothing", () => {
    const connection = fresh();
    submit(connection, 9);
    expect(holdBurst(connection, CELL, actor, 5)).toEqual({ ok: false });
    expect(listPendingReports(connection)).toEqual([]);
    expect(recentAudit(connection.db).some((e) => e.action === "burst.held")).toBe(false);
  });
});
