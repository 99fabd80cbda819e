// `npm run export` writes the read API as static files that nginx serves byte for byte as the
// server does, with the same headers and the same error shape (docs/deploy.md).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, PROJECT_ROOT, startServer, type RunningServer } from "../helpers/server.ts";
import { expectError, raw } from "./support/http.ts";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((path) => existsSync(path));

let server: RunningServer;
let out: string;
let exportOutput: string;

beforeAll(async () => {
  server = await startServer();
  out = mkdtempSync(join(tmpdir(), "ratecard-export-"));
  // nginx started as root serves files as an unprivileged worker, which must be able to read them.
  chmodSync(out, 0o755);
  exportOutput = execFileSync(process.execPath, [join(PROJECT_ROOT, "scripts/export.ts"), "--out", out, "--filters", "cpt,platform", "--listen", "127.0.0.1:1"], {
    env: { ...process.env, DATABASE_PATH: server.dbPath, HOST: "127.0.0.1", PORT: String(server.port) }, encoding: "utf8",
  });
});

afterAll(async () => {
  await server?.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

const SAMPLES = [
  "/api/v1/aggregates.json", "/api/v1/aggregates.csv", "/api/v1/aggregates.json?cpt=90837", "/api/v1/aggregates.csv?platform=alma",
  "/api/v1/snapshots.json", "/api/v1/snapshots/1/aggregates.csv", "/api/v1/reference/platforms.json", "/api/v1/openapi.json",
  "/feeds/changes.atom", "/feeds/changes.atom?cpt=90834",
  // Releases (issue 15); the export runs with the server's HOST and PORT, which name the public origin.
  "/api/v1/datapackage.json", "/api/v1/snapshots/1/datapackage.json", "/api/v1/snapshots/1/shares.csv", "/api/v1/snapshots/1/reference/cpt-codes.csv",
  "/api/v1/snapshots/1/citation.cff", "/api/v1/snapshots/1/citation.bib", "/api/v1/snapshots/1/citation.ris",
  "/api/v1/snapshots/1/ratecard.sqlite", "/api/v1/snapshots.csv", "/api/v1/shares.json", "/api/v1/shares.csv", "/api/v1/snapshots/1/shares.json",
  "/api/v1/reference/payers.csv",
  // Rows from verified reports alone (issue 12).
  "/api/v1/aggregates.json?verified=true", "/api/v1/snapshots/1/aggregates.csv?verified=true",
];

describe("npm run export", () => {
  it("puts the SQLite download with a Datasette metadata.json describing its tables in datasette/", async () => {
    const metadata = JSON.parse(readFileSync(join(out, "datasette", "metadata.json"), "utf8")) as { license_url: string; databases: { ratecard: { tables: Record<string, unknown> } } };
    expect(metadata.license_url).toBe("https://creativecommons.org/licenses/by/4.0/");
    const descriptor = JSON.parse((await raw(server.url, "GET", "/api/v1/snapshots/1/datapackage.json")).text) as { resources: { name: string }[] };
    expect(Object.keys(metadata.databases.ratecard.tables)).toEqual([...descriptor.resources.map((r) => r.name), "metadata"]);
    const download = await raw(server.url, "GET", "/api/v1/snapshots/1/ratecard.sqlite");
    expect(readFileSync(join(out, "datasette", "ratecard.sqlite")).equals(download.body)).toBe(true);
  });

  it("says what it wrote and writes the nginx configuration", () => {
    expect(exportOutput).toMatch(/^Exported snapshot 1 \(demo data\): \d+ answers/);
    const site = readFileSync(join(out, "nginx-site.conf"), "utf8");
    expect(site).toContain(`root ${join(out, "files")};`);
    expect(readFileSync(join(out, "nginx.conf"), "utf8")).toContain(`include ${join(out, "nginx-site.conf")};`);
  });

  it("writes every page a client reaches by following next_url", async () => {
    let next: string | null = "/api/v1/aggregates.json?cpt=90791";
    let pages = 0;
    while (next) {
      const file = join(out, "files", ...new URL(next, "http://x").pathname.split("/").filter(Boolean), `@${new URL(next, "http://x").search.slice(1)}`);
      expect(existsSync(file), next).toBe(true);
      next = (JSON.parse(readFileSync(file, "utf8")) as { next_url: string | null }).next_url;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
  });

  describe.skipIf(!NGINX)("served by nginx", () => {
    let nginx: ChildProcess;
    let base: string;

    beforeAll(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      // A second export listening on the free port, without an origin: what was not exported is a 404.
      execFileSync(process.execPath, [join(PROJECT_ROOT, "scripts/export.ts"), "--out", out, "--filters", "cpt,platform", "--listen", `127.0.0.1:${port}`], {
        env: { ...process.env, DATABASE_PATH: server.dbPath, HOST: "127.0.0.1", PORT: String(server.port) }, encoding: "utf8",
      });
      nginx = spawn(NGINX!, ["-c", join(out, "nginx.conf"), "-g", "daemon off;"], { stdio: "ignore" });
      for (let i = 0; i < 100; i++) {
        try {
          await fetch(`${base}/api/v1/snapshots.json`);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      throw new Error("nginx did not start");
    });

    afterAll(() => {
      nginx?.kill("SIGQUIT");
    });

    it.each(SAMPLES)("GET %s: the server's bytes and headers", async (path) => {
      const [fromServer, fromNginx] = await Promise.all([raw(server.url, "GET", path), raw(base, "GET", path)]);
      expect(fromNginx.status).toBe(200);
      expect(fromNginx.body.equals(fromServer.body)).toBe(true);
      for (const name of ["content-type", "cache-control", "access-control-allow-origin", "content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy", "content-disposition"]) {
        expect(fromNginx.headers[name], name).toBe(fromServer.headers[name]);
      }
      const etag = String(fromNginx.headers.etag);
      expect((await raw(base, "GET", path, { headers: { "If-None-Match": etag } })).status).toBe(304);
    });

    it("answers what was not exported, and other methods, in the API's error shape", async () => {
      expectError(await raw(base, "GET", "/api/v1/aggregates.json?state=OR&cpt=90837"), 404);
      expectError(await raw(base, "GET", "/nothing"), 404);
      const post = await raw(base, "POST", "/api/v1/aggregates.json", { headers: { "Content-Type": "application/json" }, body: "{}" });
      expectError(post, 405);
      expect(post.headers.allow).toBe("GET, HEAD, OPTIONS");
      const preflight = await raw(base, "OPTIONS", "/api/v1/aggregates.json", { headers: { Origin: "https://newsroom.example", "Access-Control-Request-Method": "GET" } });
      expect(preflight.status).toBe(204);
      expect(preflight.headers["access-control-allow-origin"]).toBe("*");
    });
  });
});
