// Contract tests for /api/v1/payer-rates.{json,csv} and /api/v1/snapshots/{id}/payer-rates.{json,csv}
// against the real server, checked against the OpenAPI document it serves (issue 11).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAYER_RATE_COLUMNS } from "../../src/lib/schemas/api.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";
import { buildSnapshot } from "../../src/lib/write/snapshot.ts";
import { insertTicFile } from "../factories.ts";
import { startServer, type RunningServer } from "../helpers/server.ts";
import { expectContract, expectError, jsonOf, raw, STACK_FRAME, type RawResponse } from "./support/http.ts";
import { parseCsvStrict } from "./support/rfc4180.ts";
import { columnIndex, sheetRows, unzip } from "./support/xlsx.ts";

type Row = Record<string, unknown>;
type Page = { ok: true; snapshot: number; rows: Row[]; next: string | null; next_url: string | null };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON documents, walked by key
type Doc = Record<string, any>;

let server: RunningServer;
let dir: string;
let doc: Doc;
let withRates: number;

const get = (path: string, headers: Record<string, string> = {}) => raw(server.url, "GET", path, { headers });

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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-payer-rates-"));
  const dbPath = join(dir, "ratecard.db");
  const connection = openDatabase(dbPath);
  migrateDatabase(connection);
  prepareDatabase(connection, { demo: true, k: 5 });
  await insertTicFile(connection, { payer: "cigna", sourceFile: "cigna-2026-11.json.gz", reportingEntity: "Cigna, Inc.", lastUpdatedOn: "2026-11-01" }, [
    { tin: "111111111", cpt: "90837", negotiatedRate: 151.74, serviceCodes: "02;10", networks: "OAP" },
    { tin: "111111111", cpt: "90837", negotiatedRate: 140.5, serviceCodes: "02;10", networks: "LocalPlus" },
    { tin: "111111111", cpt: "90837", negotiatedRate: 160, serviceCodes: "02;10", networks: "Open, Access" },
    { tin: "111111111", cpt: "90834", negotiatedRate: 125, serviceCodes: "11" },
    { tin: "222222222", cpt: "90837", negotiatedRate: 142.8 },
    ...["90791", "90832", "90846", "90847"].map((cpt, i) => ({ tin: "222222222", cpt, negotiatedRate: 100 + i })),
  ], [{ tin: "111111111", platform: "alma", state: "OR" }, { tin: "222222222", platform: "headway", state: null }]);
  await insertTicFile(connection, { payer: "optum-uhc", sourceFile: "https://transparency.example/uhc-2026-10.json.gz", reportingEntity: "UnitedHealthcare", lastUpdatedOn: "2026-10-01" }, [
    { tin: "111111111", cpt: "90837", negotiatedRate: 142.8, modifiers: "95", networks: "Choice Plus" },
  ]);
  withRates = buildSnapshot(connection, { k: 5, trigger: "script" }).id;
  connection.sqlite.close();
  server = await startServer({ dbPath });
  doc = JSON.parse((await get("/api/v1/openapi.json")).text) as Doc;
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("payer-rates.json", () => {
  it("lists every published rate of the current snapshot with exactly the documented columns, exact cents and sources", async () => {
    const body = await page("/api/v1/payer-rates.json");
    expect(body.snapshot).toBe(withRates);
    expect(body.rows).toHaveLength(8);
    for (const row of body.rows) expect(Object.keys(row)).toEqual(PAYER_RATE_COLUMNS);
    expect(PAYER_RATE_COLUMNS).toEqual([
      "snapshot", "payer", "platform", "tin", "state", "cpt", "modifiers", "place_of_service", "negotiated_type",
      "negotiated_rate", "rate_low", "rate_high", "networks", "expiration_date", "reporting_entity",
      "last_updated_on", "source_file", "source_sha256",
    ]);
    const alma = body.rows.find((r) => r.payer === "cigna" && r.platform === "alma" && r.cpt === "90837");
    expect(alma).toMatchObject({
      snapshot: withRates, tin: "111111111", state: "OR", modifiers: [], place_of_service: ["02", "10"], negotiated_type: "negotiated",
      negotiated_rate: 151.74, rate_low: 140.5, rate_high: 160, networks: ["LocalPlus", "OAP", "Open, Access"],
      reporting_entity: "Cigna, Inc.", last_updated_on: "2026-11-01", source_file: "cigna-2026-11.json.gz",
    });
    expect(body.rows.find((r) => r.payer === "optum-uhc")).toMatchObject({ negotiated_rate: 142.8, modifiers: ["95"], source_file: "https://transparency.example/uhc-2026-10.json.gz" });
  });

  it("filters by payer, platform, cpt and state, exactly", async () => {
    const pick = async (query: string) => (await page(`/api/v1/payer-rates.json?${query}`)).rows;
    expect((await pick("payer=optum-uhc")).map((r) => r.payer)).toEqual(["optum-uhc"]);
    expect((await pick("platform=headway")).every((r) => r.platform === "headway")).toBe(true);
    expect((await pick("platform=headway")).length).toBe(5);
    expect((await pick("cpt=90834")).map((r) => r.negotiated_rate)).toEqual([125]);
    expect((await pick("state=OR")).map((r) => r.state)).toEqual(["OR", "OR", "OR"]);
    expect(await pick("payer=cigna&platform=alma&cpt=90837&state=OR")).toHaveLength(1);
    expect(await pick("payer=aetna")).toEqual([]);
  });

  it("pages with _size and signed _next cursors through every row exactly once", async () => {
    const all = (await page("/api/v1/payer-rates.json")).rows;
    const seen: Row[] = [];
    let next: string | null = "/api/v1/payer-rates.json?_size=3";
    while (next) {
      const body: Page = await page(next);
      expect(body.rows.length).toBeLessThanOrEqual(3);
      seen.push(...body.rows);
      next = body.next_url;
    }
    expect(seen).toEqual(all);
    const first = await page("/api/v1/payer-rates.json?_size=3");
    const tampered = await checked(`/api/v1/payer-rates.json?_size=3&payer=cigna&_next=${first.next}`);
    expect(expectError(tampered, 400).map((e) => e.path)).toEqual(["_next"]);
  });

  it("refuses unknown and invalid parameters with the error shape", async () => {
    expect(expectError(await checked("/api/v1/payer-rates.json?channel=platform"), 400).map((e) => e.path)).toEqual(["channel"]);
    expect(expectError(await checked("/api/v1/payer-rates.json?state=Oregon"), 400).map((e) => e.path)).toEqual(["state"]);
    expect(expectError(await checked("/api/v1/payer-rates.json?_size=0"), 400).map((e) => e.path)).toEqual(["_size"]);
  });

  it("answers with ETag, CORS and Cache-Control, and 304 on revalidation", async () => {
    const response = await checked("/api/v1/payer-rates.json?payer=cigna");
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(response.headers["cache-control"]).toBe("public, max-age=60");
    const etag = String(response.headers.etag);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await get("/api/v1/payer-rates.json?payer=cigna", { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});

describe("payer-rates.csv", () => {
  it("holds the same rows as the JSON, with the documented header, list columns ;-joined and cents kept", async () => {
    const json = (await page("/api/v1/payer-rates.json")).rows;
    const response = await checked("/api/v1/payer-rates.csv");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8; header=present");
    const records = parseCsvStrict(response.text);
    expect(records[0]).toEqual(PAYER_RATE_COLUMNS);
    expect(records).toHaveLength(json.length + 1);
    json.forEach((row, i) => {
      expect(records[i + 1]).toEqual(PAYER_RATE_COLUMNS.map((column) => {
        const value = row[column];
        if (Array.isArray(value)) return value.join(";");
        if (column === "negotiated_rate" || column === "rate_low" || column === "rate_high") return (value as number).toFixed(2);
        return value === null ? "" : String(value);
      }));
    });
    expect(response.text).toContain("151.74,140.50,160.00,\"LocalPlus;OAP;Open, Access\"");
  });

  it("pages with _size through the Link header", async () => {
    const response = await checked("/api/v1/payer-rates.csv?_size=5");
    expect(parseCsvStrict(response.text)).toHaveLength(6);
    expect(String(response.headers.link)).toMatch(/^<\/api\/v1\/payer-rates\.csv\?_size=5&_next=[^>]+>; rel="next"$/);
  });
});

describe("snapshots/{id}/payer-rates", () => {
  it("serves each snapshot's own rates, immutably: the snapshot built before the import has none", async () => {
    const pinned = await checked(`/api/v1/snapshots/${withRates}/payer-rates.json`);
    expect(pinned.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(jsonOf<Page>(pinned).rows).toHaveLength(8);
    expect((await page(`/api/v1/snapshots/${withRates - 1}/payer-rates.json`)).rows).toEqual([]);
    const csv = await checked(`/api/v1/snapshots/${withRates}/payer-rates.csv?cpt=90834`);
    expect(parseCsvStrict(csv.text)).toHaveLength(2);
    expect(expectError(await checked("/api/v1/snapshots/999/payer-rates.json"), 404).map((e) => e.path)).toEqual(["id"]);
  });
});

describe("the OpenAPI document", () => {
  it("documents the four payer-rate routes with their filters, and the PayerRate row", () => {
    for (const path of ["/api/v1/payer-rates.json", "/api/v1/payer-rates.csv", "/api/v1/snapshots/{id}/payer-rates.json", "/api/v1/snapshots/{id}/payer-rates.csv"]) {
      const names = (doc.paths[path].get.parameters as Doc[]).filter((p) => p.in === "query").map((p) => p.name);
      expect(names).toEqual(["payer", "platform", "cpt", "state", "_size", "_next"]);
    }
    expect(Object.keys(doc.components.schemas.PayerRate.properties)).toEqual(PAYER_RATE_COLUMNS);
    const cell = doc.components.schemas.PublishedCell.properties;
    for (const column of ["published_rate", "take_published_p50", "take_published_low", "take_published_high"]) expect(cell[column]).toBeDefined();
  });
});

describe("the snapshot's Data Package (issue 15)", () => {
  it("lists payer_rates at payer-rates.csv with ;-joined list columns, and each TiC file as a source", async () => {
    const response = await get(`/api/v1/snapshots/${withRates}/datapackage.json`);
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    const descriptor = jsonOf<Doc>(response);
    const resource = (descriptor.resources as Doc[]).find((r) => r.name === "payer_rates")!;
    expect(resource.path).toBe("payer-rates.csv");
    const fields = resource.schema.fields as Doc[];
    expect(fields.map((f) => f.name)).toEqual(PAYER_RATE_COLUMNS);
    // ;-joined lists are strings: the official v2.0 profile has no "list" type.
    for (const name of ["modifiers", "place_of_service", "networks"]) {
      expect(fields.find((f) => f.name === name)).toMatchObject({ type: "string" });
      expect(fields.find((f) => f.name === name)!.description).toContain("`;`-joined");
    }
    expect(fields.find((f) => f.name === "negotiated_rate")).toMatchObject({ type: "number" });
    const records = parseCsvStrict((await get(`/api/v1/snapshots/${withRates}/${resource.path}`)).text);
    expect(records[0]).toEqual(PAYER_RATE_COLUMNS);
    expect(records).toHaveLength((await page(`/api/v1/snapshots/${withRates}/payer-rates.json`)).rows.length + 1);
    const sources = descriptor.sources as { title: string; path?: string }[];
    const local = sources.find((s) => s.title.includes("cigna-2026-11.json.gz"))!;
    expect(local.title).toContain("Cigna, Inc.");
    expect(local.path).toBeUndefined();
    expect(sources.find((s) => s.title.includes("uhc-2026-10"))!.path).toBe("https://transparency.example/uhc-2026-10.json.gz");
  });
});

describe("payer-rates.xlsx (issue 15)", () => {
  it("holds payer-rates.csv's rows for the same filters: lists as ;-joined text, dollars as numbers", async () => {
    const response = await get("/api/v1/payer-rates.xlsx?payer=cigna");
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    expect(String(response.headers["content-type"])).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(String(response.headers["content-disposition"])).toBe(`attachment; filename="ratecard-snapshot-${withRates}-payer-rates-payer-cigna.xlsx"`);
    const files = unzip(response.body);
    const rows = sheetRows(files.get("xl/worksheets/sheet1.xml")!.toString("utf8"));
    const [header, ...records] = parseCsvStrict((await get("/api/v1/payer-rates.csv?payer=cigna")).text);
    expect(rows[0]!.map((cell) => cell.value)).toEqual(header);
    expect(records.length).toBeGreaterThan(0);
    expect(rows.length - 1).toBe(records.length);
    const dollars = new Set(["negotiated_rate", "rate_low", "rate_high"]);
    for (const [i, record] of records.entries()) {
      const cells = new Map(rows[i + 1]!.map((cell) => [columnIndex(cell.ref), cell]));
      for (const [j, value] of record.entries()) {
        const cell = cells.get(j);
        if (value === "") {
          expect(cell, `${header![j]} row ${i + 1}`).toBeUndefined();
          continue;
        }
        if (dollars.has(header![j]!)) {
          expect(cell!.type).toBe("number");
          expect(Number(cell!.value), `${header![j]} row ${i + 1}`).toBe(Number(value));
        } else expect(cell?.value, `${header![j]} row ${i + 1}`).toBe(value);
      }
    }
    const workbook = files.get("xl/workbook.xml")!.toString("utf8");
    expect([...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])).toEqual(["payer_rates", "columns"]);
    expectError(await get("/api/v1/payer-rates.xlsx?_size=5"), 400);
    expectError(await get("/api/v1/payer-rates.xlsx?payer=Not%20A%20Slug!"), 400);
  });
});
