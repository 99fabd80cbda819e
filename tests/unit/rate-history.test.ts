// The rate history's words (issue 15 item 6): a cut or a rise only when the later median, as the
// page shows it (band or point), lies wholly below or above the earlier one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CellDisplay } from "../../src/lib/read/cell-display.ts";
import { findCells, snapshotById, type Snapshot } from "../../src/lib/read/published.ts";
import { cellHistory, historyCsvUrl, historyRows, historyRuns, historySentences, placeFilter, profileFilter, type HistoryPoint } from "../../src/lib/read/rate-history.ts";
import { NATIONAL } from "../../src/lib/rules/ladders.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";

function point(id: number, median: string, medianLow: number, medianHigh: number): HistoryPoint {
  const display = { median, chart: { low: medianLow - 10, high: medianHigh + 10, medianLow, medianHigh } } as CellDisplay;
  return { snapshot: { id, createdAt: `2026-11-${String(id).padStart(2, "0")}T00:00:00.000Z` } as Snapshot, display };
}

describe("historyRuns and historyRows", () => {
  it("show consecutive snapshots with the same figures as one row, and a cut between runs in words", () => {
    const runs = historyRuns([point(1, "$120–$160", 120, 160), point(2, "$120–$160", 120, 160), point(3, "$120–$160", 120, 160), point(4, "$90–$120", 90, 120), point(5, "$120–$160", 120, 160)]);
    expect(runs.map((r) => [r.first.id, r.last.id])).toEqual([[1, 3], [4, 4], [5, 5]]);
    expect(historyRows(runs).map((r) => r.label)).toEqual([
      "Snapshots 1–3 (November 1, 2026 to November 3, 2026)", "Snapshot 4 (November 4, 2026)", "Snapshot 5 (November 5, 2026)",
    ]);
    expect(historySentences(runs)).toEqual([
      "The median fell from $120–$160 to $90–$120 between snapshot 3 and 4.",
      "The median rose from $90–$120 to $120–$160 between snapshot 4 and 5.",
    ]);
  });

  it("keep a run when only the count of reports moves, showing the latest count", () => {
    const counted = (id: number, reports: string) => ({ ...point(id, "$106", 106, 106), display: { ...point(id, "$106", 106, 106).display, reports } });
    const runs = historyRuns([counted(1, "12"), counted(2, "13"), counted(3, "14")]);
    expect(runs.map((r) => [r.first.id, r.last.id, r.display.reports])).toEqual([[1, 3, "14"]]);
  });

  it("link the whole series as history.csv in the API's parameters", () => {
    expect(historyCsvUrl(profileFilter("90837", "2025-2026", { channel: "platform", platform: "alma", payer: null }, true)))
      .toBe("/api/v1/history.csv?cpt=90837&geo_level=national&channel=platform&platform=alma&payer=all&license=all&modality=all&year=2025-2026&verified=true");
    const place = { cpt: "90834", yearWindow: "2026", geo: { geoLevel: "state" as const, geo: "OR" }, license: { licenseLevel: "group" as const, license: "masters" }, modality: "telehealth" };
    expect(historyCsvUrl(placeFilter(place, { channel: null, platform: null, payer: "cigna" })))
      .toBe("/api/v1/history.csv?cpt=90834&state=OR&channel=all&platform=all&payer=cigna&license_group=masters&modality=telehealth&year=2026");
  });
});

describe("historySentences", () => {
  it("says a cut between bands that only touch, in the page's words", () => {
    expect(historySentences(historyRuns([point(12, "$120–$160", 120, 160), point(13, "$90–$120", 90, 120)])))
      .toEqual(["The median fell from $120–$160 to $90–$120 between snapshot 12 and 13."]);
  });

  it("says a rise from a point to a band above it", () => {
    expect(historySentences(historyRuns([point(1, "$106", 106, 106), point(2, "$120–$160", 120, 160)])))
      .toEqual(["The median rose from $106 to $120–$160 between snapshot 1 and 2."]);
  });

  it("says nothing when the bands overlap or the median stays", () => {
    expect(historySentences(historyRuns([point(1, "$120–$160", 120, 160), point(2, "$110–$150", 110, 150), point(3, "$130", 130, 130), point(4, "$130", 130, 130)]))).toEqual([]);
    expect(historySentences(historyRuns([point(1, "$106", 106, 106)]))).toEqual([]);
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
