// Issue 13, items 12, 14, 16–23: what the outer server and the pages do at their edges, through
// the real server (`node scripts/start.ts`): body size, slow clients, unknown pages, the image
// endpoint, receipts in bodies, absolute URLs, private files.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DRAIN_BODY_BYTES, MAX_BODY_BYTES, SERVER_TIMEOUTS } from "../../src/lib/server/http-limits.ts";
import { expectError, jsonOf, raw } from "../api/support/http.ts";
import { PROJECT_ROOT, startServer, type RunningServer } from "../helpers/server.ts";
import { validReport } from "./support.ts";

const PUBLIC_ORIGIN = "https://ratecard.example";
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { RATECARD_PUBLIC_ORIGIN: PUBLIC_ORIGIN } });
});
afterAll(async () => {
  await server?.stop();
});

/** A request whose body is sent in chunks (Transfer-Encoding: chunked, no Content-Length). */
function chunked(path: string, chunks: Buffer[], headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(url, { method: "POST", headers, agent: false }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString("utf8") }));
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const formHeaders = { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" };

describe("request bodies (item 18)", () => {
  it("answers 413 in the error shape above 64 KiB from Content-Length, on a page and on the API, before Astro reads it", async () => {
    const body = "amount=" + "9".repeat(MAX_BODY_BYTES);
    for (const path of ["/check-offer", "/api/v1/reports", "/share?_action=share"]) {
      const answer = await raw(server.url, "POST", path, { headers: path.startsWith("/api") ? { "content-type": "application/json" } : formHeaders, body });
      expectError(answer, 413);
      expect(answer.headers["cache-control"]).toBe("no-store");
    }
  });

  it("counts a chunked body and answers 413 once it passes 64 KiB", async () => {
    const answer = await chunked("/check-offer", Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, 97)), formHeaders);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.text)).toMatchObject({ ok: false, status: 413 });
  });

  it("hands a small chunked body to the route whole", async () => {
    const json = Buffer.from(JSON.stringify(validReport()));
    const answer = await chunked("/api/v1/reports", [json.subarray(0, 40), json.subarray(40)], { "content-type": "application/json" });
    expect(answer.status, answer.text).toBe(201);
  });

  it("answers a declared body above the drain limit at once, without reading it", async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1", () => {
        socket.write(`POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${DRAIN_BODY_BYTES * 10}\r\n\r\n`);
      });
      let text = "";
      socket.setEncoding("utf8").on("data", (data: string) => (text += data));
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });

  it("still serves after refusing bodies", async () => {
    expect((await raw(server.url, "GET", "/api/v1/snapshots.json")).status).toBe(200);
  });
});

describe("slow clients (item 19)", () => {
  it("uses a 10 s header timeout, a 30 s request timeout, checked every second, and bounds connections", () => {
    expect(SERVER_TIMEOUTS).toMatchObject({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 });
    expect(SERVER_TIMEOUTS.maxConnections).toBeGreaterThan(0);
  });

  it("closes a connection whose headers never finish, within about 11 s", { timeout: 20_000 }, async () => {
    const started = Date.now();
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\n"));
      let received = "";
      socket.setEncoding("utf8").on("data", (data: string) => (received += data));
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`slow headers: closed after ${seconds.toFixed(1)} s (${text.split("\r\n")[0] || "no answer"})`);
    expect(seconds).toBeGreaterThanOrEqual(9);
    expect(seconds).toBeLessThan(13);
  });
});

