// The whole Privacy Pass flow in Chromium (issue 12): a therapist asks at /verify, a moderator
// approves at /mod/verifications, the browser fetches blind tokens, /share spends one, and
// /receipt shows the report as verified. No page makes a third-party request.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, axeViolations, newContext } from "../helpers/browser.ts";
import { serverAndBrowser } from "../helpers/e2e.ts";
import { moderatorSetupLink } from "../helpers/moderator-session.ts";

const EMAIL = "verifier@example.org";
const PASSWORD = "violet harbour slowly hums";

const e2e = serverAndBrowser();

async function signedInModerator(context: BrowserContext): Promise<Page> {
  const link = await moderatorSetupLink(e2e.server, EMAIL);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(link);
  await page.fill("#f-password", PASSWORD);
  await page.fill("#f-confirm", PASSWORD);
  await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
  await page.goto(`${e2e.server.url}/mod/login`);
  await page.fill("#f-email", EMAIL);
  await page.fill("#f-password", PASSWORD);
  await Promise.all([page.waitForURL(/\/mod\/2fa\/setup/), page.click("button[type=submit]")]);
  const key = decodeBase32IgnorePadding(((await page.textContent("[data-testid=totp-key]")) ?? "").replace(/\s/g, ""));
  await page.fill("#f-code", generateTOTP(key, 30, 6));
  await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
  return page;
}

describe("verified reports, in Chromium", () => {
  it("asks, is approved, fetches tokens, shares a verified report and sees it on /receipt", { timeout: 180_000 }, async () => {
    const therapist = await newContext(e2e.browser);
    const page = await therapist.context.newPage();
    page.setDefaultTimeout(30_000);

    await page.goto(`${e2e.server.url}/verify`);
    expect(await page.textContent("[data-testid=tokens-expire]")).toMatch(/March 31, \d{4}/);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/verify-1280.png`, fullPage: true });
    await page.selectOption("#f-state", "CA");
    await page.fill("#f-license_number", "LMFT 98765");
    await page.fill("#f-license_name", "Robin Example");
    await Promise.all([page.waitForLoadState("load"), page.click("button:has-text('Ask to be verified')")]);
    const code = ((await page.textContent("#request-code")) ?? "").trim();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page.url()).not.toContain(code);
    expect(await axeViolations(page)).toEqual([]);

    // Before a decision the code fetches nothing and the page says the request is waiting.
    await page.fill("#f-code", code);
    await Promise.all([page.waitForLoadState("load"), page.click("#fetch-tokens")]);
    expect(await page.textContent("[data-testid=status]")).toContain("still waiting");

    const moderator = await newContext(e2e.browser);
    const mod = await signedInModerator(moderator.context);
    await mod.goto(`${e2e.server.url}/mod/verifications`);
    const request = mod.locator("section.held");
    expect(await request.count()).toBe(1);
    expect(await request.textContent()).toContain("LMFT 98765");
    expect(await request.locator("a[href='https://search.dca.ca.gov/']").count()).toBe(1);
    expect(await request.textContent()).toContain("Do not write the person's name or license number");
    expect(await axeViolations(mod)).toEqual([]);
    await mod.screenshot({ path: `${SCREENSHOT_DIR}/mod-verifications-1280.png`, fullPage: true });
    await Promise.all([mod.waitForLoadState("load"), mod.click("button[value=approved]")]);
    expect(await mod.textContent("[role=status]")).toContain("12 tokens granted");
    expect(await mod.locator("section.held").count()).toBe(0);
    expect(await mod.textContent("main")).not.toContain("LMFT 98765");
    await mod.goto(`${e2e.server.url}/mod/audit`);
    const audit = (await mod.textContent("[data-testid=audit]")) ?? "";
    expect(audit).toContain("verification.approved");
    expect(audit).not.toMatch(/98765|Robin/);

    await page.goto(`${e2e.server.url}/verify`);
    await page.fill("#f-code", code);
    await page.click("#fetch-tokens");
    await page.waitForFunction(() => /Fetched 12 tokens\./.test(document.querySelector("#fetch-status")?.textContent ?? ""), null, { timeout: 60_000 });
    expect(await page.textContent("[data-testid=token-count]")).toMatch(/^12 tokens in this browser/);
    expect(await page.locator("[data-testid=token-count]").isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/verify-tokens-1280.png`, fullPage: true });

    // Copied out and pasted into another browser, the tokens arrive there.
    await page.click("#copy-tokens");
    const copied = await page.inputValue("#token-import");
    const other = await newContext(e2e.browser);
    const otherPage = await other.context.newPage();
    await otherPage.goto(`${e2e.server.url}/verify`);
    await otherPage.fill("#token-import", copied);
    await otherPage.click("#import-tokens");
    expect(await otherPage.textContent("[data-testid=token-count]")).toMatch(/^12 tokens in this browser/);
    await other.context.close();

    await page.goto(`${e2e.server.url}/share`);
    expect(await page.textContent("#token-notice")).toContain("will spend one of your 12 verification tokens");
    await page.locator("#token-notice").screenshot({ path: `${SCREENSHOT_DIR}/share-token-notice-1280.png` });
    await page.selectOption("#f-state", "OR");
    await page.selectOption("#f-license", "lpc");
    await page.selectOption("#f-years_licensed", "5-9");
    await page.check("input[name='channel'][value='platform']");
    await page.selectOption("#f-platform", "alma");
    await page.selectOption("#f-rates-0-cpt", "90837");
    await page.selectOption("#f-rates-0-payer", "cigna");
    await page.selectOption("#f-rates-0-year", "2025");
    await page.fill("#f-rates-0-paid", "95");
    await Promise.all([page.waitForLoadState("load"), page.click("#submit-report")]);
    const receipt = ((await page.textContent("#receipt-code")) ?? "").trim();
    expect(receipt).not.toBe("");

    await page.goto(`${e2e.server.url}/verify`);
    expect(await page.textContent("[data-testid=token-count]")).toMatch(/^11 tokens in this browser/);

    await page.goto(`${e2e.server.url}/receipt`);
    await page.fill("#f-receipt", receipt);
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
    expect(await page.textContent("[data-testid=verified]")).toContain("yes");
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/receipt-verified-1280.png` });

    expect(therapist.foreignRequests).toEqual([]);
    expect(moderator.foreignRequests).toEqual([]);
    await therapist.context.close();
    await moderator.context.close();
  });

  it("says without JavaScript that fetching tokens needs it, and /share still sends unverified", { timeout: 60_000 }, async () => {
    const { context } = await newContext(e2e.browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/verify`);
    expect(await page.textContent("main")).toContain("Fetching tokens needs JavaScript");
    expect(await page.locator("[data-testid=token-count]").isVisible()).toBe(false);
    await page.goto(`${e2e.server.url}/share`);
    expect(await page.locator("#token-notice").isVisible()).toBe(false);
    await context.close();
  });
});
