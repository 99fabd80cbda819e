// Contract tests for the read API against the real server (DESIGN.md "API", "Contract details",
// "Filters"; docs/api.md): every route, checked against the OpenAPI document it serves.
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BAND_EDGES } from "../../src/lib/rules/bands.ts";
import { PUBLISHED_COLUMNS, REFERENCE_TABLES } from "../../src/lib/schemas/api.ts";
import { PROJECT_ROOT, startServer, type RunningServer } from "../helpers/server.ts";
import { expectContract, expectError, jsonOf, raw, STACK_FRAME, type RawResponse } from "./support/http.ts";
import { parseCsvStrict } from "./support/rfc4180.ts";

type Row = Record<string, unknown>;
type Page = { ok: true; snapshot: number; rows: Row[]; next: string | null; next_url: string | null; columns?: string[]; note?: string | null };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON documents, walked by key
type Doc = Record<string, any>;

let server: RunningServer;
let doc: Doc;

const get = (path: string, headers: Record<string, string> = {}) => raw(server.url, "GET", path, { headers });

/** GET, check the answer against the OpenAPI document, and return it. */
async function checked(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const response = await get(path, headers);
  expect(response.text, "no stack trace in a body").not.toMatch(STACK_FRAME);
  expectContract(doc, "GET", path, response);
  return response;
}

async function page(path: string): Promise<Page> {
  const response = await checked(path);
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  return jsonOf<Page>(response);
}

/** Every row of a query, following next_url to the end. */
async function allPages(path: string): Promise<{ rows: Row[]; pages: number }> {
  const rows: Row[] = [];
  let next: string | null = path;
  let pages = 0;
  while (next) {
    const body: Page = await page(next);
    rows.push(...body.rows);
    next = body.next_url;
    pages++;
    expect(pages).toBeLessThan(200);
  }
  return { rows, pages };
}

const FALLBACK_WY = "cpt=90837&state=WY&channel=platform&platform=alma&payer=all&license=lpc&modality=telehealth&year=2025-2026";
const NATIONAL_ALL = "cpt=90837&geo_level=national&channel=all&platform=all&payer=all&license=all&modality=all&year=2025-2026";

const READ_PATHS = [
  "/api/v1/aggregates.json", "/api/v1/aggregates.csv", "/api/v1/snapshots.json", "/api/v1/snapshots/1/aggregates.json",
  "/api/v1/snapshots/1/aggregates.csv", `/api/v1/history.json?${NATIONAL_ALL}`, "/api/v1/openapi.json", "/feeds/changes.atom",
  ...REFERENCE_TABLES.map((table) => `/api/v1/reference/${table}.json`),
];

beforeAll(async () => {
  server = await startServer();
  doc = JSON.parse((await get("/api/v1/openapi.json")).text) as Doc;
});

afterAll(async () => {
  await server?.stop();
});

