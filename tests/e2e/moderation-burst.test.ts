// Issue 12 item 5 in Chromium: the queue's "Bursts since the last snapshot" lists a cell and its
// count band, is axe clean, and "Hold these reports for review" moves the burst into the queue.
import { describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, axeViolations, newContext } from "../helpers/browser.ts";
import { serverAndBrowser } from "../helpers/e2e.ts";
import { signedInModerator } from "../helpers/moderator-session.ts";

const e2e = serverAndBrowser();

async function submitCrowdReports(count: number) {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${e2e.server.url}/api/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        state: "WA", license: "lmft", years_licensed: "3-4", channel: "platform", platform: "headway",
        rates: [{ cpt: "90834", modality: "in_person", payer: "aetna", year: 2025, paid: 95 + i }],
      }),
    });
    expect(response.status).toBeLessThan(300);
  }
}

describe("holding a burst in the review queue", () => {
  it("lists it by cell and band, holds it, and shows the held reports to decide", { timeout: 90_000 }, async () => {
    const cookie = await signedInModerator(e2e.server, "burst-e2e@example.org", "amber kettle slowly drifts");
    await submitCrowdReports(12);
    const { context } = await newContext(e2e.browser);
    const [name, value] = [cookie.slice(0, cookie.indexOf("=")), cookie.slice(cookie.indexOf("=") + 1)];
    await context.addCookies([{ name, value, url: `${e2e.server.url}/mod` }]);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);

    await page.goto(`${e2e.server.url}/mod/queue`);
    const row = page.locator("tr[data-burst='90834|WA|platform|headway|aetna']");
    expect(await row.textContent()).toContain("10–19");
    expect(await page.locator("section.held").count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-queue-bursts-1280.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    await Promise.all([page.waitForLoadState("load"), row.locator("button", { hasText: "Hold these reports for review" }).click()]);
    expect(await page.textContent("[role=status]")).toContain("Held 10–19 reports for review");
    expect(await page.locator("tr[data-burst]").count()).toBe(0);
    expect(await page.locator("section.held").count()).toBe(12);
    expect(await axeViolations(page)).toEqual([]);

    await Promise.all([page.waitForLoadState("load"), page.locator("section.held").first().locator("button[value=rejected]").click()]);
    expect(await page.textContent("[role=status]")).toContain("Report rejected");
    expect(await page.locator("section.held").count()).toBe(11);
    await context.close();
  });
});
