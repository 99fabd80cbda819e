// Issue 13 item 15: moderators decide on bands. The review queue lists each rate's band and the
// hold reason, never an exact amount; the amounts come only on an explicit request, audited.
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { recentAudit } from "../../src/lib/write/auth/audit.ts";
import * as moderation from "../../src/lib/write/moderation.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { loadReferenceData } from "../../src/lib/write/reference-seed.ts";

function withHeldReport() {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  loadReferenceData(connection.db);
  submitReport(connection, reportSubmissionSchema.parse({
    state: "OR", license: "lpc", years_licensed: "5-9", channel: "direct",
    rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", year: 2025, paid: 1937, allowed: 1951 }],
  }));
  return connection;
}

describe("the review queue", () => {
  it("lists bands and the hold reason, and no exact amount", () => {
    const connection = withHeldReport();
    const [report] = moderation.listPendingReports(connection);
    expect(report!.holdReason).toMatch(/400% of Medicare/);
    expect(report!.rates[0]).toMatchObject({ paidBand: expect.stringMatching(/^\d+-\d+$/) });
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/1937|1951|193700|195100/);
    expect(report!.rates[0]).not.toHaveProperty("paid");
    expect(report!.rates[0]).not.toHaveProperty("allowed");
  });

  it("gives the exact amounts of one report only on request, and audits the request", () => {
    const connection = withHeldReport();
    const [report] = moderation.listPendingReports(connection);
    const actor = { id: "m1", email: "mod@example.org" };
    const amounts = moderation.revealExactAmounts(connection, report!.id, actor);
    expect(amounts).toEqual([{ line: 1, paid: 1937, allowed: 1951 }]);
    const entry = recentAudit(connection.db).find((e) => e.action === "report.amounts_viewed");
    expect(entry?.moderatorEmail).toBe("mod@example.org");
    expect(entry?.detail).not.toMatch(/1937|1951/);
    expect(moderation.revealExactAmounts(connection, "no-such-report", actor)).toBeNull();
  });
});
