import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import * as schema from "../../db/schema.ts";
import { DIVISIONS, LICENSES, STATES } from "../../src/lib/schemas/codes.ts";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { listCptCodes, listDivisions, listLicenseGroups, listLicenseTypes, listPayers, listPlatforms, listStates, medicareAmounts } from "../../src/lib/read/reference.ts";
import { MEDICARE_SOURCE, MEDICARE_SOURCE_URL, SEED_DIR, loadReferenceData, readSeedData } from "../../src/lib/write/reference-seed.ts";
import { dollarsToCents } from "../../src/lib/shared/money.ts";

function freshDb(): Connection {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  return connection;
}

function tableCounts(connection: Connection): Record<string, number> {
  const tables = ["cpt_codes", "license_groups", "license_types", "census_divisions", "states", "payers",
    "platforms", "medicare_rates"];
  return Object.fromEntries(tables.map((table) => [
    table,
    (connection.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
  ]));
}

const csvRows = readFileSync(join(SEED_DIR, "medicare-pfs.csv"), "utf8").trim().split(/\r?\n/).slice(1)
  .map((line) => line.split(","));

describe("reference data", () => {
  let connection: Connection;

  beforeAll(() => {
    connection = freshDb();
    loadReferenceData(connection.db);
    loadReferenceData(connection.db);
  });
  afterAll(() => connection.sqlite.close());

  it("loads 50 states plus DC, each in an existing division", () => {
    const rows = listStates(connection.db);
    expect(rows).toHaveLength(51);
    expect(new Set(rows.map((s) => s.code))).toEqual(new Set(STATES));
    const divisions = new Set(listDivisions(connection.db).map((d) => d.slug));
    for (const state of rows) expect(divisions.has(state.division), state.code).toBe(true);
  });

  it("loads the 9 census divisions in 4 regions, each with at least one state", () => {
    const divisions = listDivisions(connection.db);
    expect(divisions.map((d) => d.slug)).toEqual([...DIVISIONS]);
    expect(new Set(divisions.map((d) => d.region))).toEqual(new Set(["Northeast", "Midwest", "South", "West"]));
    const stateRows = listStates(connection.db);
    for (const division of divisions) {
      expect(stateRows.some((s) => s.division === division.slug), division.slug).toBe(true);
    }
    const divisionOf = new Map(stateRows.map((s) => [s.code, s.division]));
    expect(divisionOf.get("OR")).toBe("pacific");
    expect(divisionOf.get("DC")).toBe("south-atlantic");
    expect(divisionOf.get("PA")).toBe("middle-atlantic");
    expect(divisionOf.get("MO")).toBe("west-north-central");
  });

  it("loads 15 CPT codes with our own short labels, most common first", () => {
    const codes = listCptCodes(connection.db);
    expect(codes).toHaveLength(15);
    expect(codes.slice(0, 4).map((c) => c.code)).toEqual(["90837", "90834", "90832", "90791"]);
    for (const code of codes) {
      expect(code.label.length, code.code).toBeLessThan(60);
      for (const text of [code.label, code.description]) {
        expect(text.toLowerCase()).not.toContain("psychotherapy, 60 minutes with patient");
        expect(text.toLowerCase()).not.toContain("with patient");
        expect(text.toLowerCase()).not.toContain("psychiatric diagnostic evaluation");
      }
    }
    const byCode = new Map(codes.map((c) => [c.code, c]));
    expect(byCode.get("90837")?.minutes).toBe(60);
    expect(byCode.get("90834")?.minutes).toBe(45);
    expect(byCode.get("90832")?.minutes).toBe(30);
    const addOns = codes.filter((c) => c.isAddOn).map((c) => c.code).sort();
    expect(addOns).toEqual(["90785", "90833", "90836", "90838", "90840", "96127"]);
    for (const code of codes) if (code.isAddOn) expect(code.minutes, code.code).toBeNull();
  });

  it("loads every Medicare row of the CSV as integer cents with its source", () => {
    const amounts = medicareAmounts(connection.db);
    expect(csvRows.length).toBeGreaterThan(0);
    for (const [cpt = "", year = "", usd = ""] of csvRows) {
      expect(amounts.get(cpt)?.get(Number(year)), `${cpt}/${year}`).toBe(Math.round(Number(usd) * 100));
    }
    expect(amounts.get("90837")?.get(2025)).toBe(15429);
    expect(amounts.get("96127")?.get(2025)).toBe(453);
    const rows = connection.db.select().from(schema.medicareRates).all();
    expect(rows).toHaveLength(csvRows.length);
    for (const row of rows) {
      expect(Number.isInteger(row.amountCents)).toBe(true);
      expect(row.source).toBe(MEDICARE_SOURCE);
      expect(row.sourceUrl).toBe(MEDICARE_SOURCE_URL);
    }
  });

  it("converts dollars to cents without floating-point error", () => {
    expect(dollarsToCents(Number("154.29"))).toBe(15429);
    expect(dollarsToCents(Number("4.5"))).toBe(450);
    expect(dollarsToCents(Number("72"))).toBe(7200);
    expect(dollarsToCents(Number("0.07"))).toBe(7);
  });

  it("loads licenses and groups", () => {
    expect(listLicenseTypes(connection.db).map((l) => l.slug).sort()).toEqual([...LICENSES].sort());
    expect(listLicenseGroups(connection.db).map((g) => g.slug)).toEqual(["masters", "doctoral", "prescriber", "prelicensed"]);
    const groupOf = new Map(listLicenseTypes(connection.db).map((l) => [l.slug, l.groupSlug]));
    expect(groupOf.get("lpc")).toBe("masters");
    expect(groupOf.get("pmhnp")).toBe("prescriber");
    expect(groupOf.get("associate")).toBe("prelicensed");
  });

  it("loads payers, with 'other' last", () => {
    const rows = listPayers(connection.db);
    expect(rows).toHaveLength(14);
    expect(rows.at(-1)?.slug).toBe("other");
    expect(rows.find((p) => p.slug === "medicare")?.planTypes).toEqual(["medicare"]);
  });

  it("gives every platform fact a source and an https source URL", () => {
    const rows = listPlatforms(connection.db);
    expect(rows.map((p) => p.slug).sort()).toEqual([
      "alma", "betterhelp", "grow-therapy", "headway", "lyra-health", "octave", "rula", "sondermind",
      "spring-health", "talkspace",
    ]);
    for (const platform of rows) {
      expect(platform.website).toMatch(/^https:\/\//);
      expect(platform.feeModelSource.length).toBeGreaterThan(0);
      expect(platform.feeModelSourceUrl).toMatch(/^https:\/\//);
      expect(platform.contractHolderSource.length).toBeGreaterThan(0);
      expect(platform.contractHolderSourceUrl).toMatch(/^https:\/\//);
      if (platform.contractHolder === "unknown") {
        expect(platform.contractHolderSource).toBe("No public source on file");
      }
      for (const owner of platform.owners) {
        expect(owner.source.length).toBeGreaterThan(0);
        expect(owner.sourceUrl, `${platform.slug}: ${owner.name}`).toMatch(/^https:\/\//);
      }
    }
    const alma = rows.find((p) => p.slug === "alma");
    expect(alma?.contractHolder).toBe("platform");
    expect(alma?.owners.map((o) => o.name)).toEqual(["Cigna Ventures", "Optum Ventures"]);
  });
});

describe("loadReferenceData", () => {
  it("is idempotent: a second load inserts nothing", () => {
    const connection = freshDb();
    const first = loadReferenceData(connection.db);
    expect(first.states).toBe(51);
    const counts = tableCounts(connection);
    const second = loadReferenceData(connection.db);
    expect(Object.values(second).every((n) => n === 0)).toBe(true);
    expect(tableCounts(connection)).toEqual(counts);
    connection.sqlite.close();
  });

  it("does not overwrite moderator edits on a second load", () => {
    const connection = freshDb();
    const { db } = connection;
    loadReferenceData(db);
    db.update(schema.platforms).set({ feeModel: "Edited by a moderator" }).where(eq(schema.platforms.slug, "alma")).run();
    db.update(schema.cptCodes).set({ label: "Edited label" }).where(eq(schema.cptCodes.code, "90837")).run();
    db.update(schema.medicareRates).set({ amountCents: 1 })
      .where(sql`${schema.medicareRates.cpt} = '90837' AND ${schema.medicareRates.year} = 2025`).run();
    loadReferenceData(db);
    expect(listPlatforms(db).find((p) => p.slug === "alma")?.feeModel).toBe("Edited by a moderator");
    expect(listCptCodes(db).find((c) => c.code === "90837")?.label).toBe("Edited label");
    expect(medicareAmounts(db).get("90837")?.get(2025)).toBe(1);
    connection.sqlite.close();
  });

  it("re-adds a missing row without touching the others", () => {
    const connection = freshDb();
    const { db } = connection;
    loadReferenceData(db);
    db.delete(schema.payers).where(eq(schema.payers.slug, "oscar")).run();
    const result = loadReferenceData(db);
    expect(result.payers).toBe(1);
    expect(listPayers(db)).toHaveLength(14);
    connection.sqlite.close();
  });
});

describe("malformed seed files", () => {
  function withBrokenSeed(file: string, edit: (content: string) => string): () => void {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-seed-"));
    cpSync(SEED_DIR, dir, { recursive: true });
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), "utf8")));
    return () => {
      try {
        readSeedData(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
  }

  it("names the file and the problem for a bad value", () => {
    expect(withBrokenSeed("states.json", (s) => s.replace('"division": "pacific"', '"division": "pacifc"')))
      .toThrow(/db\/seed\/states\.json[\s\S]*division/);
  });

  it("rejects invalid JSON with the file name", () => {
    expect(withBrokenSeed("payers.json", (s) => s.slice(0, -5))).toThrow(/payers\.json is invalid: is not valid JSON/);
  });

  it("rejects a platform fact without an https source URL", () => {
    expect(withBrokenSeed("platforms.json", (s) => s.replace("https://clearhealthcosts.com/", "clearhealthcosts.com")))
      .toThrow(/platforms\.json/);
  });

  it("rejects a Medicare amount that is not dollars and cents", () => {
    expect(withBrokenSeed("medicare-pfs.csv", (s) => s.replace("154.29", "154.2.9"))).toThrow(/medicare-pfs\.csv[\s\S]*line/);
  });

  it("rejects a Medicare row for an unknown CPT code", () => {
    expect(withBrokenSeed("medicare-pfs.csv", (s) => `${s.trimEnd()}\n99999,2025,10.00\n`)).toThrow(/unknown CPT code: 99999/);
  });
});
