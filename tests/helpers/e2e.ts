// One server and one Chromium per end-to-end test file, started before its tests and stopped after.
import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { SCREENSHOT_DIR, launchBrowser } from "./browser.ts";
import { startServer, type RunningServer, type StartServerOptions } from "./server.ts";

export type E2e = { server: RunningServer; browser: Browser };

/** Registers the hooks; the returned object's fields are set once beforeAll has run. */
export function serverAndBrowser(options: StartServerOptions = {}): E2e {
  const e2e = {} as E2e;
  beforeAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    [e2e.server, e2e.browser] = await Promise.all([startServer(options), launchBrowser()]);
  });
  afterAll(async () => {
    await e2e.browser?.close();
    await e2e.server?.stop();
  });
  return e2e;
}
