// A journalist on /data in Chromium: every download link and every copy-paste curl example works,
// the citation names the snapshot, the page is accessible and makes no third-party request.
import { describe, expect, it } from "vitest";
import { SCREENSHOT_DIR, axeViolations, newContext } from "../helpers/browser.ts";
import { serverAndBrowser } from "../helpers/e2e.ts";


const e2e = serverAndBrowser();

/** The URL and headers of a curl command as printed on the page. */
function parseCurl(command: string): { url: string; headers: Record<string, string> } {
  const url = /'(http[^']+)'\s*$/.exec(command)?.[1];
  if (!url) throw new Error(`No URL in ${command}`);
  const headers = Object.fromEntries([...command.matchAll(/-H '([^:]+): ([^']*)'/g)].map((m) => [m[1]!, m[2]!]));
  return { url, headers };
}

describe("/data in Chromium", () => {
  it("shows the current snapshot, its citation, licence, methodology link and changelog", async () => {
    const { context, foreignRequests } = await newContext(e2e.browser, { javaScript: false });
    const page = await context.newPage();
    const response = await page.goto(`${e2e.server.url}/data`);
    expect(response?.status()).toBe(200);
    expect(await page.textContent("h1")).toBe("Data for journalists and researchers");
    expect(await page.textContent("[data-testid='citation']")).toMatch(/^Ratecard, snapshot 1, \d{4}-\d{2}-\d{2}$/);
    expect(await page.textContent("[data-testid='current-snapshot']")).toMatch(/snapshot 1 \(demo data/);
    expect(await page.locator("a[rel='license'][href='https://creativecommons.org/licenses/by/4.0/']").count()).toBeGreaterThan(0);
    expect(await page.locator("a[href='/methodology']").count()).toBeGreaterThan(0);
    expect(await page.locator("[data-testid='changelog'] tbody tr").count()).toBe(1);
    for (const release of ["datapackage.json", "ratecard.sqlite", "citation.bib", "citation.ris", "citation.cff"]) {
      expect(await page.locator(`a[href='/api/v1/snapshots/1/${release}']`).count(), release).toBe(1);
    }
    expect(foreignRequests).toEqual([]);
    await context.close();
  });

  it("links only to downloads that answer 200", async () => {
    const { context } = await newContext(e2e.browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/data`);
    const hrefs = await page.$$eval("main a[href^='/api/'], main a[href^='/feeds/']", (links) => links.map((a) => a.getAttribute("href")!));
    expect(hrefs.length).toBeGreaterThan(10);
    for (const href of new Set(hrefs)) {
      const answer = await fetch(`${e2e.server.url}${href}`);
      expect(answer.status, href).toBe(200);
      await answer.arrayBuffer();
    }
    await context.close();
  });

  it("gives curl examples that work as pasted", async () => {
    const { context } = await newContext(e2e.browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/data`);
    const commands = await page.$$eval("pre code", (codes) => codes.map((code) => code.textContent ?? "").filter((text) => text.startsWith("curl")));
    expect(commands.length).toBeGreaterThanOrEqual(6);
    for (const command of commands) {
      expect(command.startsWith("curl -s")).toBe(true);
      const { url, headers } = parseCurl(command);
      expect(url.startsWith(e2e.server.url), url).toBe(true);
      if (headers["If-None-Match"]) {
        const first = await fetch(url);
        const etag = first.headers.get("etag")!;
        expect((await fetch(url, { headers: { "If-None-Match": etag } })).status).toBe(304);
        continue;
      }
      const answer = await fetch(url);
      expect(answer.status, `${url}: ${(await answer.clone().text()).slice(0, 200)}`).toBe(200);
      if (url.includes(".json")) {
        const body = (await answer.json()) as { ok: boolean; rows: unknown[] };
        expect(body.ok).toBe(true);
        expect(body.rows.length, url).toBeGreaterThan(0);
      } else {
        expect((await answer.text()).split("\r\n").length, url).toBeGreaterThan(2);
      }
    }
    await context.close();
  });

  it("has no accessibility violations, at phone and desktop widths", async () => {
    for (const width of [390, 1280]) {
      const { context } = await newContext(e2e.browser, { width });
      const page = await context.newPage();
      await page.goto(`${e2e.server.url}/data`);
      expect(await axeViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, "no horizontal scrolling").toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/data-${width}.png`, fullPage: true });
      await context.close();
    }
  });

  it("gives an iframe snippet whose chart loads", async () => {
    const { context } = await newContext(e2e.browser, { javaScript: false });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/data`);
    const snippet = await page.$$eval("pre code", (codes) => codes.map((code) => code.textContent ?? "").find((text) => text.startsWith("<iframe")));
    const src = /src="([^"]+)"/.exec(snippet ?? "")?.[1];
    expect(src).toMatch(new RegExp(`^${e2e.server.url}/embed/chart\\?`));
    const answer = await fetch(src!);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("Source:");
    await context.close();
  });

  it("serves an Atom feed that a browser parses as XML", async () => {
    const { context } = await newContext(e2e.browser);
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/data`);
    const feed = await (await fetch(`${e2e.server.url}/feeds/changes.atom?cpt=90837`)).text();
    const parsed = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      return { error: doc.getElementsByTagName("parsererror").length, entries: doc.getElementsByTagName("entry").length, root: doc.documentElement.namespaceURI };
    }, feed);
    expect(parsed).toEqual({ error: 0, entries: 1, root: "http://www.w3.org/2005/Atom" });
    await context.close();
  });
});
