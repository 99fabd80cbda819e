// /check-offer in Chromium: check a $95 platform offer and compare the true hourly pay of two offers,
// without and with JavaScript. What is typed is answered from the published snapshot and never kept.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initialHourlyValues, parseHourlyOffer, trueHourlyPay } from "../../src/lib/shared/hourly-pay.ts";
import { formatHourlyValue, hourlyVerdict } from "../../src/lib/shared/hourly-table.ts";
import { WIDTHS, chartsDrawn, expectAccessible, screenshot, setUpPages, tearDownPages, visit, type PageTestSetup } from "./pages-support.ts";

let setup: PageTestSetup;
beforeAll(async () => {
  setup = await setUpPages();
});
afterAll(() => tearDownPages(setup));

const POSITIONS = ["below_p25", "p25_to_median", "median_band", "median_to_p75", "above_p75"];

async function fillOffer(page: Page, amount: string) {
  await page.selectOption("#f-source", "platform:alma");
  await page.selectOption("#f-cpt", "90837");
  await page.selectOption("#f-state", "OR");
  await page.selectOption("#f-license", "lpc");
  await page.selectOption("#f-payer", "cigna");
  await page.fill("#f-allowed", "151.74");
  await page.fill("#f-amount", amount);
}

function reportCount(): number {
  return (setup.published.sqlite.prepare("SELECT count(*) AS n FROM reports").get() as { n: number }).n;
}

describe("/check-offer: where an offer falls", () => {
  it("checks a $95 offer from a platform with a plain form post, without JavaScript", async () => {
    const { context, page, foreignRequests } = await visit(setup.browser, { javaScript: false });
    await page.goto(`${setup.server.url}/check-offer`);
    await fillOffer(page, "95");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.click("#offer-form button[type='submit']"),
    ]);
    await page.waitForLoadState("load");
    expect(response.status()).toBe(200);
    expect(response.headers()["cache-control"]).toBe("no-store");
    // A post, not a link: the amount is not in the URL, the history or a referrer.
    expect(page.url()).not.toContain("95");

    const result = page.locator("[data-testid='offer-result']");
    expect(await result.locator("h3").first().textContent()).toMatch(/^Alma's offer of \$95 is (in|below|above)/);
    expect(POSITIONS).toContain(await page.getAttribute("[data-testid='offer-position']", "data-position"));
    expect(await result.textContent()).toMatch(/of Medicare/);
    expect(await result.textContent()).toMatch(/you would receive 63% of the \$151\.74 the insurer pays, and Alma would keep 37%/);
    expect(await page.textContent("[data-testid='payer-pays']")).toMatch(/pays Alma \$\d+ per session for 90837 \(median\)/);
    // The medians on other platforms and on own contracts in the same place.
    expect(await result.locator("table tbody tr").count()).toBeGreaterThan(5);
    expect(await result.textContent()).toContain("Own contract");
    // The hourly comparison starts from the checked offer.
    expect(await page.inputValue("#f-a-pay")).toBe("95");
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await screenshot(page, "check-offer-result", width, false);
    }
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("answers as you type with JavaScript, without leaving the page", async () => {
    const { context, page, consoleErrors, foreignRequests } = await visit(setup.browser);
    await page.goto(`${setup.server.url}/check-offer`);
    let navigations = 0;
    page.on("framenavigated", () => navigations++);
    await fillOffer(page, "95");
    await page.waitForSelector("[data-testid='offer-position']");
    expect(await page.textContent("#offer-result h3")).toMatch(/^Alma's offer of \$95/);
    expect(await chartsDrawn(page)).toBe(1);
    // Typing another amount updates the answer.
    await page.fill("#f-amount", "160");
    await page.waitForFunction(() => document.querySelector("#offer-result h3")?.textContent?.includes("$160"));
    expect(await page.getAttribute("[data-testid='offer-position']", "data-position")).toBe("above_p75");
    expect(await page.textContent("#offer-status")).toMatch(/\$160/);
    expect(navigations).toBe(0);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(150);
      await screenshot(page, "check-offer-result", width);
      await expectAccessible(page);
    }
    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("keeps what was typed and says what is wrong beside the field", async () => {
    for (const javaScript of [false, true]) {
      const { context, page } = await visit(setup.browser, { javaScript });
      await page.goto(`${setup.server.url}/check-offer`);
      await page.selectOption("#f-source", "platform:alma");
      await page.fill("#f-amount", "ninety");
      if (javaScript) {
        await page.click("#offer-form button[type='submit']");
        await page.waitForFunction(() => document.getElementById("f-amount-error")?.textContent !== "");
      } else {
        const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("#offer-form button[type='submit']")]);
        expect(response.status()).toBe(400);
        await page.waitForLoadState("load");
      }
      expect(await page.textContent("#f-amount-error")).toMatch(/in dollars/);
      expect(await page.getAttribute("#f-amount", "aria-invalid")).toBe("true");
      expect(await page.inputValue("#f-amount")).toBe("ninety");
      await context.close();
    }
  });

  it("never stores or logs the offer", async () => {
    const before = reportCount();
    const logBefore = setup.server.output().length;
    const { context, page } = await visit(setup.browser, { javaScript: false });
    await page.goto(`${setup.server.url}/check-offer`);
    await fillOffer(page, "97.13");
    await page.fill("#f-allowed", "143.29");
    await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("#offer-form button[type='submit']")]);
    await page.waitForLoadState("load");
    expect(await page.textContent("#offer-result")).toContain("$97.13");
    await context.close();
    expect(reportCount()).toBe(before);
    const log = setup.server.output().slice(logBefore);
    expect(log).not.toContain("97.13");
    expect(log).not.toContain("143.29");
  });
});