describe("every read route", () => {
  it.each(READ_PATHS)("GET %s: 200, matches the OpenAPI document, CORS *, ETag, Cache-Control", async (path) => {
    const response = await checked(path);
    expect(response.status, response.text.slice(0, 200)).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const immutable = path.startsWith("/api/v1/snapshots/");
    expect(response.headers["cache-control"]).toBe(immutable ? "public, max-age=31536000, immutable" : "public, max-age=60");
  });

  it.each(READ_PATHS)("HEAD %s: the GET's status and headers, no body", async (path) => {
    const getResponse = await get(path);
    const head = await raw(server.url, "HEAD", path);
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const name of ["content-type", "etag", "cache-control", "content-length", "access-control-allow-origin"]) {
      expect(head.headers[name], name).toBe(getResponse.headers[name]);
    }
  });

  it.each(READ_PATHS)("GET %s with its ETag in If-None-Match: 304, no body", async (path) => {
    const first = await get(path);
    const etag = String(first.headers.etag);
    const revalidated = await get(path, { "If-None-Match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(revalidated.headers.etag).toBe(etag);
    expect(revalidated.headers["cache-control"]).toBe(first.headers["cache-control"]);
    expectContract(doc, "GET", path, revalidated);
    expect((await get(path, { "If-None-Match": '"something-else"' })).status).toBe(200);
  });

  it.each(READ_PATHS)("%s answers other methods with 405 and Allow, in the error shape", async (path) => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const response = await raw(server.url, method, path, { headers: { "Content-Type": "application/json" }, body: "{}" });
      expectError(response, 405);
      expect(String(response.headers.allow)).toBe("GET, HEAD, OPTIONS");
    }
  });

  it.each(READ_PATHS)("%s answers a CORS preflight with 204", async (path) => {
    const response = await raw(server.url, "OPTIONS", path, { headers: { Origin: "https://newsroom.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match" } });
    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(String(response.headers["access-control-allow-methods"])).toMatch(/\bGET\b/);
    expect(String(response.headers["access-control-allow-headers"]).toLowerCase()).toContain("if-none-match");
  });

  it.each(READ_PATHS)("%s refuses an unknown parameter with 400 naming the allowed ones", async (path) => {
    const url = `${path}${path.includes("?") ? "&" : "?"}colour=red`;
    const response = await checked(url);
    const errors = expectError(response, 400);
    expect(errors[0]!.path).toBe("colour");
    expect(errors[0]!.message).toMatch(/Unknown parameter "colour"/);
  });

  it("never answers 500 or shows a stack trace, whatever the query", async () => {
    const names = ["cpt", "state", "division", "geo_level", "channel", "platform", "payer", "license", "license_group", "modality", "year", "_size", "_next", "_shape", "_fallback", "x", "__proto__", "constructor", "_"];
    const values = fc.oneof(
      fc.constantFrom("90837", "OR", "pacific", "national", "all", "alma", "lpc", "masters", "2025", "2024-2025", "1", "max", "0", "-1", "1e309", "NaN", "arrays", "", "%", "..", "YzEuMS4y.c4fVDzQH2rGsNeuvurINvw"),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 20 }),
    );
    const query = fc.array(fc.tuple(fc.constantFrom(...names), values), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString());
    const routes = ["/api/v1/aggregates.json", "/api/v1/aggregates.csv", "/api/v1/snapshots/1/aggregates.json", "/api/v1/history.json", "/feeds/changes.atom", "/api/v1/snapshots.json"];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...routes), query, async (route, search) => {
      const response = await get(`${route}?${search}`);
      expect(response.status, `${route}?${search} → ${response.text.slice(0, 200)}`).toBeLessThan(500);
      expect(response.text).not.toMatch(STACK_FRAME);
      if (response.status >= 400) expectError(response, response.status);
    }), { numRuns: 150 });
  });

  it("answers odd paths in the error shape: bad or unknown snapshot ids, unknown tables", async () => {
    for (const path of ["/api/v1/snapshots/abc/aggregates.json", "/api/v1/snapshots/0/aggregates.csv", "/api/v1/snapshots/1e3/aggregates.json", "/api/v1/snapshots/99999999999/aggregates.json"]) {
      expectError(await checked(path), 400);
    }
    expectError(await checked("/api/v1/snapshots/999/aggregates.json"), 404);
    expectError(await get("/api/v1/reference/nope.json"), 404);
    expectError(await get("/api/v1/snapshots/1/aggregates.xml"), 404);
    expectError(await get("/api/v1/aggregates.json/extra"), 404);
  });
});

