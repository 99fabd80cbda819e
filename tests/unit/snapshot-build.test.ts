// Building a snapshot with a second thread gives the very same file as building it on one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, snapshotsDirOf } from "../../src/lib/server/db.ts";
import { findCells, snapshotFileName } from "../../src/lib/read/published.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { loadBandedRates } from "../../src/lib/write/snapshot-loader.ts";
import { SnapshotFileWriter } from "../../src/lib/read/snapshot-file.ts";
import { claimFromBack, claimFromFront, cptClaims } from "../../src/lib/write/cpt-claims.ts";
import { cellJobCount, computeCells } from "../../src/lib/rules/cells.ts";
import { appendBackRun, computeBackRun } from "../../src/lib/write/snapshot-threads.ts";

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

describe("sharing a snapshot's CPTs between two threads", () => {
  it("claims every CPT once, the front and back runs meeting somewhere in between", () => {
    for (const pattern of ["ffffbbbb", "fbfbfbfb", "bbbbbbbf", "fffffffb"]) {
      const claims = cptClaims(7);
      const front = claimFromFront(claims);
      const back = claimFromBack(claims);
      const got: number[] = [];
      for (const side of pattern) {
        const c = side === "f" ? front() : back();
        if (c >= 0) got.push(c);
      }
      expect(got.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(front()).toBe(-1);
      expect(back()).toBe(-1);
    }
  });

  it("merges the back run, computed in descending job order, into a file identical to a one-thread build", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    prepareDatabase(connection, { demo: true, k: 5 });
    const { rates, dims } = loadBandedRates(connection, "demo");
    const serial = new SnapshotFileWriter();
    computeCells(rates, dims, 5, (cell) => serial.add(cell));
    // Large CPTs are several jobs (one per geographic level), so some splits fall inside a CPT.
    const jobs = cellJobCount(rates, dims);
    expect(jobs).toBeGreaterThan(dims.cpts.length);
    for (let split = 1; split < jobs; split++) {
      const first = new SnapshotFileWriter();
      let next = 0;
      computeCells(rates, dims, 5, (cell) => first.add(cell), () => (next < split ? next++ : -1));
      let last = jobs;
      appendBackRun(first, computeBackRun(rates, dims, 5, () => (last > split ? --last : -1)), dims.cpts);
      expect(first.toBuffer([]).equals(serial.toBuffer([]))).toBe(true);
    }
  });
});
