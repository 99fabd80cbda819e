// Issue 12 on the moderator's side: the queue never says whether a report is verified, and
// /mod/snapshots shows per cell its verified count only as a band (nothing below K), and only of
// the latest published snapshot, never of the live draft.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reports } from "../../db/schema.ts";
import { receiptHash } from "../../src/lib/write/receipts.ts";
import { openDatabase } from "../../src/lib/server/db.ts";
import { SCREENSHOT_DIR, axeViolations, newContext } from "../helpers/browser.ts";
import { serverAndBrowser } from "../helpers/e2e.ts";
import { moderatorSetupLink } from "../helpers/moderator-session.ts";

const EMAIL = "verified-moderator@example.org";
const PASSWORD = "copper lantern gently hums";
const e2e = serverAndBrowser();

/** A held report (pay far above Medicare), marked verified as a redeemed token would mark it. */
async function heldVerifiedReport(): Promise<void> {
  const response = await fetch(`${e2e.server.url}/api/v1/reports`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      state: "OR", license: "lpc", years_licensed: "5-9", channel: "direct",
      rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", year: 2025, paid: 1900 }],
    }),
  });
  const { receipt, review_status } = (await response.json()) as { receipt: string; review_status: string };
  expect(review_status).toBe("pending");
  const connection = openDatabase(e2e.server.dbPath);
  try {
    connection.db.update(reports).set({ verified: true }).where(eq(reports.receiptHash, receiptHash(receipt))).run();
  } finally {
    connection.sqlite.close();
  }
}

describe("verified reports on the moderator's pages", () => {
  it("the queue never shows whether a report is verified; /mod/snapshots shows published verified counts as bands", { timeout: 120_000 }, async () => {
    await heldVerifiedReport();
    const link = await moderatorSetupLink(e2e.server, EMAIL);
    const { context } = await newContext(e2e.browser);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
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

    await page.goto(`${e2e.server.url}/mod/queue`);
    expect(await page.locator("section.held").count()).toBe(1);
    expect(await page.innerHTML("section.held")).not.toMatch(/verif|token/i);

    const tableRows = async () => {
      await page.goto(`${e2e.server.url}/mod/snapshots?cpt=90837`);
      return page.$$eval("[data-testid=verified-cells] tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")));
    };
    const rows = await tableRows();
    expect(rows.length).toBeGreaterThan(10);
    const verifiedBands = new Set(rows.map((row) => row[2]));
    for (const band of verifiedBands) expect(band).toMatch(/^(fewer than 5|5-9|10-19|20-49|50\+)$/);
    expect(verifiedBands.has("fewer than 5")).toBe(true);
    expect([...verifiedBands].some((band) => band !== "fewer than 5")).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/mod-snapshots-verified-1280.png`, fullPage: true });

    // Every demo report becomes verified, unpublished: the draft would change, the table must not.
    const connection = openDatabase(e2e.server.dbPath);
    try {
      connection.db.update(reports).set({ verified: true }).run();
    } finally {
      connection.sqlite.close();
    }
    expect(await tableRows()).toEqual(rows);
    await context.close();
  });
});
