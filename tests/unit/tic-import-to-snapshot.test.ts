// The contract between the importer (i11-import) and publication (i11-publish): rates the real
// importer writes reach the next snapshot exactly, under the platform and state of their TIN.
import { describe, expect, it } from "vitest";
import { join, resolve } from "node:path";
import { payerRatesIn } from "../../src/lib/read/published.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { runTicImport } from "../../src/lib/write/tic/run.ts";
import { parseTinArgument, type TinMapping } from "../../src/lib/write/tic/store.ts";

const FIXTURES = resolve(import.meta.dirname, "../fixtures/tic");

describe("an imported TiC file in the next snapshot", () => {
  it("publishes the imported psychotherapy rates to the cent, with their file, platform and state", async () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    prepareDatabase(connection, { demo: false, k: 5 });
    const tins = ["alma:OR=12-3456789", "headway:OR=12345678"].map((t) => parseTinArgument(t) as TinMapping);
    const { failures } = await runTicImport(connection, { sources: [join(FIXTURES, "v2-refs-first.json.gz")], tins, progress: { write: () => true } });
    expect(failures).toEqual([]);
    const snapshot = buildSnapshot(connection, { k: 5, trigger: "script" });
    const rows = payerRatesIn(connection.db, snapshot.id);
    const ninety837 = rows.filter((r) => r.cpt === "90837" && r.platform === "alma");
    expect(ninety837.map((r) => [r.placeOfService.join(";"), r.negotiatedRate, r.sourceFile]).sort()).toEqual([
      ["02;10", 151.74, "v2-refs-first.json.gz"],
      ["11", 151.74, "v2-refs-first.json.gz"],
    ]);
    expect(new Set(rows.map((r) => r.platform))).toEqual(new Set(["alma", "headway"]));
    expect(rows.every((r) => r.state === "OR")).toBe(true);
    connection.sqlite.close();
  });
});