describe("aggregates.json", () => {
  it("answers {ok, snapshot, rows, next, next_url}, 100 rows by default, each row exactly the published-cell columns", async () => {
    const body = await page("/api/v1/aggregates.json");
    expect(Object.keys(body)).toEqual(["ok", "snapshot", "rows", "next", "next_url"]);
    expect(body.snapshot).toBe(1);
    expect(body.rows).toHaveLength(100);
    for (const row of body.rows) {
      expect(Object.keys(row)).toEqual(PUBLISHED_COLUMNS);
      expect(row.snapshot).toBe(1);
      expect(row.note).toBeNull();
    }
    expect(body.next).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(body.next_url).toBe(`/api/v1/aggregates.json?_next=${body.next}`);
  });

  it("pages through every matching row with next_url, without gaps or repeats", async () => {
    const filter = "cpt=90837&state=CA";
    const { rows, pages } = await allPages(`/api/v1/aggregates.json?${filter}&_size=37`);
    expect(pages).toBeGreaterThan(2);
    const whole = await page(`/api/v1/aggregates.json?${filter}&_size=max`);
    expect(whole.next).toBeNull();
    expect(rows).toEqual(whole.rows);
    expect(new Set(rows.map((row) => JSON.stringify(row))).size).toBe(rows.length);
  });

  it("refuses a cursor used with other filters, or altered", async () => {
    const first = await page("/api/v1/aggregates.json?cpt=90837&_size=5");
    expectError(await checked(`/api/v1/aggregates.json?cpt=90834&_size=5&_next=${first.next}`), 400);
    expectError(await checked(`/api/v1/aggregates.json?_size=5&_next=${first.next}`), 400);
    const altered = `${first.next!.slice(0, -1)}${first.next!.endsWith("A") ? "B" : "A"}`;
    expectError(await checked(`/api/v1/aggregates.json?cpt=90837&_size=5&_next=${altered}`), 400);
    // Another page size is fine: the cursor is an offset.
    expect((await page(`/api/v1/aggregates.json?cpt=90837&_size=7&_next=${first.next}`)).rows).toHaveLength(7);
  });

  it("matches published rows exactly, as DESIGN.md \"Filters\" says", async () => {
    const rowsOf = async (query: string) => (await page(`/api/v1/aggregates.json?cpt=90837&${query}&_size=max`)).rows;
    const every = (rows: Row[], expected: Row) => {
      expect(rows.length, JSON.stringify(expected)).toBeGreaterThan(0);
      for (const row of rows) expect(row).toMatchObject(expected);
    };
    every(await rowsOf("state=OR"), { geo_level: "state", geo: "OR" });
    every(await rowsOf("division=pacific"), { geo_level: "division", geo: "pacific" });
    every(await rowsOf("geo_level=national"), { geo_level: "national", geo: "US" });
    every(await rowsOf("geo_level=national&license=lpc"), { license_level: "license", license: "lpc" });
    every(await rowsOf("geo_level=national&license_group=masters"), { license_level: "group", license: "masters" });
    every(await rowsOf("geo_level=national&license=all"), { license_level: "all", license: null });
    every(await rowsOf("geo_level=national&platform=all&payer=all&channel=all"), { platform: null, payer: null, channel: null });
    every(await rowsOf("geo_level=national&platform=alma"), { platform: "alma", channel: "platform" });
    every(await rowsOf("geo_level=national&payer=cigna&modality=telehealth"), { payer: "cigna", modality: "telehealth" });
    every(await rowsOf("geo_level=national&modality=all&year=2025"), { modality: "all", year_window: "2025" });
    every(await rowsOf("geo_level=national&year=2025-2026"), { year_window: "2025-2026" });
    // An omitted filter matches every value, the aggregated rows included.
    const platforms = new Set((await rowsOf("geo_level=national&channel=platform&payer=all&license=all&modality=all&year=2025-2026")).map((row) => row.platform));
    expect(platforms.has(null)).toBe(true);
    expect(platforms.size).toBeGreaterThan(2);
    // A value nothing was published for is an empty answer, not an error.
    expect(await page("/api/v1/aggregates.json?platform=no-such-platform")).toMatchObject({ rows: [], next: null, next_url: null });
  });

  it("answers _shape=arrays with columns and rows as arrays in that order", async () => {
    const objects = await page("/api/v1/aggregates.json?cpt=90834&_size=20");
    const arrays = await page("/api/v1/aggregates.json?cpt=90834&_size=20&_shape=arrays");
    expect(Object.keys(arrays)).toEqual(["ok", "snapshot", "columns", "rows", "next", "next_url"]);
    expect(arrays.columns).toEqual(PUBLISHED_COLUMNS);
    expect(arrays.rows).toEqual(objects.rows.map((row) => PUBLISHED_COLUMNS.map((column) => row[column])));
    expect(arrays.next_url).toContain("_shape=arrays");
  });

  it("_fallback=1 climbs the ladder and says so in the note", async () => {
    const body = await page(`/api/v1/aggregates.json?${FALLBACK_WY}&_fallback=1`);
    expect(body.rows).toHaveLength(1);
    const row = body.rows[0]!;
    expect(row.geo_level).not.toBe("state");
    expect(row.note).toMatch(/^Wyoming, LPC.* has fewer than 5 reports; showing /);
    expect(body.note).toBe(row.note);
    const exact = await page(`/api/v1/aggregates.json?${NATIONAL_ALL}&_fallback=1`);
    expect(exact.rows).toHaveLength(1);
    expect(exact.rows[0]!.note).toBeNull();
    expect(exact.note).toBeNull();
    const none = await page("/api/v1/aggregates.json?_fallback=1&cpt=90785&state=WY&channel=platform&platform=rula&payer=tricare&license=psychiatrist&modality=telehealth&year=2025");
    expect(none.rows).toEqual([]);
    expect(none.note).toBe("Not published: fewer than 5 reports, even for the whole nation and all licenses.");
  });

  it("_fallback=1 without every dimension is a 400 naming what is missing", async () => {
    const errors = expectError(await checked("/api/v1/aggregates.json?_fallback=1&cpt=90837&state=OR"), 400);
    expect(errors.map((e) => e.path).sort()).toEqual(["channel", "license", "modality", "payer", "platform", "year"]);
  });
});

