// Pages and the public API can read only published snapshots, never reports or rates. The boundary
// is an ESLint rule (eslint.config.js, docs/decisions/0013-eslint-privacy-boundary.md); these
// tests lint code placed at paths on each side of it and expect the rule to fire exactly there.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { cellWithFallback, findCells, latestSnapshot, sharesFor } from "../../src/lib/read/published.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";

const root = resolve(import.meta.dirname, "../..");
let eslint: ESLint;

/** The boundary messages ESLint reports for `code` if it were the file at `path` (relative to the root). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const frontmatter = (imports: string) => `---\n${imports}\nvoid x;\n---\n<p>probe</p>\n`;
const clientScript = (imports: string) => `---\n---\n<p>probe</p>\n<script>\n  ${imports}\n  void x;\n</script>\n`;

describe("the read side", () => {
  beforeAll(() => {
    eslint = new ESLint({ cwd: root });
  });

  it.each([
    ["src/lib/read/probe.ts", `import { submit as x } from "../write/submissions.ts";`],
    ["src/lib/read/api/probe.ts", `import { buildSnapshot as x } from "../../write/snapshot.ts";`],
    ["src/lib/read/probe.ts", `import { reports as x } from "../../../db/schema.ts";`],
    ["src/lib/read/probe.ts", `import { snapshots, rates as x } from "../../../db/schema.ts"; void snapshots;`],
    ["src/lib/read/probe.ts", `import * as x from "../../../db/schema.ts";`],
    ["src/lib/read/probe.ts", `import { generateDemoReports as x } from "../../../db/seed/demo.ts";`],
    ["src/pages/api/v1/probe.json.ts", `import { submit as x } from "../../../lib/write/submissions.ts";`],
    ["src/pages/payers/probe.astro", frontmatter(`import { viewReport as x } from "../../lib/write/reports.ts";`)],
    ["src/pages/data.astro", frontmatter(`import { sessions as x } from "../../db/schema.ts";`)],
    ["src/pages/sharepoint.astro", frontmatter(`import { submit as x } from "../lib/write/submissions.ts";`)],
    ["src/lib/server/probe.ts", `import { submit as x } from "../write/submissions.ts";`],
    ["src/lib/shared/probe.ts", `import { submit as x } from "../write/submissions.ts";`],
    ["src/components/Probe.astro", frontmatter(`import { submit as x } from "../lib/write/submissions.ts";`)],
    ["src/layouts/Base.astro", frontmatter(`import { validateSessionToken as x } from "../lib/write/auth/sessions.ts";`)],
  ])("the linter refuses %s importing the write side: %s", async (path, code) => {
    const errors = await boundaryErrors(path, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/write side|report, rate or moderator tables/);
  });

  it.each([
    ["src/lib/read/probe.ts", `import { snapshots as x } from "../../../db/schema.ts";`],
    ["src/lib/read/probe.ts", `import { cptCodes as x } from "../../../db/schema.ts";`],
    ["src/pages/share.astro", frontmatter(`import { submit as x } from "../lib/write/submissions.ts";`)],
    ["src/pages/receipt.astro", frontmatter(`import { viewReport as x } from "../lib/write/reports.ts";`)],
    ["src/pages/mod/probe.astro", frontmatter(`import { reviewReport as x } from "../../lib/write/moderation.ts";`)],
    ["src/pages/api/v1/reports/probe.ts", `import { submit as x } from "../../../../lib/write/submissions.ts";`],
    ["src/pages/api/v1/token-probe.ts", `import { submit as x } from "../../../lib/write/submissions.ts";`],
    ["src/pages/verify-probe.astro", frontmatter(`import { reports as x } from "../../db/schema.ts";`)],
    ["src/lib/write/probe.ts", `import { reports as x } from "../../../db/schema.ts";`],
  ])("the linter lets the write side be: %s importing %s", async (path, code) => {
    expect(await boundaryErrors(path, code)).toEqual([]);
  });

  it.each([
    ["src/pages/probe.astro", frontmatter(`import { latestSnapshot as x } from "../lib/read/published.ts";`)],
    ["src/layouts/Base.astro", frontmatter(`import { latestSnapshot as x } from "../lib/read/published.ts";`)],
  ])("a public page gets the current snapshot one way: %s importing %s", async (path, code) => {
    expect(await boundaryErrors(path, code)).toEqual([expect.stringMatching(/currentSnapshot/)]);
  });

  it.each([
    ["src/scripts/probe.ts", `import { latestSnapshot as x } from "../lib/read/published.ts";`],
    ["src/scripts/probe.ts", `import { database as x } from "../lib/server/db.ts";`],
    ["src/scripts/probe.ts", `import { reportSchema as x } from "../lib/schemas/report.ts";`],
    ["src/pages/probe.astro", clientScript(`import { database as x } from "../lib/server/db.ts";`)],
    ["src/pages/share.astro", clientScript(`import { submit as x } from "../lib/write/submissions.ts";`)],
  ])("browser code may not import server modules: %s importing %s", async (path, code) => {
    expect(await boundaryErrors(path, code)).toHaveLength(1);
  });

  it.each([
    ["src/scripts/probe.ts", `import { formatDollars as x } from "../lib/shared/format.ts";`],
    ["src/scripts/probe.ts", `import { drawRangeCharts as x } from "./range-chart.ts";`],
    ["src/scripts/probe.ts", `import { Chart as x } from "chart.js";`],
    ["src/pages/probe.astro", clientScript(`import { enhanceShareForm as x } from "../scripts/share-form.ts";`)],
    ["src/pages/mod/probe.astro", clientScript(`import { K_MIN as x } from "../../lib/rules/cells.ts";`)],
  ])("browser code may import shared modules, rules and other browser scripts: %s importing %s", async (path, code) => {
    expect(await boundaryErrors(path, code)).toEqual([]);
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
