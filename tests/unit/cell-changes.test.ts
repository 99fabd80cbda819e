// Changes recorded when a snapshot is built (issue 15 item 6; decision 0027): a cell's history and
// a snapshot's changelog read from cell_changes must equal what reading every snapshot file gives,
// through added, changed and removed cells, a take that changes with the insurer's rates alone, a
// switch from demo to crowd data, and a database whose snapshots were published before recording.
import { describe, expect, it } from "vitest";
import { cellChanges, snapshots } from "../../db/schema.ts";
import { allCells, snapshotChanges } from "../../src/lib/read/api/changelog.ts";
import { historyRows } from "../../src/lib/read/api/endpoints.ts";
import { diffCells } from "../../src/lib/read/cell-diff.ts";
import { cellSeries, comparablePrevious, matchesFilter, packState, recordedChanges, unpackState } from "../../src/lib/read/cell-changes.ts";
import { publishedTakeOf } from "../../src/lib/read/payer-rates.ts";
import { findCells, listSnapshots, snapshotById, type CellFilter, type CellRow, type Snapshot } from "../../src/lib/read/published.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { recordMissingChanges } from "../../src/lib/write/snapshot-changes.ts";
import { insertTicFile } from "../factories.ts";

function report(connection: Connection, paid: number, options: { state?: string; cpt?: string; payer?: string } = {}): void {
  submitReport(connection, reportSubmissionSchema.parse({
    state: options.state ?? "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma", employment: "1099",
    rates: [{ cpt: options.cpt ?? "90837", modality: "telehealth", payer: options.payer ?? "cigna", plan_type: "commercial", year: 2026, paid }],
  }));
}

/** The published figures of a cell without its snapshot id, to compare snapshots with each other. */
function figuresOf(cell: CellRow): string {
  const { snapshotId: _snapshot, ...rest } = cell;
  return JSON.stringify(rest);
}

/** A cell in every snapshot up to `current`, read from each file: what the recorded series must equal. */
function seriesFromFiles(connection: Connection, current: Snapshot, cellKey: string) {
  return listSnapshots(connection.db).filter((s) => s.id <= current.id).reverse().flatMap((snapshot) =>
    findCells(connection.db, snapshot.id, { cellKey }, { limit: 1 }).map((cell) => ({ snapshot: snapshot.id, cell, take: publishedTakeOf(connection.db, snapshot)(cell) })));
}

/** Every key that changed anywhere, and every 97th key of each snapshot (the demo snapshots hold thousands). */
function keysToCheck(connection: Connection): string[] {
  const keys = new Set<string>();
  for (const snapshot of listSnapshots(connection.db)) {
    for (const filter of [{}, { verified: true }]) {
      const cells = [...allCells(connection.db, snapshot.id, filter)];
      cells.forEach((cell, i) => {
        if (!snapshot.isDemo || i % 97 === 0) keys.add(cell.cellKey);
      });
    }
  }
  return [...keys].sort();
}

const FILTERS: CellFilter[] = [
  {},
  { cpt: "90837" },
  { cpt: "90834", geoLevel: "state", geo: "OR" },
  { platform: "alma" },
  { verified: true },
  { cpt: "90837", geoLevel: "state", geo: "WA", platform: "alma" },
];

function changelogFromFiles(connection: Connection, snapshot: Snapshot, previous: Snapshot | undefined, filter: CellFilter) {
  return diffCells(previous ? allCells(connection.db, previous.id, filter) : [], allCells(connection.db, snapshot.id, filter), (cell) => cell.cellKey, figuresOf, 1_000_000);
}

/** Checks every cell's series and every snapshot's changelog against the files. */
function expectRecordsMatchFiles(connection: Connection): void {
  const all = listSnapshots(connection.db);
  const keys = keysToCheck(connection);
  expect(keys.length).toBeGreaterThan(20);
  for (const current of all) {
    for (const key of keys) {
      const recorded = cellSeries(connection.db, current, key).map((p) => ({ snapshot: p.snapshot.id, cell: p.cell, take: p.take }));
      expect(recorded, `${key} up to snapshot ${current.id}`).toEqual(seriesFromFiles(connection, current, key));
    }
  }
  all.forEach((snapshot, i) => {
    const previous = comparablePrevious(snapshot, all[i + 1]);
    for (const filter of FILTERS) {
      const fromFiles = changelogFromFiles(connection, snapshot, previous, filter);
      const recorded = recordedChanges(connection.db, snapshot, previous, filter, 1_000_000);
      const counts = recordedChanges(connection.db, snapshot, previous, filter, 0);
      expect(recorded, `snapshot ${snapshot.id} ${JSON.stringify(filter)}`).not.toBeNull();
      const { examples, ...numbers } = fromFiles;
      expect({ ...recorded!, examples: undefined }).toEqual({ ...numbers, examples: undefined });
      expect({ ...counts!, examples: undefined }).toEqual({ ...numbers, examples: undefined });
      const sorted = (cell: CellRow | null) => cell && Object.fromEntries(Object.entries(cell).sort(([a], [b]) => a.localeCompare(b)));
      const byKey = (list: typeof examples) => list.map((e) => JSON.stringify([sorted(e.before), sorted(e.after)])).sort();
      expect(byKey(recorded!.examples)).toEqual(byKey(examples));
    }
  });
}

