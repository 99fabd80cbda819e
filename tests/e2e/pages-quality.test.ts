// Site-wide promises, checked in Chromium: no page asks anything of another host, and the JavaScript
// each page loads stays within its budget (/compare ≤ 90 KB gzip; /share needs none).
import { mkdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setUpPages, tearDownPages, visit, type PageTestSetup } from "./pages-support.ts";

let setup: PageTestSetup;
beforeAll(async () => {
  setup = await setUpPages();
});
afterAll(() => tearDownPages(setup));

const KB = 1024;
const BUDGET_PAGES = [
  "/", "/compare", "/compare?cpt=90837&state=OR&license=lpc", "/check-offer", "/platforms", "/platforms/alma",
  "/payers", "/payers/cigna", "/share", "/receipt", "/methodology",
];

describe("every page", () => {
  it("requests nothing that is not on localhost, following every link from the home page", async () => {
    const { context, page, foreignRequests, consoleErrors } = await visit(setup.browser);
    const origin = new URL(setup.server.url).origin;
    const seen = new Set<string>();
    const queue = ["/"];
    while (queue.length > 0 && seen.size < 80) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const response = await page.goto(`${origin}${path}`);
      expect(response?.status(), path).toBeLessThan(400);
      const links = await page.$$eval("a[href]", (anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
      for (const link of links) {
        const url = new URL(link);
        // Pages only: the API, downloads and moderator pages are not pages a visitor browses to.
        if (url.origin === origin && !/^\/(api|mod|feeds)\b/.test(url.pathname) && !/\.\w+$/.test(url.pathname)) queue.push(url.pathname + url.search);
      }
    }
    expect(seen.size).toBeGreaterThan(25);
    expect([...seen]).toEqual(expect.arrayContaining(["/compare", "/check-offer", "/platforms", "/platforms/alma", "/payers", "/payers/cigna", "/share", "/methodology"]));
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it("loads no more JavaScript than its budget allows", async () => {
    const sizes: Record<string, { files: number; bytes: number; gzipBytes: number }> = {};
    for (const path of BUDGET_PAGES) {
      const { context, page } = await visit(setup.browser);
      const scripts: Promise<Buffer>[] = [];
      page.on("response", (response) => {
        if (response.request().resourceType() === "script") scripts.push(response.body());
      });
      await page.goto(`${setup.server.url}${path}`);
      await page.waitForLoadState("networkidle");
      const bodies = await Promise.all(scripts);
      sizes[path] = {
        files: bodies.length,
        bytes: bodies.reduce((sum, body) => sum + body.length, 0),
        gzipBytes: bodies.reduce((sum, body) => sum + gzipSync(body).length, 0),
      };
      await context.close();
    }
    mkdirSync("test-results", { recursive: true });
    writeFileSync("test-results/js-sizes.json", `${JSON.stringify(sizes, null, 2)}\n`);
    console.log(Object.entries(sizes).map(([path, s]) => `${path.padEnd(42)} ${String(s.files).padStart(2)} files ${(s.gzipBytes / KB).toFixed(1).padStart(6)} KB gzip (${(s.bytes / KB).toFixed(1)} KB)`).join("\n"));

    expect(sizes["/compare"]!.gzipBytes).toBeLessThanOrEqual(90 * KB);
    expect(sizes["/compare?cpt=90837&state=OR&license=lpc"]!.gzipBytes).toBeLessThanOrEqual(90 * KB);
    // Pages without a chart never load chart.js (/check-offer loads it once it has an answer to chart).
    for (const path of ["/check-offer", "/share", "/receipt", "/methodology"]) expect(sizes[path]!.gzipBytes, path).toBeLessThan(10 * KB);
  });

  it("/share needs no JavaScript: the whole form is there and posts without it", async () => {
    const { context, page } = await visit(setup.browser, { javaScript: false });
    await page.goto(`${setup.server.url}/share`);
    const form = page.locator("form#share-form");
    expect(await form.getAttribute("method")).toMatch(/post/i);
    expect(await form.getAttribute("action")).toBeTruthy();
    expect(await page.isVisible("#submit-report")).toBe(true);
    expect(await page.isVisible("#f-rates-0-paid")).toBe(true);
    await context.close();
  });
});
