// A therapist shares a rate in Chromium, with and without JavaScript, then views and deletes it.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, axeViolations, newContext } from "../helpers/browser.ts";
import { serverAndBrowser } from "../helpers/e2e.ts";


const e2e = serverAndBrowser();

async function fillReport(page: Page, paid: string) {
  await page.selectOption("#f-state", "OR");
  await page.selectOption("#f-license", "lpc");
  await page.selectOption("#f-years_licensed", "5-9");
  await page.check("input[name='channel'][value='platform']");
  await page.selectOption("#f-platform", "alma");
  await page.selectOption("#f-rates-0-cpt", "90837");
  await page.selectOption("#f-rates-0-payer", "cigna");
  await page.selectOption("#f-rates-0-year", "2025");
  await page.fill("#f-rates-0-paid", paid);
  await page.fill("#f-rates-0-allowed", "151.74");
}

async function shareAndReadReceipt(page: Page, paid: string): Promise<string> {
  await page.goto(`${e2e.server.url}/share`);
  await fillReport(page, paid);
  await Promise.all([page.waitForURL(/\/share/), page.click("#submit-report")]);
  await expect(page.locator("[data-testid='receipt']").count()).resolves.toBe(1);
  const receipt = (await page.textContent("#receipt-code"))?.trim() ?? "";
  expect(receipt).toMatch(/^([a-z2-7]{4}-){6}[a-z2-7]{2}$/);
  return receipt;
}

async function viewThenDelete(page: Page, receipt: string, paidShown: string) {
  await page.goto(`${e2e.server.url}/receipt`);
  await page.fill("#f-receipt", receipt.toUpperCase());
  await Promise.all([page.waitForLoadState("load"), page.click("button[type='submit']")]);
  await page.waitForSelector("[data-testid='report']");
  expect(await page.textContent("[data-testid='report']")).toContain(paidShown);
  await Promise.all([page.waitForLoadState("load"), page.click("#delete-report")]);
  await page.waitForSelector("[data-testid='deleted']");
  // The receipt no longer finds anything.
  await page.fill("#f-receipt", receipt);
  await Promise.all([page.waitForLoadState("load"), page.click("button[type='submit']")]);
  expect(await page.textContent("#f-receipt-error")).toContain("No report has that receipt code");
}

describe("/share and /receipt in Chromium", () => {
  it("shares, views and deletes a report without JavaScript", async () => {
    const { context, foreignRequests } = await newContext(e2e.browser, { javaScript: false });
    const page = await context.newPage();
    const receipt = await shareAndReadReceipt(page, "95");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/share-receipt-nojs-1280.png`, fullPage: true });
    await viewThenDelete(page, receipt, "$95");
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("shares, views and deletes a report with JavaScript", async () => {
    const { context, foreignRequests } = await newContext(e2e.browser, { javaScript: true });
    const page = await context.newPage();
    const receipt = await shareAndReadReceipt(page, "121.80");
    await viewThenDelete(page, receipt, "$121.8");
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("keeps the values and shows each error beside its field when the form is wrong (no JavaScript)", async () => {
    const { context } = await newContext(e2e.browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/share`);
    await page.selectOption("#f-state", "OR");
    await page.fill("#f-rates-0-paid", "ninety");
    const response = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("#submit-report")]).then(([r]) => r);
    expect(response.status()).toBe(400);
    expect(await page.inputValue("#f-rates-0-paid")).toBe("ninety");
    expect(await page.inputValue("#f-state")).toBe("OR");
    expect(await page.textContent("#f-rates-0-paid-error")).toMatch(/number of dollars/);
    expect(await page.textContent("#f-license-error")).toMatch(/license/i);
    expect(await page.getAttribute("#f-rates-0-paid", "aria-invalid")).toBe("true");
    await context.close();
  });

  it("adds and removes rate lines and checks amounts as you type (JavaScript)", async () => {
    const { context } = await newContext(e2e.browser, { javaScript: true });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/share`);
    expect(await page.isVisible("fieldset[data-line='1']")).toBe(false);
    await page.click("#add-line");
    expect(await page.isVisible("fieldset[data-line='1']")).toBe(true);
    await page.fill("#f-rates-1-paid", "12x");
    await page.locator("#f-rates-1-paid").blur();
    expect(await page.textContent("#f-rates-1-paid-error")).toMatch(/dollars/);
    await page.click("fieldset[data-line='1'] .remove-line");
    expect(await page.isVisible("fieldset[data-line='1']")).toBe(false);
    // The platform list appears only for platform pay.
    expect(await page.isVisible("#f-platform")).toBe(false);
    await page.check("input[name='channel'][value='platform']");
    expect(await page.isVisible("#f-platform")).toBe(true);
    await context.close();
  });

  for (const width of [390, 1280]) {
    it(`has no axe violations on /share and /receipt at ${width} px`, async () => {
      const { context } = await newContext(e2e.browser, { width });
      const page = await context.newPage();
      for (const path of ["/share", "/receipt"]) {
        await page.goto(`${e2e.server.url}${path}`);
        await page.screenshot({ path: `${SCREENSHOT_DIR}${path}-${width}.png`, fullPage: true });
        expect(await axeViolations(page)).toEqual([]);
      }
      await context.close();
    });
  }
});