describe("unknown pages and the image endpoint (items 22, 23)", () => {
  it.each(["/no-such-page", "/platforms/no/such/thing", "/_image?href=" + "x".repeat(300), "/_image"])("%s is a 404 page with the site's layout and its strict CSP in the header", async (path) => {
    const answer = await raw(server.url, "GET", path);
    expect(answer.status, answer.text.slice(0, 200)).toBe(404);
    expect(String(answer.headers["content-type"])).toMatch(/^text\/html/);
    expect(answer.text).toContain('class="site-header"');
    expect(answer.text).toContain('aria-label="Main"');
    expect(answer.text).toContain("Page not found");
    const csp = [answer.headers["content-security-policy"]].flat().join("; ");
    expect(csp).toMatch(/(script-src|default-src) /);
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});

describe("receipts in bodies (item 12) and storage failures (item 22)", () => {
  it("views and deletes a report with the receipt in a POST body; the old routes keep working", async () => {
    const submit = async () => jsonOf<{ receipt: string }>(await raw(server.url, "POST", "/api/v1/reports", { headers: { "content-type": "application/json" }, body: JSON.stringify(validReport()) })).receipt;
    const receipt = await submit();
    const json = { "content-type": "application/json" };
    const viewed = await raw(server.url, "POST", "/api/v1/reports/lookup", { headers: json, body: JSON.stringify({ receipt }) });
    expect(viewed.status, viewed.text).toBe(200);
    expect(viewed.headers["cache-control"]).toBe("private, no-store");
    expect(jsonOf<{ report: { rates: { paid: number }[] } }>(viewed).report.rates[0]!.paid).toBe(95);
    expect((await raw(server.url, "GET", `/api/v1/reports/${receipt}`)).status).toBe(200);
    expectError(await raw(server.url, "POST", "/api/v1/reports/lookup", { headers: json, body: JSON.stringify({ receipt: "nope" }) }), 400);
    expectError(await raw(server.url, "POST", "/api/v1/reports/lookup", { headers: json, body: JSON.stringify({}) }), 400);
    expectError(await raw(server.url, "POST", "/api/v1/reports/lookup", { headers: { "content-type": "text/plain" }, body: receipt }), 415);
    expectError(await raw(server.url, "GET", "/api/v1/reports/lookup"), 405);
    const deleted = await raw(server.url, "POST", "/api/v1/reports/delete", { headers: json, body: JSON.stringify({ receipt }) });
    expect(jsonOf(deleted)).toEqual({ ok: true, deleted: true });
    expectError(await raw(server.url, "POST", "/api/v1/reports/lookup", { headers: json, body: JSON.stringify({ receipt }) }), 404);
    const other = await submit();
    expect((await raw(server.url, "DELETE", `/api/v1/reports/${other}`)).status).toBe(200);
  });
});

describe("what is published of a snapshot (items 14, 16)", () => {
  it("gives its creation day, not its time, and reports_used by rule Count bands", async () => {
    const body = jsonOf<{ rows: { created_at: string; reports_used: number | null; reports_used_band: string }[] }>(await raw(server.url, "GET", "/api/v1/snapshots.json"));
    expect(body.rows[0]!.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
    expect(body.rows[0]).toMatchObject({ reports_used: 2000, reports_used_band: "50+" });
  });
});

describe("/share (item 17)", () => {
  it("answers no-store always: an answer with errors echoes what was posted", async () => {
    expect((await raw(server.url, "GET", "/share")).headers["cache-control"]).toBe("no-store");
    const failed = await raw(server.url, "POST", "/share?_action=share", { headers: formHeaders, body: "state=OR&rates.0.paid=123.45" });
    expect(failed.status).toBe(400);
    expect(failed.headers["cache-control"]).toBe("no-store");
  });
});

describe("absolute URLs (item 21)", () => {
  it("come from RATECARD_PUBLIC_ORIGIN, never from the Host header", async () => {
    for (const path of ["/data", "/embed/chart?cpt=90837"]) {
      const answer = await raw(server.url, "GET", path, { headers: { host: "evil.example" } });
      expect(answer.status, path).toBe(200);
      expect(answer.text, path).toContain(PUBLIC_ORIGIN);
      expect(answer.text, path).not.toContain("evil.example");
    }
  });
});

describe("files (item 20)", () => {
  it("keeps the data folder private: files 0600, folders 0700, snapshot folders too", () => {
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(server.dataDir)).toBe(0o700);
    expect(mode(server.dbPath)).toBe(0o600);
    expect(mode(`${server.dbPath}.snapshots`)).toBe(0o700);
    expect(mode(join(`${server.dbPath}.snapshots`, "snapshot-1.snapshot"))).toBe(0o600);
    expect(mode(join(server.dataDir, "secret"))).toBe(0o600);
  });

  it("refuses to start when the secret file is readable by others", () => {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-open-secret-"));
    try {
      writeFileSync(join(dir, "secret"), "s".repeat(40));
      chmodSync(join(dir, "secret"), 0o644);
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("RATECARD_")));
      const result = spawnSync(process.execPath, [join(PROJECT_ROOT, "scripts/start.ts"), "--no-build"], {
        env: { ...env, DATABASE_PATH: join(dir, "ratecard.db"), HOST: "127.0.0.1", PORT: "1" },
        encoding: "utf8",
        timeout: 30_000,
      });
      expect(result.status).toBe(78);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/secret file .* readable by other users/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
