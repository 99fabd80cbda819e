// Issue 12 in Chromium: "verified reports only" on /compare (a checkbox in the GET form, so the URL
// holds it and it works without JavaScript), on /check-offer and on the profiles; axe clean.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayCell } from "../../src/lib/read/cell-display.ts";
import { findCells } from "../../src/lib/read/published.ts";
import { expectAccessible, screenshot, setUpPages, tableRows, tearDownPages, visit, WIDTHS, type PageTestSetup } from "./pages-support.ts";

let setup: PageTestSetup;
beforeAll(async () => {
  setup = await setUpPages();
});
afterAll(() => tearDownPages(setup));

/** The national all-platforms row of 90837 as published, from all reports or verified ones. */
function nationalPlatformMedian(verified: boolean, yearWindow: string): string {
  const [cell] = findCells(setup.published.db, setup.snapshot.id, {
    cpt: "90837", geoLevel: "national", channel: "platform", platform: null, payer: null, licenseLevel: "all", modality: "all", yearWindow, verified,
  });
  return displayCell(cell!).median;
}

describe("verified reports only", () => {
  for (const javaScript of [false, true]) {
    it(`/compare: ticking the choice puts verified=true in the URL and shows verified rows (JavaScript ${javaScript ? "on" : "off"})`, async () => {
      const { context, page, foreignRequests, consoleErrors } = await visit(setup.browser, { javaScript });
      await page.goto(`${setup.server.url}/compare?cpt=90837`);
      const checkbox = page.getByLabel("Verified reports only");
      expect(await checkbox.isChecked()).toBe(false);
      await checkbox.check();
      await Promise.all([page.waitForURL(/verified=true/), page.click("#compare-filters button[type='submit']")]);
      expect(new URL(page.url()).searchParams.get("verified")).toBe("true");
      expect(await page.getByLabel("Verified reports only").isChecked()).toBe(true);
      expect(await page.textContent("[data-testid='selection']")).toMatch(/verified reports only/);

      const year = await page.inputValue("#f-year");
      const rows = await tableRows(page, "[data-testid='chart-platforms'] table");
      const allPlatforms = rows.find((row) => row[0] === "All platforms")!;
      expect(allPlatforms[1]).toBe(nationalPlatformMedian(true, year));

      // axe runs only where the page runs scripts
      if (javaScript) await expectAccessible(page);
      if (!javaScript) for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await screenshot(page, "compare-verified", width, false);
      }
      // Unticking shows the rows from all reports again.
      await page.getByLabel("Verified reports only").uncheck();
      await Promise.all([page.waitForURL((url) => !url.searchParams.has("verified")), page.click("#compare-filters button[type='submit']")]);
      const again = await tableRows(page, "[data-testid='chart-platforms'] table");
      expect(again.find((row) => row[0] === "All platforms")![1]).toBe(nationalPlatformMedian(false, year));
      expect(foreignRequests).toEqual([]);
      if (javaScript) expect(consoleErrors).toEqual([]);
      await context.close();
    });
  }

  it("/check-offer sends the choice with the offer and compares with verified rows", async () => {
    const { context, page } = await visit(setup.browser, { javaScript: true });
    await page.goto(`${setup.server.url}/check-offer`);
    await page.selectOption("#f-source", "platform:alma");
    await page.fill("#f-amount", "95");
    await page.getByLabel("Verified reports only").check();
    await page.click("#offer-form button[type='submit']");
    await page.waitForFunction(() => /verified reports only/.test(document.querySelector("[data-testid='offer-result']")?.textContent ?? ""));
    expect(await page.getByLabel("Verified reports only").isChecked()).toBe(true);
    expect(await page.textContent("[data-testid='offer-result']")).toMatch(/verified reports only/);
    await expectAccessible(page);
    await context.close();
  });

  it("the platform and payer profiles offer the choice as a small GET form", async () => {
    const { context, page } = await visit(setup.browser, { javaScript: true });
    for (const path of ["/platforms/alma", "/payers/cigna"]) {
      await page.goto(`${setup.server.url}${path}`);
      await page.getByLabel("Verified reports only").check();
      await Promise.all([page.waitForURL(/verified=true/), page.click(".verified-form button[type='submit']")]);
      expect(await page.textContent(".context-line:not(nav)")).toMatch(/verified reports only/);
      await expectAccessible(page);
    }
    await context.close();
  });
});