describe("/check-offer: true hourly pay of two offers", () => {
  const values = { ...initialHourlyValues("a", "1099", { pay: 95, monthlyFee: 125 }), ...initialHourlyValues("b", "w2", { pay: 130, unpaidMinutes: 25, sessionsPerWeek: 22 }) };
  const expected = (() => {
    const a = parseHourlyOffer(values, "a");
    const b = parseHourlyOffer(values, "b");
    if (!a.ok || !b.ok) throw new Error("bad test values");
    return { a: trueHourlyPay(a.inputs), b: trueHourlyPay(b.inputs) };
  })();

  async function fillHourly(page: Page) {
    for (const [name, value] of Object.entries(values)) {
      if (name.endsWith(".employment")) await page.check(`input[name='${name}'][value='${value}']`);
      else await page.fill(`#f-${name.replace(".", "-")}`, value);
    }
  }

  async function expectResults(page: Page) {
    expect(await page.textContent("[data-hourly='a.effectiveHourly']")).toBe(formatHourlyValue("effectiveHourly", expected.a));
    expect(await page.textContent("[data-hourly='b.effectiveHourly']")).toBe(formatHourlyValue("effectiveHourly", expected.b));
    expect(await page.textContent("[data-hourly='a.feesPerYear']")).toBe("$1,500");
    expect(await page.textContent("[data-hourly='b.extraTaxPerYear']")).toBe("$0");
    expect((await page.textContent("[data-testid='hourly-verdict']"))?.trim()).toBe(hourlyVerdict(expected.a, expected.b));
  }

  it("computes both offers on the server without JavaScript", async () => {
    const { context, page } = await visit(setup.browser, { javaScript: false, width: 390 });
    await page.goto(`${setup.server.url}/check-offer`);
    await fillHourly(page);
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("#hourly-form button[type='submit']")]);
    await page.waitForLoadState("load");
    expect(response.status()).toBe(200);
    await expectResults(page);
    await screenshot(page, "check-offer-hourly", 390, false);
    await context.close();
  });

  it("updates as you type with JavaScript", async () => {
    const { context, page, consoleErrors } = await visit(setup.browser, { width: 390 });
    await page.goto(`${setup.server.url}/check-offer`);
    let posts = 0;
    page.on("request", (request) => {
      if (request.method() === "POST") posts++;
    });
    await fillHourly(page);
    await expectResults(page);
    // A wrong value says so once the field is left, and clears when corrected.
    await page.fill("#f-b-noShowPercent", "140");
    await page.locator("#f-b-noShowPercent").blur();
    expect(await page.textContent("#f-b-noShowPercent-error")).toBe("Enter a number from 0 to 100.");
    expect(await page.textContent("[data-hourly='b.effectiveHourly']")).toBe("—");
    await page.fill("#f-b-noShowPercent", String(values["b.noShowPercent"]));
    expect(await page.textContent("#f-b-noShowPercent-error")).toBe("");
    await expectResults(page);
    expect(posts).toBe(0);
    await expectAccessible(page);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });
});
