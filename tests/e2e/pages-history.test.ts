// Rate history on the pages (issue 15 item 6), in Chromium, axe clean: two crowd snapshots, the
// second with lower pay, and /compare and the platform and payer profiles say the median fell, in
// the same words and bands as the cell's own display; the Atom feed links to the history's page.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayCell } from "../../src/lib/read/cell-display.ts";
import { findCells, type CellFilter } from "../../src/lib/read/published.ts";
import { profileFilter } from "../../src/lib/read/rate-history.ts";
import { NATIONAL } from "../../src/lib/rules/ladders.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { SCREENSHOT_DIR, launchBrowser } from "../helpers/browser.ts";
import { startServer, type RunningServer } from "../helpers/server.ts";
import { chartsDrawn, expectAccessible, screenshot, tableRows, visit } from "./pages-support.ts";

let dir: string;
let server: RunningServer;
let browser: Browser;
let connection: Connection;
let first: number;
let second: number;

function submit(paid: number): void {
  submitReport(connection, reportSubmissionSchema.parse({
    state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma", employment: "1099",
    rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2026, paid }],
  }));
}

/** The year window the pages headline: the one the published 90837 cells have. */
function headlineWindow(): string {
  const [cell] = findCells(connection.db, second, { cpt: "90837", geoLevel: "national", geo: NATIONAL }, { limit: 1 });
  return cell!.yearWindow;
}

/** The sentence the pages must show for a cell, from the published cells' own display. */
function expectedCut(filter: CellFilter): string {
  const [before] = findCells(connection.db, first, filter, { limit: 1 });
  const [after] = findCells(connection.db, second, filter, { limit: 1 });
  expect(before, "published in the first snapshot").toBeTruthy();
  expect(after, "published in the second snapshot").toBeTruthy();
  expect(after!.p50).toBeLessThan(before!.p50);
  return `The median fell from ${displayCell(before!).median} to ${displayCell(after!).median} between snapshot ${first} and ${second}.`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-history-pages-"));
  const dbPath = join(dir, "ratecard.db");
  connection = openDatabase(dbPath);
  migrateDatabase(connection);
  prepareDatabase(connection, { demo: false, k: 5 });
  for (let i = 0; i < 12; i++) submit(150 + 2 * i);
  first = buildSnapshot(connection, { k: 5, trigger: "script" }).id;
  // The rate cut: many more sessions paid far less.
  for (let i = 0; i < 30; i++) submit(88 + (i % 6));
  second = buildSnapshot(connection, { k: 5, trigger: "script" }).id;
  [server, browser] = await Promise.all([startServer({ dbPath, env: { RATECARD_DEMO: "off" } }), launchBrowser()]);
});

afterAll(async () => {
  connection?.sqlite.close();
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function expectHistory(path: string, sentence: string, name: string): Promise<void> {
  const { context, page, foreignRequests } = await visit(browser);
  await page.goto(`${server.url}${path}`);
  const summary = (await page.textContent("[data-testid='history-history-summary']"))!.replace(/\s+/g, " ").trim();
  expect(summary).toBe(sentence);
  const rows = await tableRows(page, "[data-testid='chart-history'] table");
  expect(rows.map((row) => row[0])).toEqual([expect.stringMatching(new RegExp(`^Snapshot ${first} \\(`)), expect.stringMatching(new RegExp(`^Snapshot ${second} \\(`))]);
  for (const row of rows) expect(row[1]).toMatch(/^\$\d+(–\$\d+)?$/);
  // The link to the whole series answers the same snapshots as CSV.
  const csvLink = await page.getAttribute("[data-testid='history-history-extent'] a", "href");
  const csv = await fetch(`${server.url}${csvLink}`);
  expect(csv.status).toBe(200);
  expect((await csv.text()).trim().split("\n").slice(1).map((line) => Number(line.split(",")[0]))).toEqual([first, second]);
  await chartsDrawn(page);
  await expectAccessible(page);
  await screenshot(page, name, 1280);
  await page.locator("[data-testid='history-history']").screenshot({ path: `${SCREENSHOT_DIR}/pages-${name}-section-1280.png` });
  expect(foreignRequests).toEqual([]);
  await context.close();
}

describe("rate history on the pages", () => {
  it("/compare says the median fell between the two crowd snapshots, with both in the history chart's table", async () => {
    const yearWindow = headlineWindow();
    const filter: CellFilter = { ...profileFilter("90837", yearWindow, { channel: null, platform: null, payer: null }, false) };
    await expectHistory("/compare?cpt=90837", expectedCut(filter), "compare-history");
  });

  it("the platform profile says the same of the platform's own cell", async () => {
    const yearWindow = headlineWindow();
    await expectHistory("/platforms/alma", expectedCut(profileFilter("90837", yearWindow, { channel: "platform", platform: "alma", payer: null }, false)), "platform-alma-history");
  });

  it("the payer profile says it of the payer's cell", async () => {
    const yearWindow = headlineWindow();
    await expectHistory("/payers/cigna", expectedCut(profileFilter("90837", yearWindow, { channel: null, platform: null, payer: "cigna" }, false)), "payer-cigna-history");
  });

  it("the Atom feed's entries link to the page that shows the history", async () => {
    const byPlatform = await (await fetch(`${server.url}/feeds/changes.atom?platform=alma`)).text();
    expect(byPlatform).toContain('<link rel="related" type="text/html" title="Rate history" href="/platforms/alma#history-heading"/>');
    const byCode = await (await fetch(`${server.url}/feeds/changes.atom?cpt=90837&state=OR`)).text();
    expect(byCode).toContain('href="/compare?cpt=90837&amp;state=OR#history-heading"');
  });
});