describe("aggregates.csv", () => {
  it("is RFC 4180 UTF-8 with a header row of the published-cell columns, one row per cell, every row by default", async () => {
    const response = await checked("/api/v1/aggregates.csv?cpt=90837&state=CA");
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8; header=present");
    expect(response.headers["content-disposition"]).toBe('attachment; filename="ratecard-snapshot-1-aggregates.csv"');
    const records = parseCsvStrict(response.text);
    expect(records[0]).toEqual(PUBLISHED_COLUMNS);
    const json = await page("/api/v1/aggregates.json?cpt=90837&state=CA&_size=max");
    expect(records.length - 1).toBe(json.rows.length);
    json.rows.forEach((row, i) => {
      expect(records[i + 1]).toEqual(PUBLISHED_COLUMNS.map((column) => (row[column] === null ? "" : String(row[column]))));
    });
  });

  it("holds the whole snapshot without filters, and pages with _size through a Link header", async () => {
    const all = parseCsvStrict((await checked("/api/v1/aggregates.csv")).text);
    const snapshots = await page("/api/v1/snapshots.json");
    expect(all.length - 1).toBe(snapshots.rows.find((s) => s.id === 1)!.cells_published);
    const paged = await checked("/api/v1/aggregates.csv?_size=10");
    expect(parseCsvStrict(paged.text)).toHaveLength(11);
    const link = String(paged.headers.link);
    expect(link).toMatch(/^<\/api\/v1\/aggregates\.csv\?_size=10&_next=[A-Za-z0-9_.-]+>; rel="next"$/);
    const second = parseCsvStrict((await checked(link.slice(1, link.indexOf(">")))).text);
    expect(second[1]).toEqual(all[11]);
  });

  it("answers _fallback=1 as one row with its note (quoted, since it holds a comma or semicolon)", async () => {
    const response = await checked(`/api/v1/aggregates.csv?${FALLBACK_WY}&_fallback=1`);
    const records = parseCsvStrict(response.text);
    expect(records).toHaveLength(2);
    expect(records[1]!.at(-1)).toMatch(/has fewer than 5 reports; showing/);
  });
});

const SOFFICE = ["/usr/bin/soffice", "/usr/bin/libreoffice"].find((path) => existsSync(path));

