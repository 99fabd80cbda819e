// Issue 12 on the read API: verified rows behind `verified=true`, the same rows as before without
// it, verified_n_band on every row; and no CORS approval for writes from other sites.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../helpers/server.ts";
import { expectContract, expectError, jsonOf, raw } from "./support/http.ts";
import { parseCsvStrict } from "./support/rfc4180.ts";

type Row = Record<string, unknown>;
type Page = { ok: true; rows: Row[]; next_url: string | null; note?: string | null };

let server: RunningServer;
let doc: Parameters<typeof expectContract>[0];
const get = (path: string, headers: Record<string, string> = {}) => raw(server.url, "GET", path, { headers });

async function rowsOf(path: string): Promise<Row[]> {
  const response = await get(path);
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  expectContract(doc, "GET", path, response);
  return jsonOf<Page>(response).rows;
}

const NATIONAL = "cpt=90837&geo_level=national&channel=all&platform=all&payer=all&license=all&modality=all";

beforeAll(async () => {
  server = await startServer();
  doc = JSON.parse((await get("/api/v1/openapi.json")).text) as typeof doc;
});

afterAll(async () => {
  await server?.stop();
});

describe("verified rows on the aggregates API", () => {
  it("without the filter answers exactly the verified=false rows, as before verified rows existed", async () => {
    const plain = await rowsOf(`/api/v1/aggregates.json?cpt=90837&_size=1000`);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((row) => row.verified === false)).toBe(true);
    expect(await rowsOf(`/api/v1/aggregates.json?cpt=90837&_size=1000&verified=false`)).toEqual(plain);
  });

  it("verified=true answers rows from verified reports alone, each publishable by K and with its own count band", async () => {
    const verified = await rowsOf(`/api/v1/aggregates.json?${NATIONAL}&verified=true`);
    expect(verified.length).toBeGreaterThan(0);
    for (const row of verified) {
      expect(row.verified).toBe(true);
      expect(row.verified_n_band).toBe(row.n_band);
    }
    const all = await rowsOf(`/api/v1/aggregates.json?${NATIONAL}`);
    // the demo data has ~30% verified reports, so the verified cell has fewer reports than the cell
    const year = verified[0]!.year_window;
    const allRow = all.find((row) => row.year_window === year)!;
    expect(allRow.verified_n_band).toBe(verified[0]!.n_band);
    expect(Number(allRow.n)).toBeGreaterThan(Number(verified[0]!.n ?? 0));
  });

  it("publishes verified_n_band as null below K, never a small count", async () => {
    const rows = await rowsOf(`/api/v1/aggregates.json?geo_level=state&_size=1000`);
    const bands = new Set(rows.map((row) => row.verified_n_band));
    expect(bands.has(null)).toBe(true);
    for (const band of bands) expect(band === null || /^(5-9|10-19|20-49|50\+)$/.test(String(band))).toBe(true);
  });

  it("refuses another value of verified with a 400 in the error shape", async () => {
    const errors = expectError(await get("/api/v1/aggregates.json?verified=yes"), 400);
    expect(errors[0]!.path).toBe("verified");
  });

  it("the CSV twin has the verified and verified_n_band columns before note", async () => {
    const response = await get(`/api/v1/aggregates.csv?${NATIONAL}&verified=true`);
    expect(response.status).toBe(200);
    const [header, ...rows] = parseCsvStrict(response.text);
    expect(header!.slice(-3)).toEqual(["verified", "verified_n_band", "note"]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row[header!.indexOf("verified")]).toBe("true");
  });

  it("_fallback=1 with verified=true climbs the ladder among verified rows", async () => {
    const path = "/api/v1/aggregates.json?cpt=90837&state=WY&channel=platform&platform=alma&payer=all&license=lpc&modality=telehealth&year=2025-2026&_fallback=1&verified=true";
    const rows = await rowsOf(path);
    for (const row of rows) expect(row.verified).toBe(true);
  });
});

describe("CORS: reads open to every origin, writes to none", () => {
  it("a preflight for POST or DELETE on /api/ is not approved", async () => {
    for (const [method, path] of [["POST", "/api/v1/reports"], ["DELETE", "/api/v1/reports/abcd-efgh-ijkl-mnop-qrst-uvwx-yz"]] as const) {
      const response = await raw(server.url, "OPTIONS", path, {
        headers: { Origin: "https://planter.example", "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type" },
      });
      const methods = String(response.headers["access-control-allow-methods"] ?? "");
      expect(methods).not.toMatch(new RegExp(`\\b${method}\\b`));
      expect(String(response.headers["access-control-allow-headers"] ?? "").toLowerCase()).not.toContain("content-type");
    }
  });

  it("a preflight for GET is still approved for everyone, and GET answers carry Access-Control-Allow-Origin: *", async () => {
    const preflight = await raw(server.url, "OPTIONS", "/api/v1/aggregates.json", {
      headers: { Origin: "https://newsroom.example", "Access-Control-Request-Method": "GET" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers["access-control-allow-origin"]).toBe("*");
    expect(String(preflight.headers["access-control-allow-methods"])).toMatch(/\bGET\b/);
    expect((await get("/api/v1/aggregates.json")).headers["access-control-allow-origin"]).toBe("*");
  });

  it("a cross-site simple POST (no preflight) still gets 415, not a stored report", async () => {
    const response = await raw(server.url, "POST", "/api/v1/reports", {
      headers: { Origin: "https://planter.example", "Content-Type": "text/plain" }, body: "{}",
    });
    expectError(response, 415);
  });
});
