// A newsroom embeds a Ratecard chart: /embed/chart loads in an iframe on another site, draws the
// chart with its table, names the source and snapshot, and sets no cookie; other pages refuse to be framed.
import { createServer, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, axeViolations, launchBrowser, newContext } from "../helpers/browser.ts";
import { freePort, startServer, type RunningServer } from "../helpers/server.ts";

let server: RunningServer;
let browser: Browser;
let newsroom: Server;
let newsroomUrl: string;

const EMBED = "/embed/chart?cpt=90837&state=OR&by=platform";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const port = await freePort();
  // "localhost" and another port: a different site from the server's 127.0.0.1.
  newsroomUrl = `http://localhost:${port}/story`;
  newsroom = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><title>A story</title></head><body>
      <h1>What therapists are paid</h1>
      <iframe id="chart" title="Ratecard chart" src="${server.url}${EMBED}" width="800" height="900"></iframe>
      <iframe id="page" title="Ratecard compare page" src="${server.url}/compare" width="800" height="300"></iframe>
    </body></html>`);
  });
  await new Promise<void>((resolve) => newsroom.listen(port, "localhost", resolve));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => newsroom?.close(resolve));
});

describe("/embed/chart", () => {
  it("may be framed by any site, sets no cookie, while other pages may not be framed", async () => {
    const embed = await fetch(`${server.url}${EMBED}`);
    expect(embed.status).toBe(200);
    expect(embed.headers.get("set-cookie")).toBeNull();
    expect(embed.headers.get("x-frame-options")).toBeNull();
    expect(embed.headers.get("content-security-policy") ?? "").not.toContain("frame-ancestors");
    for (const path of ["/", "/data", "/compare", "/methodology"]) {
      const page = await fetch(`${server.url}${path}`);
      expect(page.headers.get("x-frame-options"), path).toBe("DENY");
      expect(page.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });

  it("draws the chart and its table inside another site's iframe, with the source and snapshot", async () => {
    const { context, foreignRequests } = await newContext(browser);
    const page = await context.newPage();
    await page.goto(newsroomUrl);
    const frame = await (await page.waitForSelector("#chart")).contentFrame();
    expect(frame).not.toBeNull();
    await frame!.waitForSelector("[data-testid='embed-source']");
    expect(await frame!.textContent("[data-testid='embed-source']")).toMatch(/Source: Ratecard, snapshot 1, \d{4}-\d{2}-\d{2}\./);
    expect(await frame!.textContent("[data-testid='embed-context']")).toContain("Oregon");
    expect(await frame!.locator("table tbody tr").count()).toBeGreaterThan(3);
    // chart.js drew something on the canvas.
    await frame!.waitForFunction(() => {
      const canvas = document.querySelector("canvas");
      if (!canvas || canvas.width === 0) return false;
      const pixels = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
      return false;
    });
    // The other page refused to render in the frame.
    const blocked = await (await page.waitForSelector("#page")).contentFrame();
    expect(blocked!.url()).toMatch(/^chrome-error:/);
    expect(await page.context().cookies()).toEqual([]);
    expect(foreignRequests).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/embed-in-newsroom.png`, fullPage: true });
    await context.close();
  });

  it("has no accessibility violations", async () => {
    const { context } = await newContext(browser, { width: 600 });
    const page = await context.newPage();
    await page.goto(`${server.url}${EMBED}`);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
