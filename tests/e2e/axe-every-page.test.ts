// Issue 13, item 25: axe finds nothing on any public page, in demo mode (the demo banner on every
// page) and in real mode (crowd reports only, no banner), at a phone's width and a desktop's.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations, launchBrowser, newContext } from "../helpers/browser.ts";
import { PROJECT_ROOT, startServer, type RunningServer } from "../helpers/server.ts";
import { validReport } from "../hardening/support.ts";

const PAGES = [
  "/", "/share", "/receipt", "/compare", "/compare?cpt=90834&state=OR", "/check-offer", "/check-offer?platform=alma&cpt=90837&state=OR&amount=95",
  "/platforms", "/platforms/alma", "/payers", "/payers/cigna", "/data", "/methodology", "/embed/chart?cpt=90837",
  "/no-such-page", "/mod/login",
];

let browser: Browser;
let demo: RunningServer;
let crowd: RunningServer;

/** A server with crowd reports only: RATECARD_DEMO=off, 30 accepted reports, then `npm run snapshot`. */
async function crowdServer(): Promise<RunningServer> {
  const server = await startServer({ env: { RATECARD_DEMO: "off" } });
  for (let i = 0; i < 30; i++) {
    const paid = 90 + (i % 7) * 9;
    const response = await fetch(`${server.url}/api/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(validReport({ state: i % 2 ? "OR" : "WA", rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid, allowed: paid + 50 }] })),
    });
    expect(response.status).toBe(201);
  }
  execFileSync(process.execPath, [join(PROJECT_ROOT, "scripts/snapshot.ts")], { env: { ...process.env, DATABASE_PATH: server.dbPath }, stdio: "pipe" });
  return server;
}

beforeAll(async () => {
  [browser, demo, crowd] = await Promise.all([launchBrowser(), startServer(), crowdServer()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([demo?.stop(), crowd?.stop()]);
});

describe.each([
  ["demo", () => demo],
  ["real (crowd)", () => crowd],
])("axe on every page, %s mode", (mode, server) => {
  it.each(PAGES)(`%s has no axe violations (${mode})`, async (path) => {
    const found: string[] = [];
    for (const width of [390, 1280]) {
      const { context } = await newContext(browser, { width });
      const page = await context.newPage();
      await page.goto(`${server().url}${path}`);
      const banner = await page.locator(".demo-banner").count();
      if (!path.startsWith("/embed/")) expect(banner, "the demo banner shows exactly in demo mode").toBe(mode === "demo" ? 1 : 0);
      for (const violation of await axeViolations(page)) found.push(`${width}px ${violation.id}: ${violation.help} (${violation.nodes.map((n) => n.target.join(" ")).join(", ")})`);
      await context.close();
    }
    expect(found).toEqual([]);
  });
});
