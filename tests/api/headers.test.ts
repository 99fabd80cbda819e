// Security headers on every kind of response (issue: hardening).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../helpers/server.ts";

let server: RunningServer;
let proxied: RunningServer;
beforeAll(async () => {
  [server, proxied] = await Promise.all([startServer(), startServer({ env: { RATECARD_TRUST_PROXY: "1" } })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), proxied?.stop()]);
});

const PAGES = ["/", "/share", "/receipt", "/methodology", "/mod/login"];
const API = ["/api/v1/reports/aaaa-bbbb-cccc-dddd-eeee-ffff-gg", "/api/v1/nothing-here"];
const headersOf = async (path: string, init: RequestInit = {}, on = server) => (await fetch(`${on.url}${path}`, { redirect: "manual", ...init })).headers;

describe("security headers", () => {
  it.each(PAGES)("%s has a strict Content-Security-Policy: hashes, no unsafe-inline, no third-party source, no framing", async (path) => {
    const csp = (await headersOf(path)).get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(csp).not.toMatch(/https?:\/\//);
    expect(csp).toMatch(/frame-ancestors 'none'/);
  });

  it.each(API)("%s (API) has a deny-all policy", async (path) => {
    expect((await headersOf(path)).get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it.each([...PAGES, ...API])("%s sends nosniff, no-referrer, a Permissions-Policy and X-Frame-Options DENY", async (path) => {
    const headers = await headersOf(path);
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("referrer-policy")).toBe("no-referrer");
    expect(headers.get("permissions-policy")).toMatch(/camera=\(\).*geolocation=\(\)/);
    expect(headers.get("x-frame-options")).toBe("DENY");
  });

  it("sends HSTS only over HTTPS: not on plain HTTP, not for a spoofed proxy header, yes behind a trusted proxy", async () => {
    expect((await headersOf("/")).get("strict-transport-security")).toBeNull();
    expect((await headersOf("/", { headers: { "x-forwarded-proto": "https" } })).get("strict-transport-security")).toBeNull();
    expect((await headersOf("/", { headers: { "x-forwarded-proto": "https" } }, proxied)).get("strict-transport-security")).toMatch(/max-age=\d{8}/);
  });

  it("sets no cookie on public pages", async () => {
    for (const path of ["/", "/share", "/methodology", "/api/v1/reports/aaaa-bbbb-cccc-dddd-eeee-ffff-gg"]) {
      expect((await headersOf(path)).get("set-cookie")).toBeNull();
    }
  });
});
