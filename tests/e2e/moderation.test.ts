// A moderator is created, signs in with password and TOTP, approves a held report, publishes a
// snapshot and finds both in the audit log; nothing under /mod works without that sign-in.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, axeViolations, newContext } from "../helpers/browser.ts";
import { serverAndBrowser } from "../helpers/e2e.ts";
import { PROJECT_ROOT } from "../helpers/server.ts";
import { openDatabase } from "../../src/lib/server/db.ts";
import { SESSION_COOKIE, createSession, markTwoFactorVerified } from "../../src/lib/write/auth/sessions.ts";

const EMAIL = "moderator@example.org";
const PASSWORD = "plum tractor quietly sings";

/** Runs `npm run moderator:create` (asynchronously: a blocked event loop stalls the browser connection). */
async function setupLink(email: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, "scripts/create-moderator.ts"), "--email", email], {
    env: { ...process.env, DATABASE_PATH: e2e.server.dbPath, HOST: "127.0.0.1", PORT: String(e2e.server.port) },
    encoding: "utf8",
  });
  return stdout.trim().split("\n").at(-1)!;
}

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

  it.each(["mod.review", "mod.publishSnapshot", "mod.savePlatform", "mod.savePayer", "mod.saveCpt", "mod.saveMedicare", "mod.changePassword", "mod.logout", "mod.enrollTotp", "mod.verifyTotp"])(
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
    const link = (await setupLink(EMAIL)).replace(/^http:\/\/127\.0\.0\.1:\d+/, e2e.server.url);
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
    await page.fill("#f-code", generateTOTP(key, 30, 6));
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
    expect(await page.locator("[data-testid=recovery-codes] li").count()).toBe(8);

    await page.goto(`${e2e.server.url}/mod/queue`);
    expect(await page.locator("section.held").count()).toBe(1);
    expect(await page.textContent("section.held")).toMatch(/above 400% of Medicare/);
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

    await page.goto(`${e2e.server.url}/mod/audit`);
    const audit = (await page.textContent("[data-testid=audit]")) ?? "";
    for (const action of ["moderator.created", "password.set", "totp.enrolled", "sign_in", "report.approved", "snapshot.published", "platform.updated"]) {
      expect(audit).toContain(action);
    }
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-audit-390.png`, fullPage: true });

    // The same moderator is also signed in on another device.
    const connection = openDatabase(e2e.server.dbPath);
    const { id: moderatorId } = connection.sqlite.prepare("SELECT id FROM moderators").get() as { id: string };
    const other = createSession(connection.db, moderatorId);
    markTwoFactorVerified(connection.db, other.session.id);
    connection.sqlite.close();
    const otherDevice = () => fetch(`${e2e.server.url}/mod/queue`, { headers: { cookie: `${SESSION_COOKIE}=${other.token}` }, redirect: "manual" });
    expect((await otherDevice()).status).toBe(200);

    // Signing out ends every session (decision 0002): the queue redirects again, here and on the other device.
    await Promise.all([page.waitForLoadState("load"), page.click("text=Sign out")]);
    expect(await page.textContent("main")).toContain("You are signed out");
    await page.goto(`${e2e.server.url}/mod/queue`);
    expect(page.url()).toMatch(/\/mod\/login$/);
    const afterSignOut = await otherDevice();
    expect(afterSignOut.status).toBe(302);
    expect(afterSignOut.headers.get("location")).toBe("/mod/login");
    expect(foreignRequests).toEqual([]);
    await context.close();
  });
});
