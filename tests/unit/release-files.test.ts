// Files a release is made of: each snapshot keeps the reference tables it was built with, and
// SQLite downloads are kept for the latest 30 snapshots only.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { payers, snapshots } from "../../db/schema.ts";
import { migrateDatabase, openDatabase, snapshotsDirOf } from "../../src/lib/server/db.ts";
import { snapshotReference } from "../../src/lib/read/release/reference-copy.ts";
import { KEEP_SQLITE_DOWNLOADS, pruneSqliteDownloads, sqliteDownloadFileName } from "../../src/lib/read/release/sqlite-download.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";

describe("release files", () => {
  it("a snapshot's reference copy keeps the names it was built with after a moderator renames a payer", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    const { snapshot } = prepareDatabase(connection, { demo: true, k: 5 });
    const before = snapshotReference(connection.db, snapshot.id)!.payers.find((p) => p.slug === "cigna")!.name;
    connection.db.update(payers).set({ name: "Renamed Insurer" }).where(eq(payers.slug, "cigna")).run();
    expect(snapshotReference(connection.db, snapshot.id)!.payers.find((p) => p.slug === "cigna")!.name).toBe(before);
    const next = buildSnapshot(connection, { k: 5, trigger: "script" });
    expect(snapshotReference(connection.db, next.id)!.payers.find((p) => p.slug === "cigna")!.name).toBe("Renamed Insurer");
    expect(before).not.toBe("Renamed Insurer");
  });

  it("keeps the SQLite downloads of the latest 30 snapshots, and one asked for, and removes older ones", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    const dir = snapshotsDirOf(connection.sqlite);
    const total = KEEP_SQLITE_DOWNLOADS + 3;
    for (let i = 1; i <= total; i++) {
      connection.db.insert(snapshots).values({
        createdAt: new Date(Date.UTC(2026, 0, i)).toISOString(), rulesVersion: "test", k: 5, bandEdges: [0, 30], isDemo: true,
        reportsUsed: 0, cellsPublished: 0, cellsSuppressed: { k_reports: 0, take_k_reports: 0, tail_percentiles_below_20: 0, rates_above_top_band: 0 }, trigger: "script",
      }).run();
      writeFileSync(join(dir, sqliteDownloadFileName(i)), "x");
    }
    pruneSqliteDownloads(connection.db, 1);
    const kept = Array.from({ length: total }, (_, i) => i + 1).filter((id) => existsSync(join(dir, sqliteDownloadFileName(id))));
    expect(kept).toEqual([1, ...Array.from({ length: KEEP_SQLITE_DOWNLOADS }, (_, i) => total - KEEP_SQLITE_DOWNLOADS + 1 + i)]);
  });
});
