// Building a snapshot with a second thread gives the very same file as building it on one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, snapshotsDirOf } from "../../src/lib/server/db.ts";
import { findCells, snapshotFileName } from "../../src/lib/server/published.ts";
import { prepareDatabase } from "../../src/lib/server/setup.ts";
import { buildSnapshot } from "../../src/lib/server/snapshot.ts";

describe("snapshot files", () => {
  it("are byte-identical whether built on one thread or two", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    prepareDatabase(connection, { demo: true, k: 5 });
    const now = new Date("2026-11-25T00:00:00Z");
    const serial = buildSnapshot(connection, { k: 5, trigger: "script", now, parallel: false });
    const parallel = buildSnapshot(connection, { k: 5, trigger: "script", now, parallel: true });
    const dir = snapshotsDirOf(connection.sqlite);
    const bytes = (id: number) => readFileSync(join(dir, snapshotFileName(id)));
    expect(parallel.cellsPublished).toBe(serial.cellsPublished);
    expect(parallel.cellsSuppressed).toEqual(serial.cellsSuppressed);
    expect(bytes(parallel.id).equals(bytes(serial.id))).toBe(true);
    expect(findCells(connection.db, parallel.id, { cpt: "90834" }, { limit: 5 })).toEqual(
      findCells(connection.db, serial.id, { cpt: "90834" }, { limit: 5 }).map((cell) => ({ ...cell, snapshotId: parallel.id })),
    );
  });

  it("finds a cell by its key, and nothing for a key that names no cell", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    const { snapshot } = prepareDatabase(connection, { demo: true, k: 5 });
    const [cell] = findCells(connection.db, snapshot.id, { cpt: "90837", geoLevel: "state", geo: "CA" }, { limit: 1 });
    expect(cell).toBeDefined();
    expect(findCells(connection.db, snapshot.id, { cellKey: cell!.cellKey })).toEqual([cell]);
    expect(findCells(connection.db, snapshot.id, { cellKey: "not|a|key" })).toEqual([]);
  });
});
