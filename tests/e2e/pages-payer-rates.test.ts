// Insurer-published rates on the pages (issue 11), in Chromium, axe clean: platform and payer
// profiles, /compare's column, /check-offer's share of the published rate, /data and /methodology.
// Axe needs JavaScript in the page, so these visits run with it (the tables are server-rendered either way).
// The server runs on crowd reports (not demo), so the take on the published basis is shown.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishedTakeOf } from "../../src/lib/read/payer-rates.ts";
import { findCells, type Snapshot } from "../../src/lib/read/published.ts";
import { formatTake } from "../../src/lib/read/cell-display.ts";
import { reportSubmissionSchema } from "../../src/lib/schemas/report.ts";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { insertTicFile } from "../factories.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { moderatorSetupLink } from "../helpers/moderator-session.ts";
import { startServer, type RunningServer } from "../helpers/server.ts";
import { expectAccessible, screenshot, tableRows, visit } from "./pages-support.ts";

let dir: string;
let server: RunningServer;
let browser: Browser;
let connection: Connection;
let snapshot: Snapshot;
let expectedTake: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-payer-pages-"));
  const dbPath = join(dir, "ratecard.db");
  connection = openDatabase(dbPath);
  migrateDatabase(connection);
  prepareDatabase(connection, { demo: false, k: 5 });
  for (let i = 0; i < 12; i++) {
    submitReport(connection, reportSubmissionSchema.parse({
      state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma", employment: "1099",
      rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2026, paid: 92 + 2 * i }],
    }));
  }
  await insertTicFile(connection, { payer: "cigna", sourceFile: "cigna-in-network-2026-11.json.gz", lastUpdatedOn: "2026-11-01" }, [
    { tin: "111111111", cpt: "90837", negotiatedRate: 151.74, serviceCodes: "02;10" },
    { tin: "222222222", cpt: "90837", negotiatedRate: 142.8 },
  ], [{ tin: "111111111", platform: "alma", state: "OR" }, { tin: "222222222", platform: "headway", state: null }]);
  snapshot = buildSnapshot(connection, { k: 5, trigger: "script" });
  const [cell] = findCells(connection.db, snapshot.id, {
    cpt: "90837", geoLevel: "state", geo: "OR", channel: "platform", platform: "alma", payer: "cigna", licenseLevel: "all", modality: "telehealth",
  }, { limit: 1 });
  const take = publishedTakeOf(connection.db, snapshot)(cell!);
  expectedTake = formatTake({ takeP50: take.takePublishedP50, takeLow: take.takePublishedLow, takeHigh: take.takePublishedHigh })!;
  [server, browser] = await Promise.all([startServer({ dbPath, env: { RATECARD_DEMO: "off" } }), launchBrowser()]);
});

