import { describe, expect, it } from "vitest";
import { generateDemoReports } from "../../db/seed/demo.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { medicareAmounts } from "../../src/lib/read/reference.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { prepareDatabase, reportCount } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";

function fresh() {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  return connection;
}

describe("preparing a database", () => {
  it("adds demo reports to an empty database only, and a second start changes nothing", () => {
    const connection = fresh();
    const first = prepareDatabase(connection, { demo: true, k: 5 });
    expect(first.demoReportsAdded).toBe(2000);
    expect(first.snapshotBuilt).toBe(true);
    expect(first.snapshot.isDemo).toBe(true);
    const second = prepareDatabase(connection, { demo: true, k: 5 });
    expect(second).toMatchObject({ demoReportsAdded: 0, snapshotBuilt: false });
    expect(second.snapshot.id).toBe(first.snapshot.id);
    expect(reportCount(connection)).toBe(2000);
    const sources = connection.sqlite.prepare("SELECT DISTINCT source FROM reports").all();
    expect(sources).toEqual([{ source: "demo" }]);
  });

  it("never adds demo reports with RATECARD_DEMO=off", () => {
    const connection = fresh();
    const prepared = prepareDatabase(connection, { demo: false, k: 5 });
    expect(prepared.demoReportsAdded).toBe(0);
    expect(prepared.snapshot.reportsUsed).toBe(0);
  });

  it("generates the same demo reports from the same seed, all valid submissions", () => {
    const connection = fresh();
    prepareDatabase(connection, { demo: false, k: 5 });
    const medicare = medicareAmounts(connection.db);
    const a = generateDemoReports(medicare, 300);
    expect(generateDemoReports(medicare, 300)).toEqual(a);
    for (const report of a) expect(reportSubmissionSchema.safeParse(report).success).toBe(true);
  });

  it("switches to crowd reports only from the first accepted crowd report on", () => {
    const connection = fresh();
    prepareDatabase(connection, { demo: true, k: 5 });
    const submission = reportSubmissionSchema.parse({
      state: "OR", license: "lpc", years_licensed: "5-9", channel: "direct",
      rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", year: 2025, paid: 140 }],
    });
    submitReport(connection, submission);
    // A held report (pay far above Medicare) waits for a moderator and is not used.
    const held = submitReport(connection, reportSubmissionSchema.parse({ ...submission, rates: [{ ...submission.rates[0], paid: 1900 }] }));
    expect(held).toMatchObject({ reviewStatus: "pending" });
    const snapshot = buildSnapshot(connection, { k: 5, trigger: "script" });
    expect(snapshot.isDemo).toBe(false);
    expect(snapshot.reportsUsed).toBe(1);
    expect(snapshot.cellsPublished).toBe(0);
  });
});
