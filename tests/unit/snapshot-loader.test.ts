// The snapshot loader reads the rates on a second connection (a worker) beside the reports when
// the database is a file; what it loads must be exactly what one connection reads alone.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { loadBandedRates } from "../../src/lib/write/snapshot-loader.ts";
import type { BandedRates } from "../../src/lib/rules/cells.ts";

const dir = mkdtempSync(join(tmpdir(), "ratecard-loader-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const columns = (rates: BandedRates) =>
  Object.fromEntries(Object.entries(rates).map(([name, value]) => [name, typeof value === "number" ? value : Array.from(value.subarray(0, rates.length))]));

describe("loadBandedRates", () => {
  it("loads from a file database with the rates read in a worker exactly what one connection reads", () => {
    const connection = openDatabase(join(dir, "loader.db"));
    migrateDatabase(connection);
    prepareDatabase(connection, { demo: true, k: 5 });
    const inWorker = loadBandedRates(connection, "demo");
    // Inside a transaction the loader reads on this connection only.
    const alone = connection.sqlite.transaction(() => loadBandedRates(connection, "demo"))();
    expect([inWorker.ratesReadElsewhere, alone.ratesReadElsewhere]).toEqual([true, false]);
    expect(inWorker.rates.length).toBeGreaterThan(1000);
    expect(columns(inWorker.rates)).toEqual(columns(alone.rates));
    expect(inWorker.dims).toEqual(alone.dims);
    expect([inWorker.reportsUsed, inWorker.aboveTopBand]).toEqual([alone.reportsUsed, alone.aboveTopBand]);
    connection.sqlite.close();
  });

  it("counts reports without rates and skips rates above the top band, in a file database as in memory", () => {
    for (const path of [join(dir, "edge.db"), ":memory:"]) {
      const connection = openDatabase(path);
      migrateDatabase(connection);
      prepareDatabase(connection, { demo: true, k: 5 });
      const { sqlite } = connection;
      const included = "FROM reports WHERE source = 'demo' AND review_status = 'accepted'";
      const [first, second] = sqlite.prepare(`SELECT id ${included} ORDER BY id LIMIT 2`).pluck().all() as string[];
      sqlite.prepare("DELETE FROM rates WHERE report_id = ?").run(first);
      sqlite.prepare("UPDATE rates SET paid_cents = 276000 WHERE report_id = ?").run(second);
      const count = (sql: string, ...params: string[]) => sqlite.prepare(sql).pluck().get(...params) as number;
      const loaded = loadBandedRates(connection, "demo");
      expect(loaded.ratesReadElsewhere).toBe(path !== ":memory:");
      expect(loaded.reportsUsed).toBe(count(`SELECT count(*) ${included}`));
      expect(loaded.aboveTopBand).toBe(count("SELECT count(*) FROM rates WHERE report_id = ?", second!));
      expect(loaded.aboveTopBand).toBeGreaterThan(0);
      expect(loaded.rates.length).toBe(count(`SELECT count(*) FROM rates WHERE paid_cents < 276000 AND report_id IN (SELECT id ${included})`));
      sqlite.close();
    }
  });
});