async function history(): Promise<Connection> {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  prepareDatabase(connection, { demo: true, k: 5 }); // snapshot 1: demo data
  buildSnapshot(connection, { k: 5, trigger: "script" }); // 2: demo again, nothing changed
  for (const paid of [95, 100, 105, 110, 115]) report(connection, paid);
  for (const paid of [80, 85, 90, 95, 100]) report(connection, paid, { cpt: "90834" });
  buildSnapshot(connection, { k: 5, trigger: "script" }); // 3: the first crowd snapshot
  for (const paid of [200, 210, 220]) report(connection, paid); // 90837 cells change
  for (const paid of [60, 65, 70, 75, 80]) report(connection, paid, { state: "WA" }); // WA cells appear
  buildSnapshot(connection, { k: 5, trigger: "script" }); // 4
  // Alma's published Cigna rate appears: only the take on published rates changes.
  await insertTicFile(connection, { sourceFile: "cigna-2026-11.json.gz", lastUpdatedOn: "2026-11-01" },
    [{ tin: "111111111", negotiatedRate: 151.74, serviceCodes: "02;10" }], [{ tin: "111111111", platform: "alma", state: "OR" }]);
  buildSnapshot(connection, { k: 5, trigger: "script" }); // 5
  connection.sqlite.exec("DELETE FROM reports WHERE state = 'WA'"); // WA cells disappear
  buildSnapshot(connection, { k: 5, trigger: "script" }); // 6
  return connection;
}

