// Readers' reports of a wrong TIN mapping: normalized, validated, stored with the month only.
import { describe, expect, it } from "vitest";
import { tinMappingReports } from "../../db/schema.ts";
import { normalizeTin } from "../../src/lib/schemas/tin-report.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { eraseOldTinMappingReports, openTinMappingReports, reportTinMapping, resolveTinMappingReport } from "../../src/lib/write/tin-mapping-reports.ts";

function fresh() {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  prepareDatabase(connection, { demo: false, k: 5 });
  return connection.db;
}

describe("reporting a wrong TIN mapping", () => {
  it("normalizes TINs written with a dash, spaces or without leading zeros, and keeps a 10-digit NPI", () => {
    expect(normalizeTin("12-3456789")).toBe("123456789");
    expect(normalizeTin(" 2345678 9")).toBe("023456789");
    expect(normalizeTin("1234567893")).toBe("1234567893");
    expect(normalizeTin("12-34567890x")).toBeNull();
    expect(normalizeTin("123456789012")).toBeNull();
  });

  it("stores the TIN, the platform, the reason and the month, and nothing else; resolving erases it", () => {
    const db = fresh();
    expect(reportTinMapping(db, { tin: "12-3456789", platform: "headway", message: "This TIN is Headway's Oregon entity, see its contract." }, new Date("2026-11-30T23:59:00Z"))).toEqual({ ok: true });
    const rows = db.select().from(tinMappingReports).all();
    expect(rows).toEqual([{ id: expect.stringMatching(/^[a-z2-7]{16}$/), tin: "123456789", platform: "headway", message: "This TIN is Headway's Oregon entity, see its contract.", month: "2026-11", status: "open" }]);
    expect(openTinMappingReports(db, new Date("2026-12-01T00:00:00Z"))).toHaveLength(1);
    expect(resolveTinMappingReport(db, rows[0]!.id)).toBe(true);
    expect(db.select().from(tinMappingReports).all()).toEqual([]);
    expect(resolveTinMappingReport(db, "nope")).toBe(false);
  });

  it("refuses a bad TIN, an unknown platform or an empty reason with a message per field, storing nothing", () => {
    const db = fresh();
    const outcome = reportTinMapping(db, { tin: "abc", platform: "", message: "short" });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.map((e) => e.path).sort()).toEqual(["message", "tin"]);
    expect(reportTinMapping(db, { tin: "123456789", platform: "not-a-platform", message: "It belongs to someone else entirely." })).toEqual({ ok: false, errors: [{ path: "platform", message: "Choose a platform from the list" }] });
    expect(reportTinMapping(db, { tin: "123456789", message: "x".repeat(1001) }).ok).toBe(false);
    expect(db.select().from(tinMappingReports).all()).toEqual([]);
  });

  it("erases every report once 90 days have passed since its month began, never later", () => {
    const db = fresh();
    const message = "This TIN belongs to Rula, see its public filings.";
    for (const month of ["2026-08-15", "2026-09-01", "2026-09-30", "2026-10-02"]) reportTinMapping(db, { tin: "123456789", message }, new Date(`${month}T12:00:00Z`));
    // 2026-11-29 minus 90 days is 2026-08-31: August began more than 90 days ago, September did not.
    expect(openTinMappingReports(db, new Date("2026-11-29T00:00:00Z")).map((r) => r.month)).toEqual(["2026-10", "2026-09", "2026-09"]);
    // 2026-11-30 minus 90 days is 2026-09-01: September's first day is now 90 days old.
    expect(eraseOldTinMappingReports(db, new Date("2026-11-30T00:00:00Z"))).toBe(2);
    expect(db.select().from(tinMappingReports).all().map((r) => r.month)).toEqual(["2026-10"]);
  });
});
