// What the page tests share: a demo server, Chromium contexts, screenshots at 390 and 1280 px, and
// read-only access to the published snapshot to check what pages show against it.
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { latestSnapshot, type Snapshot } from "../../src/lib/read/published.ts";
import { SCREENSHOT_DIR, axeViolations, launchBrowser, newContext } from "../helpers/browser.ts";
import { startServer, type RunningServer } from "../helpers/server.ts";

export const WIDTHS = [390, 1280] as const;

export type PageTestSetup = {
  server: RunningServer;
  browser: Browser;
  /** The server's database, read-only: published snapshots to compare pages with. */
  published: Connection;
  snapshot: Snapshot;
};

export async function setUpPages(): Promise<PageTestSetup> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const published = openDatabase(server.dbPath, { readonly: true });
  return { server, browser, published, snapshot: latestSnapshot(published.db)! };
}

export async function tearDownPages(setup: PageTestSetup | undefined): Promise<void> {
  setup?.published.sqlite.close();
  await setup?.browser.close();
  await setup?.server.stop();
}

export type Visit = { context: BrowserContext; page: Page; foreignRequests: string[]; consoleErrors: string[] };

/** A fresh context and page; console errors (a CSP violation is one) and foreign requests are recorded. */
export async function visit(browser: Browser, options: { javaScript?: boolean; width?: number } = {}): Promise<Visit> {
  const { context, foreignRequests } = await newContext(browser, { javaScript: options.javaScript ?? true, width: options.width ?? 1280 });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  return { context, page, foreignRequests, consoleErrors };
}

/** A full-page screenshot in test-results/screenshots/, named after the page, width and JavaScript. */
export async function screenshot(page: Page, name: string, width: number, javaScript = true): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/pages-${name}${javaScript ? "" : "-nojs"}-${width}.png`, fullPage: true });
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** Waits until every chart on the page is drawn. */
export async function chartsDrawn(page: Page): Promise<number> {
  await page.waitForFunction(() => [...document.querySelectorAll("canvas[data-chart]")].every((c) => c.hasAttribute("data-chart-ready")));
  return page.locator("canvas[data-chart-ready]").count();
}

/** The text of every cell of a table's body, row by row. */
export async function tableRows(page: Page, selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (rows) => rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => (cell.textContent ?? "").replace(/\s+/g, " ").trim())));
}