describe("changes recorded at build time", () => {
  it("give every cell's history and every snapshot's changelog exactly as reading every file does", async () => {
    const connection = await history();
    const kinds = connection.db.select({ kind: cellChanges.kind, snapshotId: cellChanges.snapshotId }).from(cellChanges).all();
    const kindsOf = (id: number) => new Set(kinds.filter((k) => k.snapshotId === id).map((k) => k.kind));
    expect(kinds.filter((k) => k.snapshotId <= 3)).toEqual([]); // 1 and 3 start a run of their kind; 2 changed nothing
    expect(kindsOf(4)).toEqual(new Set(["added", "changed"]));
    expect(kindsOf(5)).toEqual(new Set(["take"]));
    expect(kindsOf(6).has("removed")).toBe(true);
    expectRecordsMatchFiles(connection);
    connection.sqlite.close();
  });

  it("history.json reads the recorded series, with the take on published rates of each snapshot", async () => {
    const connection = await history();
    const current = snapshotById(connection.db, 6)!;
    const takeOf = publishedTakeOf(connection.db, snapshotById(connection.db, 5)!);
    const priced = [...allCells(connection.db, 5, { cpt: "90837", platform: "alma", payer: "cigna" })].find((cell) => takeOf(cell).publishedRate !== null)!;
    const { cellKey: _key, snapshotId: _id, n: _n, nBand: _b, p10: _p10, p25: _p25, p50: _p50, p75: _p75, p90: _p90, p25Band: _1, p50Band: _2, p75Band: _3,
      p50ShareInBand: _4, medicare: _5, p50PctMedicare: _6, allowedP50: _7, takeP50: _8, takeLow: _9, takeHigh: _10, verifiedNBand: _11, ...filter } = priced;
    const rows = historyRows(connection.db, current, filter);
    expect(rows.map((r) => r.snapshot)).toEqual([3, 4, 5, 6]);
    expect(rows.map((r) => r.published_rate)).toEqual([null, null, 151.74, 151.74]);
    expect(rows[0]!.p50).not.toBe(rows[1]!.p50);
    connection.sqlite.close();
  });

  it("records the snapshots of a database published before recording, with the same rows", async () => {
    const connection = await history();
    const before = connection.db.select().from(cellChanges).orderBy(cellChanges.snapshotId, cellChanges.cellKey).all();
    connection.sqlite.exec("DELETE FROM cell_changes; UPDATE snapshots SET changes_recorded = 0;");
    // Not recorded yet: history and the changelog still answer, from the files.
    expect(recordedChanges(connection.db, snapshotById(connection.db, 4)!, snapshotById(connection.db, 3)!, {}, 0)).toBeNull();
    expect(snapshotChanges(connection.db, snapshotById(connection.db, 4)!, snapshotById(connection.db, 3)!, { cpt: "90837" }).changed).toBeGreaterThan(0);
    const key = before.find((r) => r.kind === "changed")!.cellKey;
    expect(cellSeries(connection.db, snapshotById(connection.db, 6)!, key).map((p) => ({ snapshot: p.snapshot.id, cell: p.cell, take: p.take })))
      .toEqual(seriesFromFiles(connection, snapshotById(connection.db, 6)!, key));
    const progress: string[] = [];
    expect(recordMissingChanges(connection, (done, total) => progress.push(`${done}/${total}`))).toBe(6);
    expect(progress.at(-1)).toBe("6/6");
    expect(connection.db.select().from(cellChanges).orderBy(cellChanges.snapshotId, cellChanges.cellKey).all()).toEqual(before);
    expect(connection.db.select({ recorded: snapshots.changesRecorded }).from(snapshots).all().every((s) => s.recorded)).toBe(true);
    expect(recordMissingChanges(connection)).toBe(0);
    expectRecordsMatchFiles(connection);
    connection.sqlite.close();
  });

  it("a snapshot published by another build in the meantime leaves its changes to be recorded later", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    prepareDatabase(connection, { demo: true, k: 5 });
    // Simulated race: the index gains a snapshot between the comparison and the publishing
    // transaction, the last transaction a build opens (counted on a first, undisturbed build).
    const original = connection.sqlite.transaction.bind(connection.sqlite);
    let calls = 0;
    let raceAt = Infinity;
    connection.sqlite.transaction = ((fn: () => unknown) => {
      if (++calls === raceAt) {
        connection.sqlite.prepare("INSERT INTO snapshots (id, created_at, rules_version, k, band_edges, is_demo, reports_used, cells_published, cells_suppressed, trigger, changes_recorded) SELECT 99, created_at, rules_version, k, band_edges, is_demo, reports_used, cells_published, cells_suppressed, trigger, 1 FROM snapshots WHERE id = 1").run();
      }
      return original(fn);
    }) as typeof connection.sqlite.transaction;
    expect(buildSnapshot(connection, { k: 5, trigger: "script" }).changesRecorded).toBe(true);
    raceAt = calls * 2;
    const built = buildSnapshot(connection, { k: 5, trigger: "script" });
    expect(built.changesRecorded).toBe(false);
    connection.sqlite.close();
  });
});

describe("the packed figures", () => {
  it("round-trip every published figure of a cell and its take", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    const { snapshot } = prepareDatabase(connection, { demo: true, k: 5 });
    const takeOf = publishedTakeOf(connection.db, snapshot);
    let n = 0;
    for (const row of allCells(connection.db, snapshot.id, {})) {
      const { cellKey, snapshotId: _s, ...cell } = row;
      const state = { cell, take: takeOf(row) };
      expect(unpackState(cellKey, JSON.parse(JSON.stringify(packState(state))))).toEqual(state);
      n++;
    }
    expect(n).toBeGreaterThan(1000);
    connection.sqlite.close();
  });

  it("match filters as findCells does", () => {
    const key = "90837|state:OR|platform|alma|cigna|all:all|telehealth|2026";
    expect(matchesFilter(key, {})).toBe(true);
    expect(matchesFilter(key, { cpt: "90837", geo: "OR", payer: "cigna" })).toBe(true);
    expect(matchesFilter(key, { license: null, licenseLevel: "all" })).toBe(true);
    expect(matchesFilter(key, { payer: null })).toBe(false);
    expect(matchesFilter(key, { verified: true })).toBe(false);
    expect(matchesFilter(`${key}|verified`, { verified: true, cpt: "90837" })).toBe(true);
    expect(matchesFilter(`${key}|verified`, {})).toBe(false);
    expect(matchesFilter("not a key", {})).toBe(false);
  });
});
