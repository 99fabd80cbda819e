// /compare in Chromium: a therapist compares 90837 in Oregon for an LPC, without and with JavaScript.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayCell } from "../../src/lib/read/cell-display.ts";
import { findCells } from "../../src/lib/read/published.ts";
import { listPlatforms } from "../../src/lib/read/reference.ts";
import { WIDTHS, chartsDrawn, expectAccessible, screenshot, setUpPages, tableRows, tearDownPages, visit, type PageTestSetup } from "./pages-support.ts";

let setup: PageTestSetup;
beforeAll(async () => {
  setup = await setUpPages();
});
afterAll(() => tearDownPages(setup));

const OREGON_LPC = "/compare?cpt=90837&state=OR&license=lpc&modality=&year=2025-2026";

describe("/compare", () => {
  it("compares 90837 in Oregon for an LPC with a plain GET form, without JavaScript", async () => {
    const { context, page, foreignRequests } = await visit(setup.browser, { javaScript: false });
    await page.goto(`${setup.server.url}/compare`);
    await page.selectOption("#f-cpt", "90837");
    await page.selectOption("#f-state", "OR");
    await page.selectOption("#f-license", "lpc");
    await Promise.all([page.waitForURL(/state=OR/), page.click("#compare-filters button[type='submit']")]);

    // The URL holds the choice, so it can be shared.
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ cpt: "90837", state: "OR", license: "lpc" });
    expect(await page.textContent("[data-testid='selection']")).toMatch(/90837.*Oregon.*LPC/);

    const platforms = listPlatforms(setup.published.db);
    const rows = await tableRows(page, "[data-testid='chart-platforms'] table");
    expect(rows).toHaveLength(platforms.length + 4);
    for (const row of rows) {
      if (row[1]?.startsWith("Not published")) continue;
      // Median and middle 50%: a dollar figure or a band, never a zero.
      expect(row[1]).toMatch(/^\$[1-9]\d*(–\$\d+)?$/);
      expect(row[2]).toMatch(/^\$\d+–\$\d+$/);
    }
    // Oregon alone is too small for most rows: the page says what it shows instead, naming real places.
    expect(await page.textContent("[data-testid='chart-platforms'] .chart-notes")).toMatch(/Oregon, LPC \/ LPCC \/ LMHC has fewer than 5 reports; showing (the Pacific division|the whole nation)/);
    // Said once per page: figures are estimates from banded amounts.
    expect(await page.locator(".estimate-note").count()).toBe(1);
    // Without JavaScript the chart says the table holds every figure.
    expect(await page.locator("noscript").count()).toBeGreaterThan(0);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, "compare-oregon-lpc", width, false);
    }
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("shows each median as published: the band wherever it holds half or more of the values", async () => {
    const { context, page } = await visit(setup.browser, { javaScript: false });
    await page.goto(`${setup.server.url}/compare?cpt=90837`);
    const rows = await tableRows(page, "[data-testid='chart-platforms'] table");
    const cells = findCells(setup.published.db, setup.snapshot.id, {
      cpt: "90837", geoLevel: "national", channel: "platform", payer: null, licenseLevel: "all", modality: "all", yearWindow: "2025-2026",
    });
    let banded = 0;
    for (const platform of listPlatforms(setup.published.db)) {
      const cell = cells.find((c) => c.platform === platform.slug);
      const row = rows.find((r) => r[0] === platform.name);
      expect(row, platform.name).toBeDefined();
      if (!cell) {
        expect(row![1]).toMatch(/^Not published: fewer than 5 reports/);
        continue;
      }
      const shown = displayCell(cell);
      expect(row!.slice(1, 5)).toEqual([shown.median, shown.middle, shown.percentOfMedicare, shown.reports]);
      if (cell.p50ShareInBand >= 0.5) {
        banded++;
        expect(row![1]).toBe(`$${cell.p50Band.replace("-", "–$")}`);
      } else {
        expect(row![1]).toBe(`$${cell.p50}`);
      }
    }
    expect(banded).toBeGreaterThan(0);
    await context.close();
  });

  it("draws the charts with JavaScript and lets the keyboard read each bar", async () => {
    const { context, page, consoleErrors, foreignRequests } = await visit(setup.browser);
    await page.goto(`${setup.server.url}${OREGON_LPC}`);
    expect(await chartsDrawn(page)).toBe(2);
    const canvas = page.locator("#platforms-canvas");
    expect(await canvas.getAttribute("tabindex")).toBe("0");
    expect(await canvas.getAttribute("aria-label")).toMatch(/range chart of the median and middle 50%/);
    // Reach the chart with the keyboard alone: it comes right after the note on estimates.
    await page.focus(".estimate-note a");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("platforms-canvas");
    const readout = page.locator("#platforms-readout");
    const first = await readout.textContent();
    expect(first).toMatch(/Median \$\d+.*Bar 1 of \d+\./);
    await page.keyboard.press("ArrowDown");
    expect(await readout.textContent()).toMatch(/Bar 2 of/);
    await page.keyboard.press("End");
    expect(await readout.textContent()).toMatch(/Self-pay \(cash\)[^:]*: Median/);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(150);
      await screenshot(page, "compare-oregon-lpc", width);
      await expectAccessible(page);
    }
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("keeps what it understands of a bad link and says what it left out", async () => {
    const response = await fetch(`${setup.server.url}/compare?cpt=abc&state=ZZ&license=lpc&year=1999`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Some choices in the link were not recognized");
    expect(html).toMatch(/<option value="lpc" selected/);
    expect(html).toMatch(/<option value="90837" selected/);
  });
});
