// The rate history's words (issue 15 item 6): a cut or a rise only when the later median, as the
// page shows it (band or point), lies wholly below or above the earlier one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CellDisplay } from "../../src/lib/read/cell-display.ts";
import { findCells, snapshotById, type Snapshot } from "../../src/lib/read/published.ts";
import { cellHistory, historySentences, profileFilter, type HistoryPoint } from "../../src/lib/read/rate-history.ts";
import { NATIONAL } from "../../src/lib/rules/ladders.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";

function point(id: number, median: string, medianLow: number, medianHigh: number): HistoryPoint {
  const display = { median, chart: { low: medianLow - 10, high: medianHigh + 10, medianLow, medianHigh } } as CellDisplay;
  return { snapshot: { id } as Snapshot, display };
}

describe("historySentences", () => {
  it("says a cut between bands that only touch, in the page's words", () => {
    expect(historySentences([point(12, "$120–$160", 120, 160), point(13, "$90–$120", 90, 120)]))
      .toEqual(["The median fell from $120–$160 to $90–$120 between snapshot 12 and 13."]);
  });

  it("says a rise from a point to a band above it", () => {
    expect(historySentences([point(1, "$106", 106, 106), point(2, "$120–$160", 120, 160)]))
      .toEqual(["The median rose from $106 to $120–$160 between snapshot 1 and 2."]);
  });

  it("says nothing when the bands overlap or the median stays", () => {
    expect(historySentences([point(1, "$120–$160", 120, 160), point(2, "$110–$150", 110, 150), point(3, "$130", 130, 130), point(4, "$130", 130, 130)])).toEqual([]);
    expect(historySentences([point(1, "$106", 106, 106)])).toEqual([]);
  });
});

describe("cellHistory", () => {
  it("never joins a snapshot of the other kind (demo and crowd) to the current one's history", () => {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-rate-history-"));
    const connection = openDatabase(join(dir, "ratecard.db"));
    try {
      migrateDatabase(connection);
      prepareDatabase(connection, { demo: false, k: 5 });
      for (let i = 0; i < 12; i++) {
        submitReport(connection, reportSubmissionSchema.parse({
          state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma", employment: "1099",
          rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2026, paid: 100 + i }],
        }));
      }
      const a = buildSnapshot(connection, { k: 5, trigger: "script" }).id;
      const b = buildSnapshot(connection, { k: 5, trigger: "script" }).id;
      const c = buildSnapshot(connection, { k: 5, trigger: "script" }).id;
      const [cell] = findCells(connection.db, c, { cpt: "90837", geoLevel: "national", geo: NATIONAL }, { limit: 1 });
      const filter = profileFilter("90837", cell!.yearWindow, { channel: null, platform: null, payer: null }, false);
      const ids = (current: number) => cellHistory(connection.db, snapshotById(connection.db, current)!, filter).map((p) => p.snapshot.id);
      expect(ids(c)).toEqual([a, b, c]);
      // Snapshot b marked as demo: the crowd history skips it, and a demo history holds only demo snapshots.
      connection.sqlite.prepare("UPDATE snapshots SET is_demo = 1 WHERE id = ?").run(b);
      expect(ids(c)).toEqual([a, c]);
      expect(ids(b)).toEqual([b]);
    } finally {
      connection.sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
