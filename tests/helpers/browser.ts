// Debian's Chromium driven by playwright-core; never a downloaded browser.
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, headless: true });
}

export type ContextOptions = { javaScript?: boolean; width?: number; height?: number };

/** A context that records every request that leaves localhost, so tests can assert there are none. */
export async function newContext(browser: Browser, options: ContextOptions = {}): Promise<{ context: BrowserContext; foreignRequests: string[] }> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  });
  const foreignRequests: string[] = [];
  context.on("request", (request) => {
    const url = new URL(request.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && url.protocol !== "data:" && url.protocol !== "about:") {
      foreignRequests.push(request.url());
    }
  });
  return { context, foreignRequests };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/**
 * Runs axe-core in the page (injected through the DevTools protocol, so CSP does not block it).
 * The page's context must have JavaScript enabled: axe waits on timers, which never fire otherwise.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    // Off by default in axe 4.14; a nested complementary landmark confuses screen-reader navigation (issue 13).
    const result = await axe.run(document, { resultTypes: ["violations"], rules: { "landmark-complementary-is-top-level": { enabled: true } } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

export const SCREENSHOT_DIR = "test-results/screenshots";
