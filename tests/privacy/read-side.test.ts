// Pages and the public API can read only published snapshots, never reports or rates.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { cellWithFallback, findCells, latestSnapshot, sharesFor } from "../../src/lib/read/published.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";

const root = resolve(import.meta.dirname, "../..");
const WRITE_SIDE_MODULES = [
  "src/lib/write/reports.ts", "src/lib/write/submissions.ts", "src/lib/write/snapshot.ts",
  "src/lib/write/setup.ts", "db/seed/demo.ts",
];
/** The only routes that touch reports: the form, the receipt page, the reports API, and moderation (behind sign-in). */
const WRITE_SIDE_ROUTES = ["src/pages/share.astro", "src/pages/receipt.astro", "src/pages/api/v1/reports/index.ts", "src/pages/api/v1/reports/[receipt].ts"];
const isWriteSide = (route: string) => WRITE_SIDE_ROUTES.includes(route) || route.startsWith("src/pages/mod/");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** Every project module a file reaches through relative imports. */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, "utf8");
  for (const match of source.matchAll(/(?:import|export)[^'"]*?from\s+["'](\.[^"']+)["']|import\s+["'](\.[^"']+)["']/g)) {
    const target = resolve(dirname(file), (match[1] ?? match[2])!);
    try {
      if (statSync(target).isFile()) reachable(target, seen);
    } catch {
      // not a file on disk (e.g. a css import handled by Vite)
    }
  }
  return seen;
}

describe("the read side", () => {
  const routes = files(join(root, "src/pages")).map((f) => relative(root, f)).filter((f) => !isWriteSide(f));

  it("has read-side routes to check", () => {
    expect(routes.length).toBeGreaterThan(2);
  });

  it.each(routes)("%s never reaches code that reads reports or rates", (route) => {
    const reached = [...reachable(join(root, route))].map((f) => relative(root, f));
    expect(reached.filter((f) => WRITE_SIDE_MODULES.includes(f))).toEqual([]);
  });

  it("the query layer imports only the snapshot index from the schema, and reads snapshot files", () => {
    const source = readFileSync(join(root, "src/lib/read/published.ts"), "utf8");
    const schemaImport = /import\s*\{([^}]*)\}\s*from\s*"[^"]*db\/schema\.ts"/.exec(source);
    const names = schemaImport![1]!.split(",").map((s) => s.trim()).filter(Boolean);
    expect(names.sort()).toEqual(["snapshots"]);
    expect(source).not.toMatch(/\bFROM\s+(reports|rates)\b/i);
  });

  it("keeps answering with the reports and rates tables gone", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    prepareDatabase(connection, { demo: true, k: 5 });
    connection.sqlite.exec("DROP TABLE rates; DROP TABLE reports;");
    const snapshot = latestSnapshot(connection.db)!;
    expect(snapshot.isDemo).toBe(true);
    const cells = findCells(connection.db, snapshot.id, { cpt: "90837", geoLevel: "national", channel: null, platform: null, payer: null, licenseLevel: "all", modality: "all" });
    expect(cells.length).toBeGreaterThan(0);
    const result = cellWithFallback(
      connection.db, snapshot,
      { cpt: "90837", geo: { geoLevel: "state", geo: "WY" }, channel: "platform", platform: "alma", payer: null, license: { licenseLevel: "license", license: "lpc" }, modality: "telehealth", yearWindow: "2025-2026" },
      { divisionOfState: (s) => (s === "WY" ? "mountain" : undefined), groupOfLicense: (l) => (l === "lpc" ? "masters" : undefined) },
      { geo: (g) => g.geo, license: (l) => l.license ?? "all" },
    );
    expect(result.cell).not.toBeNull();
    expect(result.note).toMatch(/fewer than 5 reports; showing/);
    expect(sharesFor(connection.db, snapshot.id, "all").length).toBeGreaterThan(0);
  });
});