afterAll(async () => {
  connection?.sqlite.close();
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("insurer-published rates on the pages", () => {
  it("a platform profile lists each insurer's rate with its file and date, beside reported pay and the take on both bases", async () => {
    expect(snapshot.isDemo).toBe(false);
    expect(expectedTake).toMatch(/^about \d+% \(\d+% to \d+%\)$/);
    const { context, page, foreignRequests } = await visit(browser);
    await page.goto(`${server.url}/platforms/alma`);
    const rows = await tableRows(page, "[data-testid='insurer-rates']");
    expect(rows).toHaveLength(1);
    const [payer, cpt, where, sessions, rate, reported, crowdTake, publishedTake, source] = rows[0]!;
    expect([payer, cpt, where, sessions, rate]).toEqual(["Cigna", "90837", "Oregon", "Telehealth", "$151.74"]);
    expect(reported).toMatch(/^\$\d+(–\$\d+)?$/);
    expect(crowdTake).toBe("—");
    expect(publishedTake).toBe(expectedTake);
    expect(source).toBe("cigna-in-network-2026-11.json.gz, updated November 1, 2026");
    await expectAccessible(page);
    await screenshot(page, "platform-alma-insurer-rates", 1280);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("a payer profile lists the rates it publishes for each platform", async () => {
    const { context, page } = await visit(browser);
    await page.goto(`${server.url}/payers/cigna`);
    const rows = await tableRows(page, "[data-testid='insurer-rates']");
    expect(rows.map((row) => [row[0], row[2], row[4]])).toEqual([["Alma", "Oregon", "$151.74"], ["Headway", "Any state", "$142.80"]]);
    expect(rows[1]![5]).toMatch(/^Not published: fewer than 5 reports in the nation/);
    await expectAccessible(page);
    await screenshot(page, "payer-cigna-insurer-rates", 1280);
    await context.close();
  });

  it("/compare has a column of what each insurer's file says it pays the platform, exact to the cent", async () => {
    const { context, page } = await visit(browser);
    await page.goto(`${server.url}/compare?cpt=90837&state=OR&modality=telehealth`);
    const headers = await page.$$eval("[data-testid='chart-platforms'] table thead th", (cells) => cells.map((c) => c.textContent?.trim()));
    expect(headers.at(-1)).toBe("The insurer's file says it pays the platform");
    const rows = await tableRows(page, "[data-testid='chart-platforms'] table");
    const alma = rows.find((row) => row[0] === "Alma");
    expect(alma?.at(-1)).toBe("Cigna $151.74");
    await expectAccessible(page);
    await screenshot(page, "compare-insurer-file", 1280);
    await context.close();
  });

  it("/check-offer gives a platform offer with a payer as a share of the published rate", async () => {
    const { context, page } = await visit(browser);
    await page.goto(`${server.url}/check-offer`);
    await page.selectOption("#f-source", "platform:alma");
    await page.selectOption("#f-cpt", "90837");
    await page.selectOption("#f-state", "OR");
    await page.selectOption("#f-modality", "telehealth");
    await page.selectOption("#f-payer", "cigna");
    await page.fill("#f-amount", "95");
    await page.click("#offer-form button[type='submit']");
    await page.waitForSelector("[data-testid='published-rate']");
    const text = (await page.textContent("[data-testid='published-rate']"))!.replace(/\s+/g, " ");
    expect(text).toContain("Cigna's own file says it pays Alma $151.74 for a 90837: you would receive 63% of what Cigna pays Alma.");
    expect(text).toContain("cigna-in-network-2026-11.json.gz");
    await expectAccessible(page);
    await screenshot(page, "check-offer-insurer-rate", 1280);
    await context.close();
  });

  it("/data lists each payer's latest file, and /methodology explains the files and their limits", async () => {
    const { context, page } = await visit(browser);
    await page.goto(`${server.url}/data`);
    const files = await tableRows(page, "[data-testid='insurer-files']");
    expect(files).toEqual([["Cigna", "cigna-in-network-2026-11.json.gz", "November 1, 2026", "Cigna Health Life Insurance Company", "2"]]);
    expect(await page.getAttribute(`a[href='/api/v1/snapshots/${snapshot.id}/payer-rates.csv']`, "href")).toBeTruthy();
    await expectAccessible(page);
    await screenshot(page, "data-insurer-files", 1280);
    await page.goto(`${server.url}/methodology`);
    expect(await page.textContent("#insurer-files")).toBe("Insurer files");
    const text = (await page.textContent("article"))!;
    expect(text).toMatch(/A negotiated rate is not always what is paid/);
    expect(text).toMatch(/Files lag/);
    expect(text).toMatch(/Percentage contracts are not dollars/);
    await expectAccessible(page);
    await context.close();
  });

  it("a reader reports a wrong TIN mapping from /data: field errors first, then thanks, stored for moderators with the month only", async () => {
    const { context, page, foreignRequests } = await visit(browser);
    await page.goto(`${server.url}/data#wrong-mapping`);
    expect(await page.textContent("label[for='f-tin']")).toContain("The platform's or group's TIN");
    expect(await page.textContent("#wrong-mapping + p")).toMatch(/never your own.*Social Security number/);
    await page.fill("#f-tin", "12-34x");
    await page.fill("#f-message", "wrong");
    const [bad] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("#tin-report-form button[type='submit']")]);
    expect(bad.status()).toBe(400);
    await page.waitForLoadState("load");
    expect(await page.textContent("#f-tin-error")).toMatch(/9 digits/);
    expect(await page.textContent("#f-message-error")).toMatch(/what is wrong/);
    await expectAccessible(page);
    await page.fill("#f-tin", "22-2222222");
    await page.selectOption("#f-platform", "grow-therapy");
    await page.fill("#f-message", "This TIN is Grow Therapy's, according to its Oregon contract.");
    const [good] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("#tin-report-form button[type='submit']")]);
    expect(good.status()).toBe(200);
    await page.waitForSelector("[data-testid='tin-report-sent']");
    await expectAccessible(page);
    await screenshot(page, "data-tin-report-sent", 1280);
    expect(connection.sqlite.prepare("SELECT tin, platform, message, month, status FROM tin_mapping_reports").all()).toEqual([
      { tin: "222222222", platform: "grow-therapy", message: "This TIN is Grow Therapy's, according to its Oregon contract.", month: new Date().toISOString().slice(0, 7), status: "open" },
    ]);
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("refuses to resolve a reported mapping without a moderator session", async () => {
    const response = await fetch(`${server.url}/mod/reference?_action=mod.resolveTinReport`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url }, body: "id=x", redirect: "manual",
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ ok: false, status: 401 });
  });

  it("a moderator sees the reader's report at /mod/reference and resolves it, audited", { timeout: 90_000 }, async () => {
    const link = await moderatorSetupLink(server, "mod@example.org");
    const { context, page } = await visit(browser);
    page.setDefaultTimeout(15_000);
    const password = "plum tractor quietly sings";
    await page.goto(link);
    await page.fill("#f-password", password);
    await page.fill("#f-confirm", password);
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);
    await page.goto(`${server.url}/mod/login`);
    await page.fill("#f-email", "mod@example.org");
    await page.fill("#f-password", password);
    await Promise.all([page.waitForURL(/\/mod\/2fa\/setup/), page.click("button[type=submit]")]);
    const key = decodeBase32IgnorePadding(((await page.textContent("[data-testid=totp-key]")) ?? "").replace(/\s/g, ""));
    await page.fill("#f-code", generateTOTP(key, 30, 6));
    await Promise.all([page.waitForLoadState("load"), page.click("button[type=submit]")]);

    await page.goto(`${server.url}/mod/reference#tin-reports`);
    const rows = await tableRows(page, "[data-testid='tin-reports']");
    expect(rows).toEqual([["222222222", "grow-therapy", "This TIN is Grow Therapy's, according to its Oregon contract.", expect.stringMatching(/^[A-Z][a-z]+ \d{4}$/), "Resolve and erase"]]);
    await expectAccessible(page);
    await screenshot(page, "mod-reference-tin-reports", 1280);
    await Promise.all([page.waitForLoadState("load"), page.click("[data-testid='tin-reports'] button")]);
    expect(await page.textContent("[role=status]")).toMatch(/resolved and erased/);
    expect(await page.textContent("[data-testid='tin-reports']")).toBe("No open reports from readers.");
    expect(connection.sqlite.prepare("SELECT action FROM audit_log WHERE action = 'tin_report.resolved'").all()).toHaveLength(1);
    expect(connection.sqlite.prepare("SELECT count(*) AS n FROM tin_mapping_reports").get()).toEqual({ n: 0 });
    await context.close();
  });
});
