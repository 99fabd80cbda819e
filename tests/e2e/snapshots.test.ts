// A running server serves the newest snapshot without a restart.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, startServer, type RunningServer } from "../helpers/server.ts";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const footerSnapshot = async () => /snapshot (\d+) \(demo\)/.exec(await (await fetch(`${server.url}/`)).text())?.[1];

describe("snapshots on a fresh demo install", () => {
  it("builds a demo snapshot at first start and marks every page as demo data", async () => {
    expect(server.output()).toMatch(/Added 2000 demo reports/);
    expect(await footerSnapshot()).toBe("1");
    for (const path of ["/", "/share", "/receipt", "/methodology"]) {
      expect(await (await fetch(`${server.url}${path}`)).text()).toContain("Demo data.");
    }
  });

  it("serves a snapshot published by `npm run snapshot` without a restart", async () => {
    const out = execFileSync(process.execPath, [join(PROJECT_ROOT, "scripts/snapshot.ts")], {
      env: { ...process.env, DATABASE_PATH: server.dbPath },
      encoding: "utf8",
    });
    expect(out).toMatch(/Snapshot 2 \(demo data\)/);
    expect(await footerSnapshot()).toBe("2");
  });
});
