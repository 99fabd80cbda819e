// `npm start` fails loudly, not silently, when it cannot serve.
import { spawnSync } from "node:child_process";
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

describe("npm start", () => {
  it("stops with one clear line and exit code 1 when the port is taken", () => {
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts/start.ts"), "--no-build"], {
      env: { ...process.env, DATABASE_PATH: server.dbPath, HOST: "127.0.0.1", PORT: String(server.port) },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${server.port} \\(EADDRINUSE\\)`));
  });

  it("stops with one line naming the variable when the configuration is bad", () => {
    const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts/start.ts"), "--no-build"], {
      env: { ...process.env, DATABASE_PATH: server.dbPath, RATECARD_K: "2" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/RATECARD_K/);
  });
});
