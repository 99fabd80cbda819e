// A moderator's edit to reference data reaches what the API publishes.
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { referenceRows } from "../../src/lib/read/api/reference-rows.ts";
import { loadReferenceData } from "../../src/lib/write/reference-seed.ts";
import { saveMedicareAmount } from "../../src/lib/write/reference-edit.ts";
import type { ReferenceRow } from "../../src/lib/schemas/api.ts";

const medicareRows = (db: Parameters<typeof referenceRows>[0]) => referenceRows(db, "medicare-rates") as ReferenceRow<"medicare-rates">[];

describe("reference edits", () => {
  it("publishes a moderator's edit to a Medicare amount and its source", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    loadReferenceData(connection.db);
    const before = medicareRows(connection.db).find((row) => row.cpt === "90837")!;
    const edit = { cpt: "90837", year: before.year, amount: 171.23, source: "CMS PFS, corrected file (moderator test)", sourceUrl: "https://www.cms.gov/medicare/payment/fee-schedules/physician/corrected" };
    expect(before.source).not.toBe(edit.source);

    saveMedicareAmount(connection.db, edit, { id: "m1", email: "moderator@example.org" });

    const after = medicareRows(connection.db).find((row) => row.cpt === "90837" && row.year === before.year)!;
    expect(after).toEqual({ cpt: "90837", year: before.year, amount: 171.23, source: edit.source, source_url: edit.sourceUrl });
    connection.sqlite.close();
  });
});
