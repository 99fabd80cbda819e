// The batched lookup behind the comparison pages gives, row for row, what cellWithFallback gives.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { cellWithFallback, latestSnapshot, type Snapshot } from "../../src/lib/read/published.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { LICENSES, MODALITIES, STATES } from "../../src/lib/schemas/codes.ts";
import { lookUpRows, type Payee, type Place } from "../../src/lib/read/published-lookup.ts";
import { referenceContext, type ReferenceContext } from "../../src/lib/read/reference-context.ts";

let connection: Connection;
let snapshot: Snapshot;
let ctx: ReferenceContext;

beforeAll(() => {
  connection = openDatabase(":memory:");
  migrateDatabase(connection);
  prepareDatabase(connection, { demo: true, k: 5 });
  snapshot = latestSnapshot(connection.db)!;
  ctx = referenceContext(connection.db);
});
afterAll(() => connection.sqlite.close());

const place = fc.record({
  cpt: fc.constantFrom("90837", "90834", "90791", "90847", "96127"),
  geo: fc.oneof(fc.constantFrom(...STATES).map((geo) => ({ geoLevel: "state" as const, geo })), fc.constant({ geoLevel: "national" as const, geo: "US" })),
  license: fc.oneof(fc.constantFrom(...LICENSES).map((license) => ({ licenseLevel: "license" as const, license })), fc.constant({ licenseLevel: "all" as const, license: null })),
  modality: fc.constantFrom(...MODALITIES, "all"),
  yearWindow: fc.constantFrom("2025", "2026", "2025-2026"),
});

function payeeSets(): Payee[][] {
  return [
    [...ctx.platforms.map((p) => ({ channel: "platform", platform: p.slug, payer: null })), { channel: "direct", platform: null, payer: null }, { channel: "self_pay", platform: null, payer: null }],
    [...ctx.payers.map((p) => ({ channel: null, platform: null, payer: p.slug })), { channel: null, platform: null, payer: null }],
    [{ channel: "platform", platform: "alma", payer: "cigna" }],
  ];
}

describe("lookUpRows", () => {
  it("finds the same cell, with the same generalization note, as cellWithFallback for every row", () => {
    fc.assert(fc.property(place, fc.nat(2), (where: Place, set) => {
      const payees = payeeSets()[set]!;
      const batched = lookUpRows(connection.db, snapshot, where, payees, ctx.lookups, ctx.names);
      payees.forEach((payee, i) => {
        const single = cellWithFallback(connection.db, snapshot, { ...where, ...payee }, ctx.lookups, ctx.names);
        expect(batched[i]!.cell?.cellKey ?? null).toBe(single.cell?.cellKey ?? null);
        if (single.cell) expect(batched[i]!.note).toBe(single.note);
        else expect(batched[i]!.note).toMatch(/fewer than 5 reports/);
      });
    }), { numRuns: 60 });
  });

  it("names real places in the note: Oregon, the Pacific division", () => {
    const [row] = lookUpRows(connection.db, snapshot,
      { cpt: "90837", geo: { geoLevel: "state", geo: "OR" }, license: { licenseLevel: "license", license: "lpc" }, modality: "all", yearWindow: "2025-2026" },
      [{ channel: "platform", platform: "alma", payer: null }], ctx.lookups, ctx.names);
    expect(row!.note).toMatch(/^Oregon, LPC \/ LPCC \/ LMHC has fewer than 5 reports; showing (the Pacific division|the whole nation)/);
  });

  it("can look for the first cell that publishes something, such as the payer amount", () => {
    const [row] = lookUpRows(connection.db, snapshot,
      { cpt: "90837", geo: { geoLevel: "state", geo: "OR" }, license: { licenseLevel: "all", license: null }, modality: "all", yearWindow: "2025-2026" },
      [{ channel: "platform", platform: "alma", payer: "cigna" }], ctx.lookups, ctx.names, (cell) => cell.allowedP50 !== null);
    expect(row!.cell?.allowedP50).not.toBeNull();
  });
});
