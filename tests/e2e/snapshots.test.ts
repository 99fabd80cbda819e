// A running server serves the newest snapshot without a restart.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
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
    // Asynchronously, so that the test's event loop sees the server close idle keep-alive
    // sockets meanwhile (a blocked loop would reuse a closed socket after a slow build).
    const { stdout: out } = await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, "scripts/snapshot.ts")], {
      env: { ...process.env, DATABASE_PATH: server.dbPath },
      encoding: "utf8",
    });
    expect(out).toMatch(/Snapshot 2 \(demo data\)/);
    expect(await footerSnapshot()).toBe("2");
  });
});
