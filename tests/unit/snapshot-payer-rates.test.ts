// Insurer-published rates in snapshots (issue 11): exact, merged over networks, joined with the
// TIN mapping at build time, stored immutably per snapshot, and the take on the published basis.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { platformTins } from "../../db/schema.ts";
import { findCells, payerRatesIn } from "../../src/lib/read/published.ts";
import { publishedTakeOf } from "../../src/lib/read/payer-rates.ts";
import { bandIndexOfCents } from "../../src/lib/rules/bands.ts";
import { takeFromMedians } from "../../src/lib/rules/take.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { insertTicFile } from "../factories.ts";

const ALMA_OR = "111111111";
const UNMAPPED = "999999999";

function fresh(demo: boolean): Connection {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  prepareDatabase(connection, { demo, k: 5 });
  return connection;
}

/** Five accepted crowd reports of Alma therapists in Oregon paid by Cigna for a telehealth 90837. */
function crowdReports(connection: Connection, paid = [95, 100, 105, 110, 115]): void {
  for (const amount of paid) {
    submitReport(connection, reportSubmissionSchema.parse({
      state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma", employment: "1099",
      rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2026, paid: amount }],
    }));
  }
}

describe("insurer-published rates in a snapshot", () => {
  it("publishes each mapped rate to the cent with its source, its platform and state from the mapping, and nothing of unmapped TINs", async () => {
    const connection = fresh(true);
    await insertTicFile(connection, { sourceFile: "cigna-2026-11.json.gz", lastUpdatedOn: "2026-11-01" }, [
      { tin: ALMA_OR, negotiatedRate: 151.74, serviceCodes: "02;10", networks: "OAP" },
      { tin: ALMA_OR, cpt: "90834", negotiatedRate: 125, serviceCodes: "11", modifiers: "95" },
      { tin: UNMAPPED, negotiatedRate: 99.99 },
    ], [{ tin: ALMA_OR, platform: "alma", state: "OR" }]);
    const snapshot = buildSnapshot(connection, { k: 5, trigger: "script" });
    const rows = payerRatesIn(connection.db, snapshot.id);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.cpt === "90837")).toEqual({
      payer: "cigna", platform: "alma", tin: ALMA_OR, state: "OR", cpt: "90837", modifiers: [], placeOfService: ["02", "10"],
      negotiatedType: "negotiated", negotiatedRate: 151.74, rateLow: 151.74, rateHigh: 151.74, networks: ["OAP"],
      expirationDate: "9999-12-31", reportingEntity: "Cigna Health Life Insurance Company", lastUpdatedOn: "2026-11-01",
      sourceFile: "cigna-2026-11.json.gz", sourceSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(rows.find((r) => r.cpt === "90834")).toMatchObject({ negotiatedRate: 125, modifiers: ["95"], placeOfService: ["11"] });
    expect(rows.some((r) => r.tin === UNMAPPED)).toBe(false);
  });

  it("publishes the median of several networks' prices for one row, with the lowest, highest and every network", async () => {
    const connection = fresh(true);
    await insertTicFile(connection, {}, [
      { tin: ALMA_OR, negotiatedRate: 160.01, networks: "C" },
      { tin: ALMA_OR, negotiatedRate: 140.5, networks: "A" },
      { tin: ALMA_OR, negotiatedRate: 151.74, networks: "B;D" },
      { tin: ALMA_OR, negotiatedRate: 120, negotiatedType: "fee schedule", networks: "E" },
    ], [{ tin: ALMA_OR, platform: "alma", state: "OR" }]);
    const rows = payerRatesIn(connection.db, buildSnapshot(connection, { k: 5, trigger: "script" }).id);
    expect(rows.map((r) => [r.negotiatedType, r.negotiatedRate, r.rateLow, r.rateHigh, r.networks])).toEqual([
      ["fee schedule", 120, 120, 120, ["E"]],
      ["negotiated", 151.74, 140.5, 160.01, ["A", "B", "C", "D"]],
    ]);
  });

  it("takes the mapping as it is when the snapshot is built: a corrected mapping publishes next time, earlier snapshots keep theirs", async () => {
    const connection = fresh(true);
    await insertTicFile(connection, {}, [{ tin: ALMA_OR }], [{ tin: ALMA_OR, platform: "headway", state: null }]);
    const before = buildSnapshot(connection, { k: 5, trigger: "script" });
    connection.db.update(platformTins).set({ platform: "alma", state: "OR" }).where(eq(platformTins.tin, ALMA_OR)).run();
    const after = buildSnapshot(connection, { k: 5, trigger: "script" });
    expect(payerRatesIn(connection.db, before.id).map((r) => [r.platform, r.state])).toEqual([["headway", null]]);
    expect(payerRatesIn(connection.db, after.id).map((r) => [r.platform, r.state])).toEqual([["alma", "OR"]]);
  });

  it("puts payer rates in demo snapshots too, but never a take on the published basis there", async () => {
    const connection = fresh(true);
    await insertTicFile(connection, {}, [{ tin: ALMA_OR }], [{ tin: ALMA_OR, platform: "alma", state: "OR" }]);
    const snapshot = buildSnapshot(connection, { k: 5, trigger: "script" });
    expect(snapshot.isDemo).toBe(true);
    expect(payerRatesIn(connection.db, snapshot.id)).toHaveLength(1);
    const takeOf = publishedTakeOf(connection.db, snapshot);
    const cells = findCells(connection.db, snapshot.id, { cpt: "90837", platform: "alma", payer: "cigna" }, { limit: 5000 });
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(takeOf(cell)).toEqual({ publishedRate: null, takePublishedP50: null, takePublishedLow: null, takePublishedHigh: null });
  });

  it("gives crowd cells naming one platform and one payer the take from the published rate, with the crowd basis's band range", async () => {
    const connection = fresh(false);
    crowdReports(connection);
    await insertTicFile(connection, { lastUpdatedOn: "2026-11-01" }, [{ tin: ALMA_OR, negotiatedRate: 151.74, serviceCodes: "02" }], [{ tin: ALMA_OR, platform: "alma", state: "OR" }]);
    const snapshot = buildSnapshot(connection, { k: 5, trigger: "script" });
    expect(snapshot.isDemo).toBe(false);
    const takeOf = publishedTakeOf(connection.db, snapshot);
    const [cell] = findCells(connection.db, snapshot.id, {
      cpt: "90837", geoLevel: "state", geo: "OR", channel: "platform", platform: "alma", payer: "cigna", licenseLevel: "all", modality: "telehealth", yearWindow: "2026",
    }, { limit: 1 });
    expect(cell).toBeDefined();
    const take = takeFromMedians(cell!.p50, bandIndexOfCents(Number(cell!.p50Band.split("-")[0]) * 100), 151.74);
    expect(takeOf(cell!)).toEqual({ publishedRate: 151.74, takePublishedP50: take.takeP50, takePublishedLow: take.takeLow, takePublishedHigh: take.takeHigh });
    // an in-person cell does not take a telehealth-only rate; a cell over all payers never has one
    const inPerson = findCells(connection.db, snapshot.id, { cpt: "90837", geoLevel: "state", geo: "OR", platform: "alma", payer: null }, { limit: 50 });
    for (const other of inPerson) expect(takeOf(other).publishedRate).toBeNull();
  });
});
