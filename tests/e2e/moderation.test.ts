// A moderator is created, signs in with password and TOTP, approves a held report, publishes a
// snapshot and finds both in the audit log; nothing under /mod works without that sign-in.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP, generateTOTP } from "@oslojs/otp";
import { describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, axeViolations, newContext } from "../helpers/browser.ts";
import { serverAndBrowser } from "../helpers/e2e.ts";
import { moderatorSetupLink } from "../helpers/moderator-session.ts";

const EMAIL = "moderator@example.org";
const PASSWORD = "plum tractor quietly sings";

async function heldReport(): Promise<string> {
  const response = await fetch(`${e2e.server.url}/api/v1/reports`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      state: "OR", license: "lpc", years_licensed: "5-9", channel: "direct",
      rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", year: 2025, paid: 1900 }],
    }),
  });
  const body = (await response.json()) as { review_status: string; receipt: string };
  expect(body.review_status).toBe("pending");
  return body.receipt;
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const SAME_SITE = { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" };

/** A second moderator session outside the browser: password, then a TOTP or recovery code. */
async function signInElsewhere(code: string): Promise<{ cookie: string; status: number }> {
  const login = await fetch(`${e2e.server.url}/mod/login?_action=mod.login`, {
    method: "POST", headers: SAME_SITE, body: form({ email: EMAIL, password: PASSWORD }), redirect: "manual",
  });
  expect(login.status).toBe(303);
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const second = await fetch(`${e2e.server.url}/mod/2fa?_action=mod.verifyTotp`, {
    method: "POST", headers: { ...SAME_SITE, cookie }, body: form({ code }), redirect: "manual",
  });
  return { cookie, status: second.status };
}
const queueStatus = async (cookie: string) => (await fetch(`${e2e.server.url}/mod/queue`, { headers: { cookie }, redirect: "manual" })).status;

const e2e = serverAndBrowser();

describe("moderation without a session", () => {
  it.each(["/mod", "/mod/queue", "/mod/reference", "/mod/snapshots", "/mod/audit", "/mod/account", "/mod/2fa", "/mod/2fa/setup"])(
    "redirects %s to the sign-in page",
    async (path) => {
      const response = await fetch(`${e2e.server.url}${path}`, { redirect: "manual" });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/mod/login");
    },
  );

  it.each(["mod.review", "mod.publishSnapshot", "mod.savePlatform", "mod.savePayer", "mod.saveCpt", "mod.saveMedicare", "mod.changePassword", "mod.logout", "mod.enrollTotp", "mod.verifyTotp", "mod.showAmounts", "mod.signOutEverywhere"])(
    "answers the action %s with 401 in the error shape",
    async (action) => {
      const response = await fetch(`${e2e.server.url}/mod/queue?_action=${action}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: e2e.server.url },
        body: form({ report: "x", decision: "accepted" }),
        redirect: "manual",
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ ok: false, status: 401 });
    },
  );

  it("decides access from the action named, not the page: ?_action=mod.login opens no page", async () => {
    const response = await fetch(`${e2e.server.url}/mod/queue?_action=mod.login`, { redirect: "manual" });
    expect([302, 401]).toContain(response.status);
    expect(await response.text()).not.toContain("Review queue");
    const posted = await fetch(`${e2e.server.url}/mod/login?_action=mod.publishSnapshot`, {
      method: "POST", headers: SAME_SITE, body: "", redirect: "manual",
    });
    expect(posted.status).toBe(401);
    expect(await posted.json()).toMatchObject({ ok: false, status: 401 });
  });

  it("/methodology states that moderators decide on bands", async () => {
    const text = await (await fetch(`${e2e.server.url}/methodology`)).text();
    expect(text).toContain("Moderators decide on bands");
  });

  it("refuses a cross-origin form post to /mod", async () => {
    const response = await fetch(`${e2e.server.url}/mod/login?_action=mod.login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
      body: form({ email: EMAIL, password: PASSWORD }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ ok: false, status: 403 });
  });

  it("shows a used or forged set-up link as expired", async () => {
    const response = await fetch(`${e2e.server.url}/mod/setup?token=forged.123.abc`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("expired or was already used");
  });
});

describe("a moderator's day, in Chromium", () => {
  it("sets up the account, signs in with password and TOTP, approves a held report, publishes, and sees it audited", { timeout: 90_000 }, async () => {
    await heldReport();
    const link = await moderatorSetupLink(e2e.server, EMAIL);
    // JavaScript stays on: axe needs it (the moderation pages themselves need none).
    const { context, foreignRequests } = await newContext(e2e.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);

    await page.goto(link);
    await page.fill("#f-password", PASSWORD);
    await page.fill("#f-confirm", PASSWORD);
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
    expect(await page.textContent("main")).toContain("Your password is set");

    // The password alone does not reach the queue.
    await page.goto(`${e2e.server.url}/mod/login`);
    await page.fill("#f-email", EMAIL);
    await page.fill("#f-password", PASSWORD);
    await Promise.all([page.waitForURL(/\/mod\/2fa\/setup/), page.click("button[type=submit]")]);
    await page.goto(`${e2e.server.url}/mod/queue`);
    expect(page.url()).toMatch(/\/mod\/2fa\/setup$/);
    const queueWithoutTotp = await context.request.post(`${e2e.server.url}/mod/queue?_action=mod.review`, {
      form: { report: "x", decision: "accepted" }, headers: { origin: e2e.server.url }, maxRedirects: 0,
    });
    expect(queueWithoutTotp.status()).toBe(401);

    const key = decodeBase32IgnorePadding(((await page.textContent("[data-testid=totp-key]")) ?? "").replace(/\s/g, ""));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-2fa-setup-1280.png`, fullPage: true });
    const enrolmentCode = generateTOTP(key, 30, 6);
    await page.fill("#f-code", enrolmentCode);
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
    expect(await page.locator("[data-testid=recovery-codes] li").count()).toBe(8);
    const recoveryCodes = await page.locator("[data-testid=recovery-codes] li").allTextContents();

    // A second session elsewhere: the enrolment code cannot be replayed; the next step's code works once.
    const replay = await signInElsewhere(enrolmentCode);
    expect(replay.status).toBe(401);
    expect(await queueStatus(replay.cookie)).toBe(302);
    const nextCode = generateHOTP(key, BigInt(Math.floor(Date.now() / 30_000) + 1), 6);
    const elsewhere = await signInElsewhere(nextCode);
    expect(elsewhere.status).toBe(303);
    expect(await queueStatus(elsewhere.cookie)).toBe(200);

    await page.goto(`${e2e.server.url}/mod/queue`);
    expect(await page.locator("section.held").count()).toBe(1);
    expect(await page.textContent("section.held")).toMatch(/above 400% of Medicare/);
    // Decisions are made on bands: the exact $1,900 shows only on request, and that is audited.
    expect(await page.textContent("section.held")).toContain("$1550–$2070");
    expect(await page.textContent("section.held")).not.toMatch(/1,?900/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-queue-bands-1280.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForLoadState("load"), page.click("text=Show the exact amounts")]);
    expect(await page.textContent("section.held")).toContain("$1,900");
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-queue-1280.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForLoadState("load"), page.click("button[value=accepted]")]);
    expect(await page.textContent("[role=status]")).toContain("Report approved");
    expect(await page.locator("section.held").count()).toBe(0);

    await page.goto(`${e2e.server.url}/mod/snapshots`);
    expect(await page.textContent("[data-testid=preview]")).toContain("Cells changed");
    expect(await axeViolations(page)).toEqual([]);
    await Promise.all([page.waitForLoadState("load"), page.click("#publish")]);
    expect(await page.textContent("[role=status]")).toMatch(/Snapshot 2 published/);
    // At most once an hour (issue 13): a second publication is refused, with how long to wait.
    await page.goto(`${e2e.server.url}/mod/snapshots`);
    await Promise.all([page.waitForLoadState("load"), page.click("#publish")]);
    expect(await page.textContent("[role=alert]")).toMatch(/less than an hour ago. Publish again in 60 minutes/);

    await page.goto(`${e2e.server.url}/mod/reference`);
    expect(await axeViolations(page)).toEqual([]);
    await page.click("summary:has-text('Alma')");
    await page.fill("#alma-feeModel", "Monthly membership; keeps part of the insurer payment (moderator test).");
    await page.fill("#alma-feeModelSourceUrl", "http://not-https.example");
    await Promise.all([page.waitForLoadState("load"), page.click("button:has-text('Save Alma')")]);
    expect(await page.textContent("[role=alert]")).toMatch(/https/);
    await page.click("summary:has-text('Alma')");
    await page.fill("#alma-feeModel", "Monthly membership; keeps part of the insurer payment (moderator test).");
    await Promise.all([page.waitForLoadState("load"), page.click("button:has-text('Save Alma')")]);
    expect(await page.textContent("[role=status]")).toContain("Saved platform alma");
    const platforms = (await (await fetch(`${e2e.server.url}/api/v1/reference/platforms.json`)).text());
    expect(platforms).toContain("moderator test");

    // Issue 11: a TIN of an insurer's file mapped to a platform, with its source, then removed.
    await page.fill("#tin-tin", "12-3456789");
    await page.selectOption("#tin-platform", "alma");
    await page.selectOption("#tin-state", "OR");
    await page.fill("#tin-source", "https://example.org/alma-oregon-tin");
    await Promise.all([page.waitForLoadState("load"), page.click("button:has-text('Save TIN mapping')")]);
    expect(await page.textContent("[role=status]")).toContain("Saved TIN 123456789 (alma, OR)");
    expect(await page.textContent("#tins + p + .table-wrap")).toContain("https://example.org/alma-oregon-tin");
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-reference-tins-1280.png`, fullPage: true });
    await Promise.all([page.waitForLoadState("load"), page.click("button[aria-label='Remove TIN 123456789']")]);
    expect(await page.textContent("[role=status]")).toContain("Saved the removal of TIN 123456789");

    await page.goto(`${e2e.server.url}/mod/audit`);
    const audit = (await page.textContent("[data-testid=audit]")) ?? "";
    for (const action of ["moderator.created", "password.set", "totp.enrolled", "sign_in", "code.failed", "report.amounts_viewed", "report.approved", "snapshot.published", "platform.updated", "platform_tin.added", "platform_tin.removed"]) {
      expect(audit).toContain(action);
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-audit-390.png`, fullPage: true });

    // "Sign out everywhere" on the account page ends the other session too.
    await page.goto(`${e2e.server.url}/mod/account`);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-account-1280.png`, fullPage: true });
    await Promise.all([page.waitForLoadState("load"), page.click("#sign-out-everywhere")]);
    expect(await page.textContent("main")).toContain("You are signed out");
    expect(await queueStatus(elsewhere.cookie)).toBe(302);
    await page.goto(`${e2e.server.url}/mod/queue`);
    expect(page.url()).toMatch(/\/mod\/login$/);

    // Signed in again with recovery codes, here and elsewhere; signing out ends both (decision 0002).
    await page.fill("#f-email", EMAIL);
    await page.fill("#f-password", PASSWORD);
    await Promise.all([page.waitForURL(/\/mod\/2fa$/), page.click("button[type=submit]")]);
    await page.fill("#f-code", recoveryCodes[0]!);
    await Promise.all([page.waitForURL(/\/mod\/queue$/), page.click("button[type=submit]")]);
    const third = await signInElsewhere(recoveryCodes[1]!);
    expect(await queueStatus(third.cookie)).toBe(200);
    await Promise.all([page.waitForLoadState("load"), page.click("text=Sign out")]);
    expect(await page.textContent("main")).toContain("You are signed out");
    await page.goto(`${e2e.server.url}/mod/queue`);
    expect(page.url()).toMatch(/\/mod\/login$/);
    expect(await queueStatus(third.cookie)).toBe(302);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});

// Last in the file: it throttles this client (127.0.0.1) for the rest of the server's life.
describe("a throttled client", () => {
  it("is answered 429 with Retry-After and told to wait, with RATECARD_RATE_LIMIT=0", { timeout: 60_000 }, async () => {
    const attempt = () => fetch(`${e2e.server.url}/mod/login?_action=mod.login`, {
      method: "POST", headers: SAME_SITE, body: form({ email: "nobody@example.org", password: "wrong but long enough" }), redirect: "manual",
    });
    // 20 failures an hour per client (the one wrong code above already counted).
    let throttled = await attempt();
    let attempts = 1;
    while (throttled.status === 401 && attempts <= 21) {
      throttled = await attempt();
      attempts++;
    }
    expect(attempts).toBeGreaterThanOrEqual(19);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await throttled.text()).toMatch(/Please wait \d+ minutes/);
  });
});
