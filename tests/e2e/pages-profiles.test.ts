// The home page, /platforms, /payers and their profiles in Chromium, without and with JavaScript.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPayers, listPlatforms } from "../../src/lib/read/reference.ts";
import { WIDTHS, chartsDrawn, expectAccessible, screenshot, setUpPages, tableRows, tearDownPages, visit, type PageTestSetup } from "./pages-support.ts";

let setup: PageTestSetup;
beforeAll(async () => {
  setup = await setUpPages();
});
afterAll(() => tearDownPages(setup));

const PAGES = [
  { path: "/", name: "home", charts: 1 },
  { path: "/platforms", name: "platforms", charts: 1 },
  { path: "/platforms/alma", name: "platform-alma", charts: 2 },
  { path: "/payers", name: "payers", charts: 1 },
  { path: "/payers/cigna", name: "payer-cigna", charts: 3 },
];

describe("the home page", () => {
  it("says what Ratecard is, with the headline chart by platform and own contract, without JavaScript", async () => {
    const { context, page } = await visit(setup.browser, { javaScript: false });
    await page.goto(`${setup.server.url}/`);
    expect(await page.textContent("h1")).toMatch(/really paid/);
    expect(await page.textContent(".demo-banner")).toMatch(/Demo data/);
    expect(await page.textContent("ul.stat-row")).toMatch(/Reports counted\s*2,000 \(demo\)/);
    const rows = await tableRows(page, "[data-testid='chart-headline'] table");
    const labels = rows.map((row) => row[0]);
    for (const platform of listPlatforms(setup.published.db)) expect(labels).toContain(platform.name);
    expect(labels).toContain("Own contract");
    expect(await page.getAttribute("a.button[href='/share']", "href")).toBe("/share");
    expect(await page.locator("a.button[href='/compare']").count()).toBe(1);
    expect(await page.locator("a.button[href='/check-offer']").count()).toBe(1);
    await context.close();
  });
});

describe("/platforms and a platform profile", () => {
  it("compares every platform and opens a profile, without JavaScript", async () => {
    const { context, page } = await visit(setup.browser, { javaScript: false });
    await page.goto(`${setup.server.url}/platforms`);
    const platforms = listPlatforms(setup.published.db);
    const terms = await tableRows(page, "[data-testid='terms']");
    expect(terms.map((row) => row[0])).toEqual(platforms.map((p) => p.name));
    for (const row of terms) expect(row[2]).toMatch(/^(\d+% ± \d+|Not published \(fewer than 20 answers\))$/);
    await Promise.all([page.waitForURL(/\/platforms\/alma$/), page.click("[data-testid='terms'] a[href='/platforms/alma']")]);

    expect(await page.textContent("h1")).toBe("Alma");
    const facts = await page.textContent(".profile-facts");
    expect(facts).toMatch(/Monthly membership fee/);
    expect(facts).toMatch(/Cigna Ventures \(investor\)/);
    expect(await page.locator(".profile-facts a[href^='https://']").count()).toBeGreaterThan(2);
    const byCpt = await tableRows(page, "[data-testid='chart-by-cpt'] table");
    expect(byCpt[0]![0]).toMatch(/^90837/);
    expect(byCpt.some((row) => /Not published: fewer than 5 reports across the nation/.test(row[1] ?? ""))).toBe(true);
    const byPayer = await tableRows(page, "[data-testid='chart-by-payer'] table");
    expect(byPayer.some((row) => /^about \d+% \(−?\d+% to \d+%\)$/.test(row[6] ?? ""))).toBe(true);
    const shares = await tableRows(page, "[data-testid='shares']");
    expect(shares.map((row) => row[0])).toContain("Were told before joining that the platform keeps part of what the insurer pays");
    expect(shares[0]![1]).toMatch(/^\d+% ± \d+$/);
    await context.close();
  });

  it("answers 404 for a platform it does not know", async () => {
    const response = await fetch(`${setup.server.url}/platforms/not-a-platform`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("No such platform");
    expect((await fetch(`${setup.server.url}/payers/not-a-payer`)).status).toBe(404);
  });
});

describe("/payers and a payer profile", () => {
  it("compares every payer and shows one by way of being paid and by platform, without JavaScript", async () => {
    const { context, page } = await visit(setup.browser, { javaScript: false });
    await page.goto(`${setup.server.url}/payers`);
    const rows = await tableRows(page, "[data-testid='chart-payer-pay'] table");
    expect(rows).toHaveLength(listPayers(setup.published.db).length + 1);
    await Promise.all([page.waitForURL(/\/payers\/cigna$/), page.click("[data-testid='chart-payer-pay'] a[href='/payers/cigna']")]);
    expect(await page.textContent("h1")).toBe("Cigna");
    const byChannel = await tableRows(page, "[data-testid='chart-by-channel'] table");
    expect(byChannel.map((row) => row[0])).toEqual(["Own contract", "Through a platform", "Through a group practice", "All ways of being paid"]);
    const byPlatform = await tableRows(page, "[data-testid='chart-by-platform'] table");
    expect(byPlatform).toHaveLength(listPlatforms(setup.published.db).length);
    await context.close();
  });
});

describe("every page here, with JavaScript, at 390 and 1280 px", () => {
  for (const { path, name, charts } of PAGES) {
    it(`${path}: charts drawn, no axe violations, no console errors, nothing from elsewhere`, async () => {
      for (const width of WIDTHS) {
        const { context, page, consoleErrors, foreignRequests } = await visit(setup.browser, { width });
        await page.goto(`${setup.server.url}${path}`);
        expect(await chartsDrawn(page)).toBe(charts);
        await screenshot(page, name, width);
        await expectAccessible(page);
        expect(consoleErrors).toEqual([]);
        expect(foreignRequests).toEqual([]);
        await context.close();
      }
    });
  }

  for (const { path, name } of PAGES) {
    it(`${path} without JavaScript: every figure is in a table`, async () => {
      for (const width of WIDTHS) {
        const { context, page } = await visit(setup.browser, { javaScript: false, width });
        await page.goto(`${setup.server.url}${path}`);
        expect(await page.locator(".range-chart table tbody tr").count()).toBeGreaterThan(0);
        await screenshot(page, name, width, false);
        await context.close();
      }
    });
  }
});