describe("aggregates.csv in a spreadsheet", () => {
  it.skipIf(!SOFFICE)("opens cleanly in LibreOffice Calc: CSV → ODS → CSV gives back every field unchanged", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-soffice-"));
    try {
      const original = (await checked("/api/v1/snapshots/1/aggregates.csv")).text;
      writeFileSync(join(dir, "cells.csv"), original);
      const convert = (args: string[]) => {
        const result = spawnSync(SOFFICE!, ["--headless", "--norestore", ...args], { cwd: dir, env: { ...process.env, HOME: dir }, encoding: "utf8", timeout: 100_000 });
        expect(result.status, result.stderr).toBe(0);
      };
      convert(["--convert-to", "ods", "--outdir", dir, join(dir, "cells.csv")]);
      convert(["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", join(dir, "back"), join(dir, "cells.ods")]);
      const back = readFileSync(join(dir, "back", "cells.csv"), "utf8").replaceAll("\r\n", "\n").split("\n").filter(Boolean).map((line) => line.replaceAll('"', ""));
      const fields = parseCsvStrict(original).map((record) => record.join(","));
      expect(back).toHaveLength(fields.length);
      expect(back).toEqual(fields);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("reference data", () => {
  it.each(REFERENCE_TABLES)("%s.json lists the reference rows", async (table) => {
    const body = await page(`/api/v1/reference/${table}.json`);
    expect(body.rows.length).toBeGreaterThan(0);
    expect(body.snapshot).toBe(1);
  });

  it("lists the DESIGN.md codes", async () => {
    const codes = async (table: string, key: string) => (await page(`/api/v1/reference/${table}.json`)).rows.map((row) => row[key]);
    expect(await codes("states", "code")).toHaveLength(51);
    expect(await codes("license-types", "slug")).toEqual(["lcsw", "lpc", "lmft", "psychologist", "psychiatrist", "pmhnp", "associate"]);
    expect(await codes("platforms", "slug")).toEqual(expect.arrayContaining(["alma", "headway", "grow-therapy", "rula", "sondermind"]));
    expect(await codes("payers", "slug")).toEqual(expect.arrayContaining(["aetna", "cigna", "optum-uhc", "medicare", "other"]));
    expect(await codes("cpt-codes", "code")).toEqual(expect.arrayContaining(["90837", "90834", "90791"]));
    const medicare = (await page("/api/v1/reference/medicare-rates.json")).rows.find((row) => row.cpt === "90837" && row.year === 2025);
    expect(medicare).toMatchObject({ amount: 154.29 });
  });
});

describe("snapshots, history and the feed", () => {
  it("lists the snapshot with its rules, K, band edges, citation and changelog", async () => {
    const body = await page("/api/v1/snapshots.json");
    expect(body.rows).toHaveLength(1);
    const snapshot = body.rows[0]!;
    expect(snapshot).toMatchObject({ id: 1, is_demo: true, k: 5, band_edges: [...BAND_EDGES], aggregates_json: "/api/v1/snapshots/1/aggregates.json", aggregates_csv: "/api/v1/snapshots/1/aggregates.csv" });
    expect(snapshot.citation).toMatch(/^Ratecard, snapshot 1, \d{4}-\d{2}-\d{2}$/);
    expect(snapshot.changes).toEqual({ previous_snapshot: null, added: snapshot.cells_published, removed: 0, changed: 0, unchanged: 0 });
  });

  it("serves one snapshot at its own immutable URL, the same rows as the current one", async () => {
    const current = await page("/api/v1/aggregates.json?cpt=90791&_size=50");
    const pinned = await page("/api/v1/snapshots/1/aggregates.json?cpt=90791&_size=50");
    expect(pinned.rows).toEqual(current.rows);
    expect(pinned.next_url).toBe(`/api/v1/snapshots/1/aggregates.json?cpt=90791&_size=50&_next=${pinned.next}`);
  });

  it("history.json needs a whole cell", async () => {
    const errors = expectError(await checked("/api/v1/history.json?cpt=90837"), 400);
    expect(errors.map((e) => e.path)).toEqual(expect.arrayContaining(["channel", "year"]));
  });

  it("the Atom feed has one entry per snapshot", async () => {
    const response = await checked("/feeds/changes.atom?cpt=90837&state=OR&platform=alma");
    expect(response.headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    expect(response.text).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
    expect(response.text).toContain("<title>Ratecard: changes in published pay figures (90837, OR, alma)</title>");
    expect(response.text.match(/<entry>/g)).toHaveLength(1);
    expect(response.text).toContain("Snapshot 1 (demo data): first publication");
  });

  describe("after a second snapshot", () => {
    let oldPage: Page;

    beforeAll(async () => {
      oldPage = await page("/api/v1/aggregates.json?cpt=90837&_size=10");
      // Real reports end the demo: from now on snapshots hold crowd reports only.
      for (let i = 0; i < 6; i++) {
        const response = await raw(server.url, "POST", "/api/v1/reports", {
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma",
            rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 90 + i * 5, allowed: 150 }],
          }),
        });
        expect(response.status, response.text).toBe(201);
        expectContract(doc, "POST", "/api/v1/reports", response);
      }
      // Asynchronously: a blocked event loop would reuse a keep-alive socket the server closed meanwhile.
      await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, "scripts/snapshot.ts")], { env: { ...process.env, DATABASE_PATH: server.dbPath }, encoding: "utf8" });
      // The server looks for a newer snapshot at most every half second.
      await new Promise((resolve) => setTimeout(resolve, 600));
    });

    it("serves the new snapshot as current and lists both with their changes", async () => {
      expect((await page("/api/v1/aggregates.json?_size=1")).snapshot).toBe(2);
      const body = await page("/api/v1/snapshots.json");
      expect(body.rows.map((row) => row.id)).toEqual([2, 1]);
      const [second, first] = body.rows as { cells_published: number; is_demo: boolean; changes: Record<string, number> }[];
      expect(second!.is_demo).toBe(false);
      expect(first!.is_demo).toBe(true);
      // The first crowd snapshot is a first publication, not a diff against demo data (issue 13 item 17).
      expect(second!.changes).toEqual({ previous_snapshot: null, added: second!.cells_published, removed: 0, changed: 0, unchanged: 0 });
    });

    it("keeps serving the old snapshot unchanged at its immutable URL", async () => {
      const pinned = await page("/api/v1/snapshots/1/aggregates.json?cpt=90837&_size=10");
      expect(pinned.rows).toEqual(oldPage.rows);
    });

    it("lets a cursor finish paging through the snapshot it started in, but not replay elsewhere", async () => {
      const continued = await page(oldPage.next_url!);
      expect(continued.snapshot).toBe(1);
      expect(continued.rows.every((row) => row.snapshot === 1)).toBe(true);
      expectError(await checked(`/api/v1/snapshots/2/aggregates.json?cpt=90837&_size=10&_next=${oldPage.next}`), 400);
      expect((await page(`/api/v1/snapshots/1/aggregates.json?cpt=90837&_size=10&_next=${oldPage.next}`)).rows).toEqual(continued.rows);
    });

    it("history.json lists a cell's rows across snapshots, oldest first", async () => {
      const cell = "cpt=90837&state=OR&channel=platform&platform=alma&payer=cigna&license=lpc&modality=telehealth&year=2025";
      const body = await page(`/api/v1/history.json?${cell}`);
      expect(body.snapshot).toBe(2);
      const snapshots = body.rows.map((row) => row.snapshot);
      expect(snapshots.at(-1)).toBe(2);
      expect([...snapshots].sort()).toEqual(snapshots);
      for (const row of body.rows) expect(row).toMatchObject({ cpt: "90837", geo: "OR", platform: "alma", payer: "cigna", license: "lpc", modality: "telehealth", year_window: "2025" });
      for (const row of body.rows) expect(row.is_demo, `snapshot ${row.snapshot}`).toBe(row.snapshot === 1);
      const arrays = await page(`/api/v1/history.json?${cell}&_shape=arrays`);
      expect(arrays.columns).toEqual([...PUBLISHED_COLUMNS, "is_demo"]);
      expect(arrays.rows).toEqual(body.rows.map((row) => [...PUBLISHED_COLUMNS, "is_demo"].map((column) => row[column])));
    });

    it("the feed announces the new snapshot first", async () => {
      const text = (await checked("/feeds/changes.atom")).text;
      expect(text.match(/<entry>/g)).toHaveLength(2);
      expect(text.indexOf("Snapshot 2:")).toBeLessThan(text.indexOf("Snapshot 1 (demo data)"));
    });

    it("answers an old ETag of a current-snapshot URL with the new body", async () => {
      const now = await get("/api/v1/aggregates.json?cpt=90837&_size=10");
      expect(now.status).toBe(200);
      expect(jsonOf<Page>(now).snapshot).toBe(2);
    });
  });
});

