import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { tinMappingEditSchema } from "../../src/lib/schemas/tic-mapping.ts";
import { recentAudit } from "../../src/lib/write/auth/audit.ts";
import { loadReferenceData } from "../../src/lib/write/reference-seed.ts";
import { listPlatformTins, removeModeratorTinMapping, saveModeratorTinMapping } from "../../src/lib/write/tic/mapping-edit.ts";

const actor = { id: "m1", email: "moderator@example.org" };

function fresh() {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  loadReferenceData(connection.db);
  return connection;
}

describe("TIN mappings at /mod/reference", () => {
  it("normalizes a TIN to 9 digits and asks for an https source", () => {
    expect(tinMappingEditSchema.parse({ tin: "12-3456789", platform: "alma", state: "", source: "https://example.org/a" }))
      .toEqual({ tin: "123456789", platform: "alma", state: null, source: "https://example.org/a" });
    expect(tinMappingEditSchema.parse({ tin: "12345678", platform: "headway", state: "or", source: "https://example.org/h" }).tin).toBe("012345678");
    expect(tinMappingEditSchema.parse({ tin: "1234567893", platform: "grow-therapy", state: "", source: "https://example.org/g" }).tin).toBe("1234567893");
    expect(tinMappingEditSchema.safeParse({ tin: "12-3456789", platform: "alma", state: "", source: "http://example.org" }).success).toBe(false);
    expect(tinMappingEditSchema.safeParse({ tin: "12-345678901", platform: "alma", state: "", source: "https://example.org" }).success).toBe(false);
    expect(tinMappingEditSchema.safeParse({ tin: "abc", platform: "alma", state: "", source: "https://example.org" }).success).toBe(false);
  });

  it("saves, changes and removes a mapping, each with its audit line", () => {
    const { db, sqlite } = fresh();
    expect(saveModeratorTinMapping(db, { tin: "123456789", platform: "alma", state: null, source: "https://example.org/a" }, actor)).toBeNull();
    expect(saveModeratorTinMapping(db, { tin: "123456789", platform: "alma", state: "OR", source: "https://example.org/b" }, actor)).toBeNull();
    expect(listPlatformTins(db)).toEqual([{ tin: "123456789", platform: "alma", state: "OR", source: "https://example.org/b" }]);
    expect(removeModeratorTinMapping(db, "123456789", actor)).toBe(true);
    expect(removeModeratorTinMapping(db, "123456789", actor)).toBe(false);
    expect(listPlatformTins(db)).toEqual([]);
    expect(recentAudit(db).map((entry) => entry.action).reverse()).toEqual(["platform_tin.added", "platform_tin.updated", "platform_tin.removed"]);
    expect(JSON.parse(recentAudit(db)[1]!.detail)).toEqual({ tin: "123456789", platform: "alma", state: "OR" });
    sqlite.close();
  });

  it("refuses an unknown platform or state without writing anything", () => {
    const { db, sqlite } = fresh();
    expect(saveModeratorTinMapping(db, { tin: "123456789", platform: "nosuch", state: null, source: "https://example.org" }, actor)).toBe('unknown platform "nosuch"');
    expect(saveModeratorTinMapping(db, { tin: "123456789", platform: "alma", state: "ZZ", source: "https://example.org" }, actor)).toBe('unknown state "ZZ"');
    expect(listPlatformTins(db)).toEqual([]);
    expect(recentAudit(db)).toEqual([]);
    sqlite.close();
  });
});
