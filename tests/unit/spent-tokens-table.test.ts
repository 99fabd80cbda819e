// spent_tokens must stay a WITHOUT ROWID table (issue 12): a rowid would record the order tokens
// were spent in, next to reports whose order is not recorded. drizzle cannot declare such a
// table, so it lives in a custom migration; this fails if a generated one ever replaces it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";

describe("spent_tokens", () => {
  it("is a WITHOUT ROWID table of a 32-byte hash and a month after every migration", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    const { sql } = connection.sqlite.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'spent_tokens'").get() as { sql: string };
    expect(sql).toMatch(/\)\s*WITHOUT ROWID\s*$/i);
    expect(() => connection.sqlite.prepare("SELECT rowid FROM spent_tokens").all()).toThrow(/no such column: rowid/);
    const columns = (connection.sqlite.prepare("PRAGMA table_info(spent_tokens)").all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(["token_hash", "month"]);
    expect(() => connection.sqlite.prepare("INSERT INTO spent_tokens VALUES (?, ?)").run(Buffer.alloc(32), "2026-12-01")).toThrow(/CHECK/);
    connection.sqlite.close();
  });

  it("is touched by no migration after the custom one that creates it", () => {
    const files = readdirSync(MIGRATIONS_FOLDER).filter((name) => name.endsWith(".sql")).sort();
    const touching = files.filter((name) => /spent_tokens/.test(readFileSync(join(MIGRATIONS_FOLDER, name), "utf8").replace(/--.*$/gm, "")));
    expect(touching).toHaveLength(1);
    expect(touching[0]).toMatch(/_spent_tokens\.sql$/);
  });

  it("is not declared in db/schema.ts, where drizzle would make it a rowid table", () => {
    const schema = readFileSync(join(MIGRATIONS_FOLDER, "../schema.ts"), "utf8");
    expect(schema).not.toMatch(/sqliteTable\(\s*"spent_tokens"/);
  });
});