describe("the write API, against the same document", () => {
  it("documents the answers of /api/v1/reports and /api/v1/reports/{receipt}", async () => {
    const body = JSON.stringify({ state: "OR", license: "lpc", years_licensed: "5-9", channel: "direct", rates: [{ cpt: "90834", modality: "in_person", payer: "aetna", year: 2025, paid: 110 }] });
    const created = await raw(server.url, "POST", "/api/v1/reports", { headers: { "Content-Type": "application/json" }, body });
    expectContract(doc, "POST", "/api/v1/reports", created);
    const receipt = jsonOf<{ receipt: string }>(created).receipt;
    expectContract(doc, "GET", `/api/v1/reports/${receipt}`, await get(`/api/v1/reports/${receipt}`));
    expectContract(doc, "DELETE", `/api/v1/reports/${receipt}`, await raw(server.url, "DELETE", `/api/v1/reports/${receipt}`));
    expectContract(doc, "GET", `/api/v1/reports/${receipt}`, await get(`/api/v1/reports/${receipt}`));
    expectContract(doc, "POST", "/api/v1/reports", await raw(server.url, "POST", "/api/v1/reports", { headers: { "Content-Type": "application/json" }, body: "{}" }));
    expectContract(doc, "POST", "/api/v1/reports", await raw(server.url, "POST", "/api/v1/reports", { headers: { "Content-Type": "text/plain" }, body }));
  });
});
