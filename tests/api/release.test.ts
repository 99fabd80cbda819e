// Releases for journalists (issue 15): a snapshot's Data Package validates against the official
// Data Package and Table Schema profiles, every CSV it names parses under its Table Schema, and
// the citations (and CITATION.cff) are valid CFF 1.2.0, BibTeX and RIS naming the snapshot.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import Database from "better-sqlite3";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLISHED_COLUMNS, REFERENCE_TABLES } from "../../src/lib/schemas/api.ts";
import type { TableField } from "../../src/lib/read/release/tables.ts";
import { PROJECT_ROOT, startServer, type RunningServer } from "../helpers/server.ts";
import { expectContract, expectError, jsonOf, raw, STACK_FRAME } from "./support/http.ts";
import { parseCsvStrict } from "./support/rfc4180.ts";
import { columnIndex, sheetRows, unzip } from "./support/xlsx.ts";
import { spreadsheetTooLarge } from "../../src/lib/read/api/release-endpoints.ts";

type Resource = { name: string; type: string; path: string; schema: { fields: TableField[]; missingValues: string[]; primaryKey?: string[] } };
type Descriptor = Record<string, unknown> & { resources: Resource[]; version: string; created: string };

const fixture = (path: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, "tests/fixtures", path), "utf8")) as Record<string, unknown>;

function validator(schema: Record<string, unknown>): ValidateFunction {
  // The official profiles carry editor hints (propertyOrder, options, textarea): not keywords.
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { textarea: true } });
  addFormats.default(ajv);
  return ajv.compile(schema);
}
const dataPackageProfile = validator(fixture("frictionless/datapackage-2.0.json"));
const tableSchemaProfile = validator(fixture("frictionless/tableschema-2.0.json"));
const cffSchema = validator(fixture("cff/schema-1.2.0.json"));

const errorsOf = (validate: ValidateFunction) => JSON.stringify(validate.errors?.slice(0, 5), null, 1);

/** Why a CSV value does not conform to its Table Schema field, or null when it does. */
function fieldProblem(field: TableField, value: string, missingValues: string[]): string | null {
  if (missingValues.includes(value)) return field.constraints?.required ? "missing but required" : null;
  let typed: unknown = value;
  switch (field.type) {
    case "integer":
      if (!/^-?\d+$/.test(value)) return "not an integer";
      typed = Number(value);
      break;
    case "number":
      if (!/^-?\d+(\.\d+)?$/.test(value)) return "not a number";
      typed = Number(value);
      break;
    case "boolean":
      if (!["true", "false"].includes(value)) return "not a boolean";
      break;
    case "array":
    case "object": {
      try {
        typed = JSON.parse(value);
      } catch {
        return "not JSON";
      }
      if (Array.isArray(typed) !== (field.type === "array")) return `not a JSON ${field.type}`;
      break;
    }
  }
  const c = field.constraints ?? {};
  if (c.enum && !c.enum.includes(typed as string | number)) return `not one of ${c.enum.join(", ")}`;
  if (c.minimum !== undefined && (typed as number) < c.minimum) return `below ${c.minimum}`;
  if (c.maximum !== undefined && (typed as number) > c.maximum) return `above ${c.maximum}`;
  if (c.pattern && !new RegExp(`^(?:${c.pattern})$`, "u").test(value)) return `does not match ${c.pattern}`;
  return null;
}

let server: RunningServer;
const get = (path: string) => raw(server.url, "GET", path);

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

async function descriptorAt(path: string): Promise<Descriptor> {
  const response = await get(path);
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  return jsonOf<Descriptor>(response);
}

describe("the Data Package of a snapshot", () => {
  it("validates against the official Data Package v2 profile, with a valid Table Schema per resource", async () => {
    const descriptor = await descriptorAt("/api/v1/snapshots/1/datapackage.json");
    expect(dataPackageProfile(descriptor), errorsOf(dataPackageProfile)).toBe(true);
    expect(descriptor.version).toBe("1");
    expect(Number.isNaN(Date.parse(descriptor.created))).toBe(false);
    expect(descriptor.licenses).toEqual([expect.objectContaining({ name: "CC-BY-4.0" })]);
    for (const source of descriptor.sources as { path?: string }[]) if (source.path !== undefined) expect(source.path).toMatch(/^https?:\/\//);
    for (const resource of descriptor.resources) {
      expect(tableSchemaProfile(resource.schema), `${resource.name}: ${errorsOf(tableSchemaProfile)}`).toBe(true);
      expect(resource.name).toMatch(/^[a-z0-9_]+$/);
      expect(resource.type).toBe("table");
      expect(resource.schema.missingValues).toEqual([""]);
    }
    expect(descriptor.resources.map((r) => r.name)).toEqual(["aggregates", "shares", "payer_rates", ...REFERENCE_TABLES.map((t) => t.replaceAll("-", "_"))]);
  });

  it("describes every column from the API's registry, with n_band's values from the snapshot's K and no key for aggregates", async () => {
    const descriptor = await descriptorAt("/api/v1/snapshots/1/datapackage.json");
    const aggregates = descriptor.resources.find((r) => r.name === "aggregates")!;
    expect(aggregates.schema.fields.map((f) => f.name)).toEqual(PUBLISHED_COLUMNS);
    expect(aggregates.schema.primaryKey).toBeUndefined();
    for (const field of aggregates.schema.fields) expect(field.description, field.name).toBeTruthy();
    expect(aggregates.schema.fields.find((f) => f.name === "n_band")!.constraints!.enum).toEqual(["5-9", "10-19", "20-49", "50+"]);
    expect(aggregates.schema.fields.find((f) => f.name === "p50")!).toMatchObject({ type: "integer", constraints: { required: true } });
    expect(aggregates.schema.fields.find((f) => f.name === "channel")!.constraints!.enum).toContain("platform");
    expect(descriptor.resources.find((r) => r.name === "medicare_rates")!.schema.primaryKey).toEqual(["cpt", "year"]);
  });

  it("names CSVs by relative paths that resolve to the snapshot's files, each parsing under its Table Schema", async () => {
    const base = new URL("/api/v1/snapshots/1/datapackage.json", server.url);
    const descriptor = await descriptorAt(base.pathname);
    for (const resource of descriptor.resources) {
      expect(resource.path, "relative").not.toMatch(/^(\/|[a-z]+:)/);
      const url = new URL(resource.path, base);
      expect(url.pathname).toMatch(/^\/api\/v1\/snapshots\/1\//);
      const response = await get(url.pathname);
      expect(response.status, `${url.pathname}: ${response.text.slice(0, 200)}`).toBe(200);
      expect(String(response.headers["cache-control"])).toContain("immutable");
      const [header, ...records] = parseCsvStrict(response.text);
      expect(header, resource.name).toEqual(resource.schema.fields.map((f) => f.name));
      // Demo snapshots publish no insurer rates: that table is empty there, every other has rows.
      if (resource.name !== "payer_rates") expect(records.length, `${resource.name} has rows`).toBeGreaterThan(0);
      const keys = new Set<string>();
      for (const [line, record] of records.entries()) {
        for (const [i, field] of resource.schema.fields.entries()) {
          const problem = fieldProblem(field, record[i]!, resource.schema.missingValues);
          expect(problem, `${resource.name} row ${line + 1} ${field.name}=${JSON.stringify(record[i])}`).toBeNull();
        }
        if (resource.schema.primaryKey) {
          const key = resource.schema.primaryKey.map((name) => record[header!.indexOf(name)]).join("|");
          expect(keys.has(key), `${resource.name}: duplicate key ${key}`).toBe(false);
          keys.add(key);
        }
      }
    }
  });

  it("names aggregates.csv, which holds every published cell of the snapshot", async () => {
    const descriptor = await descriptorAt("/api/v1/snapshots/1/datapackage.json");
    expect(descriptor.resources[0]!.path).toBe("aggregates.csv");
    const info = jsonOf<{ rows: { id: number; cells_published: number }[] }>(await get("/api/v1/snapshots.json")).rows.find((r) => r.id === 1)!;
    expect(parseCsvStrict((await get("/api/v1/snapshots/1/aggregates.csv")).text).length - 1).toBe(info.cells_published);
  });

  it("for the current snapshot, is that snapshot's descriptor with snapshots/{id}/ in its paths", async () => {
    const current = await descriptorAt("/api/v1/datapackage.json");
    const pinned = await descriptorAt(`/api/v1/snapshots/${current.version}/datapackage.json`);
    expect(dataPackageProfile(current), errorsOf(dataPackageProfile)).toBe(true);
    expect(current.resources.map((r) => r.path)).toEqual(pinned.resources.map((r) => `snapshots/${current.version}/${r.path}`));
    expect({ ...current, resources: current.resources.map((r) => ({ ...r, path: "" })) })
      .toEqual({ ...pinned, resources: pinned.resources.map((r) => ({ ...r, path: "" })) });
    for (const resource of current.resources) {
      const url = new URL(resource.path, new URL("/api/v1/datapackage.json", server.url));
      expect((await get(url.pathname)).status, url.pathname).toBe(200);
    }
  });

  it("answers bad snapshot ids and unknown tables in the error shape, never a 500", async () => {
    expectError(await get("/api/v1/snapshots/999/datapackage.json"), 404);
    expectError(await get("/api/v1/snapshots/x1/datapackage.json"), 400);
    expectError(await get("/api/v1/snapshots/1/reference/nope.csv"), 404);
    expectError(await get("/api/v1/snapshots/999/shares.csv"), 404);
    expectError(await get("/api/v1/datapackage.json?cpt=90837"), 400);
    expect((await raw(server.url, "POST", "/api/v1/datapackage.json", { headers: { "Content-Type": "application/json" }, body: "{}" })).status).not.toBe(500);
  });
});

describe("citations", () => {
  it("CITATION.cff at the repository root is valid CFF 1.2.0", () => {
    const cff = parseYaml(readFileSync(join(PROJECT_ROOT, "CITATION.cff"), "utf8")) as unknown;
    expect(cffSchema(cff), errorsOf(cffSchema)).toBe(true);
  });

  it("a snapshot's citation.cff is valid CFF 1.2.0 naming the snapshot id and date", async () => {
    const snapshots = jsonOf<{ rows: { id: number; created_at: string }[] }>(await get("/api/v1/snapshots.json"));
    const first = snapshots.rows.find((row) => row.id === 1)!;
    const response = await get("/api/v1/snapshots/1/citation.cff");
    expect(response.status).toBe(200);
    expect(String(response.headers["content-type"])).toMatch(/^application\/x-yaml/);
    const cff = parseYaml(response.text) as Record<string, unknown>;
    expect(cffSchema(cff), errorsOf(cffSchema)).toBe(true);
    expect(cff).toMatchObject({ type: "dataset", version: "1", "date-released": first.created_at.slice(0, 10), license: "CC-BY-4.0" });
    expect(String(cff.title)).toContain("snapshot 1");
    expect(String(cff.url)).toMatch(/^https?:\/\/[^/]+\/api\/v1\/snapshots\/1\/datapackage\.json$/);
  });

  it("BibTeX and RIS name the snapshot id, its date and its URL", async () => {
    const date = jsonOf<{ rows: { id: number; created_at: string }[] }>(await get("/api/v1/snapshots.json")).rows.find((r) => r.id === 1)!.created_at.slice(0, 10);
    const bib = await get("/api/v1/snapshots/1/citation.bib");
    expect(bib.status).toBe(200);
    expect(bib.text).toMatch(/^@misc\{ratecard_snapshot_1,\n/);
    expect(bib.text).toContain(`year = {${date.slice(0, 4)}}`);
    expect(bib.text).toMatch(/\\url\{https?:\/\/[^}]+\/api\/v1\/snapshots\/1\/datapackage\.json\}/);
    expect((bib.text.match(/\{/g) ?? []).length).toBe((bib.text.match(/\}/g) ?? []).length);
    const ris = await get("/api/v1/snapshots/1/citation.ris");
    expect(ris.status).toBe(200);
    const lines = ris.text.split("\r\n").filter(Boolean);
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9] {2}- /);
    expect(lines[0]).toBe("TY  - DATA");
    expect(lines.at(-1)).toBe("ER  - ");
    expect(lines).toContain(`DA  - ${date.replaceAll("-", "/")}`);
    expect(lines).toContain("ET  - Snapshot 1");
  });

  it("answers an unknown format or snapshot in the error shape", async () => {
    expectError(await get("/api/v1/snapshots/1/citation.docx"), 404);
    expectError(await get("/api/v1/snapshots/999/citation.cff"), 404);
    const response = await get("/api/v1/snapshots/0/citation.bib");
    expect(response.text).not.toMatch(STACK_FRAME);
    expectError(response, 400);
  });
});

describe("the spreadsheet twin of the aggregates", () => {
  it("holds the CSV's rows, read back without exceljs: bands as text, figures as numbers, header frozen", async () => {
    const response = await get("/api/v1/aggregates.xlsx?cpt=90837");
    expect(response.status, response.text.slice(0, 200)).toBe(200);
    expect(String(response.headers["content-type"])).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(String(response.headers["content-disposition"])).toMatch(/^attachment; filename="ratecard-snapshot-1-aggregates-cpt-90837\.xlsx"$/);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    const files = unzip(response.body);
    const sheet = files.get("xl/worksheets/sheet1.xml")!.toString("utf8");
    expect(sheet).toMatch(/<pane[^>]*ySplit="1"[^>]*state="frozen"/);
    const rows = sheetRows(sheet);
    const [header, ...records] = parseCsvStrict((await get("/api/v1/aggregates.csv?cpt=90837")).text);
    expect(rows[0]!.map((cell) => cell.value)).toEqual(header);
    expect(rows.length - 1).toBe(records.length);
    const column = (name: string) => header!.indexOf(name);
    for (const [i, record] of records.entries()) {
      const cells = new Map(rows[i + 1]!.map((cell) => [columnIndex(cell.ref), cell]));
      for (const [j, value] of record.entries()) {
        const cell = cells.get(j);
        if (value === "") {
          expect(cell, `${header![j]} row ${i + 1}`).toBeUndefined();
          continue;
        }
        expect(cell?.value, `${header![j]} row ${i + 1}`).toBe(value);
      }
      expect(cells.get(column("n_band"))!.type, "n_band is text, never a date").toBe("text");
      expect(cells.get(column("p50_band"))!.type).toBe("text");
      expect(cells.get(column("cpt"))!.type).toBe("text");
      expect(cells.get(column("p50"))!.type).toBe("number");
      expect(cells.get(column("snapshot"))!.type).toBe("number");
    }
    const guide = sheetRows(files.get("xl/worksheets/sheet2.xml")!.toString("utf8")).map((row) => row.map((cell) => cell.value));
    expect(guide.find((row) => row[0] === "n_band")?.[1]).toMatch(/10-19/);
    expect(guide.find((row) => row[0] === "licence")?.[1]).toContain("CC-BY-4.0");
    expect(guide.find((row) => row[0] === "filters")?.[1]).toBe("cpt=90837");
    const workbook = files.get("xl/workbook.xml")!.toString("utf8");
    expect([...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])).toEqual(["aggregates", "columns"]);
  });

  it("revalidates with its ETag, and refuses paging controls and bad filters in the error shape", async () => {
    const first = await get("/api/v1/aggregates.xlsx?cpt=90834");
    const etag = String(first.headers.etag);
    expect(etag, "weak: the zip carries the time it was written").toMatch(/^W\/"xlsx-/);
    expect((await raw(server.url, "GET", "/api/v1/aggregates.xlsx?cpt=90834", { headers: { "If-None-Match": etag } })).status).toBe(304);
    expect(String((await get("/api/v1/aggregates.xlsx?cpt=90837")).headers.etag)).not.toBe(etag);
    expectError(await get("/api/v1/aggregates.xlsx?_size=10"), 400);
    expectError(await get("/api/v1/aggregates.xlsx?cpt=nope"), 400);
    expectError(await get("/api/v1/aggregates.xlsx?colour=red"), 400);
  });

  it("answers 400 asking for a cpt above Excel's 1,048,575 rows, and not at the limit", () => {
    expect(spreadsheetTooLarge(1_048_575)).toBeNull();
    const refused = spreadsheetTooLarge(1_048_576)!;
    expect(refused.status).toBe(400);
    return refused.json().then((body: { errors: { path: string }[] }) => expect(body.errors.map((e) => e.path)).toEqual(["cpt"]));
  });
});

describe("the SQLite download of a snapshot", () => {
  let body: Buffer;
  let file: Database.Database;
  let dir: string;

  beforeAll(async () => {
    const response = await get("/api/v1/snapshots/1/ratecard.sqlite");
    expect(response.status, response.text.slice(0, 200)).toBe(200);
    expect(String(response.headers["content-type"])).toBe("application/vnd.sqlite3");
    expect(String(response.headers["cache-control"])).toContain("immutable");
    body = response.body;
    dir = mkdtempSync(join(tmpdir(), "ratecard-download-"));
    writeFileSync(join(dir, "ratecard.sqlite"), body);
    file = new Database(join(dir, "ratecard.sqlite"), { readonly: true });
  });

  afterAll(() => {
    file?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("holds the Data Package's tables under the same names, and a metadata table, nothing else", async () => {
    const descriptor = await descriptorAt("/api/v1/snapshots/1/datapackage.json");
    const tables = (file.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual([...descriptor.resources.map((r) => r.name), "metadata"]);
    const meta = Object.fromEntries((file.prepare("SELECT key, value FROM metadata").all() as { key: string; value: string }[]).map((m) => [m.key, m.value]));
    expect(meta).toMatchObject({ snapshot_id: "1", license: "CC-BY-4.0", is_demo: "true", k: "5" });
    expect(meta.methodology_url).toMatch(/^https?:\/\/.+\/methodology$/);
  });

  it("has exactly the rows of each CSV the API publishes for the snapshot", async () => {
    const descriptor = await descriptorAt("/api/v1/snapshots/1/datapackage.json");
    for (const resource of descriptor.resources) {
      const [header, ...records] = parseCsvStrict((await get(`/api/v1/snapshots/1/${resource.path}`)).text);
      const columns = header!.map((name) => `"${name}"`).join(", ");
      const rows = file.prepare(`SELECT ${columns} FROM "${resource.name}" ORDER BY rowid`).raw().all() as unknown[][];
      const booleans = new Set(resource.schema.fields.filter((f) => f.type === "boolean").map((f) => f.name));
      const asCsv = rows.map((row) => row.map((value, i) => value === null ? "" : booleans.has(header![i]!) ? String(value === 1) : String(value)));
      expect(asCsv, resource.name).toEqual(records);
    }
  });

  it("labels the aggregates' codes and indexes the filters readers use", () => {
    const unlabelled = file.prepare("SELECT count(*) AS n FROM aggregates WHERE cpt_label IS NULL OR geo_name IS NULL OR (platform IS NOT NULL AND platform_name IS NULL) OR (payer IS NOT NULL AND payer_name IS NULL) OR (license IS NOT NULL AND license_name IS NULL)").get() as { n: number };
    expect(unlabelled.n).toBe(0);
    expect((file.prepare("SELECT geo_name FROM aggregates WHERE geo_level = 'state' AND geo = 'OR' LIMIT 1").get() as { geo_name: string }).geo_name).toBe("Oregon");
    for (const [where, index] of [["cpt = '90837'", "aggregates_cpt"], ["geo_level = 'state' AND geo = 'OR'", "aggregates_geo_level_geo"], ["payer = 'cigna'", "aggregates_payer"], ["year_window = '2025'", "aggregates_year_window"]]) {
      const plan = (file.prepare(`EXPLAIN QUERY PLAN SELECT * FROM aggregates WHERE ${where}`).all() as { detail: string }[]).map((p) => p.detail).join(" ");
      expect(plan, where).toContain("USING INDEX");
      expect(plan, where).toContain(index);
    }
  });

  it("holds no report id anywhere in its bytes", () => {
    const main = new Database(server.dbPath, { readonly: true, fileMustExist: true });
    const ids = (main.prepare("SELECT id FROM reports").all() as { id: string }[]).map((r) => r.id);
    main.close();
    expect(ids.length).toBeGreaterThan(100);
    const text = body.toString("latin1");
    // Report ids are 16 base32 characters: check every 16-character window of every base32 run.
    const known = new Set(ids);
    expect(ids.every((id) => /^[a-z2-7]{16}$/.test(id))).toBe(true);
    const found: string[] = [];
    for (const [run] of text.matchAll(/[a-z2-7]{16,}/g)) {
      for (let i = 0; i + 16 <= run.length; i++) if (known.has(run.slice(i, i + 16))) found.push(run.slice(i, i + 16));
    }
    expect(found).toEqual([]);
    expect(text.startsWith("SQLite format 3\u0000")).toBe(true);
  });

  it("revalidates with its ETag, and answers a missing snapshot in the error shape", async () => {
    const first = await get("/api/v1/snapshots/1/ratecard.sqlite");
    expect(first.body.equals(body)).toBe(true);
    const etag = String(first.headers.etag);
    expect((await raw(server.url, "GET", "/api/v1/snapshots/1/ratecard.sqlite", { headers: { "If-None-Match": etag } })).status).toBe(304);
    expectError(await get("/api/v1/snapshots/999/ratecard.sqlite"), 404);
    expectError(await get("/api/v1/snapshots/1/ratecard.sqlite?x=1"), 400);
  });
});

describe("CSV twins of the JSON tables", () => {
  /** A JSON value as its CSV twin writes it. */
  const asCsv = (value: unknown) => value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);

  async function expectTwin(jsonPath: string, csvPath: string, flatten: (row: Record<string, unknown>) => Record<string, unknown> = (row) => row) {
    const body = jsonOf<{ rows: Record<string, unknown>[] }>(await get(jsonPath));
    const response = await get(csvPath);
    expect(response.status, `${csvPath}: ${response.text.slice(0, 200)}`).toBe(200);
    expect(String(response.headers["content-type"])).toMatch(/^text\/csv/);
    const [header, ...records] = parseCsvStrict(response.text);
    const rows = body.rows.map(flatten);
    expect(rows.length, jsonPath).toBeGreaterThan(0);
    expect(header, csvPath).toEqual(Object.keys(rows[0]!));
    expect(records, csvPath).toEqual(rows.map((row) => header!.map((column) => asCsv(row[column]))));
  }

  it.each(REFERENCE_TABLES)("reference/%s.csv has the rows and columns of its JSON", (table) => expectTwin(`/api/v1/reference/${table}.json`, `/api/v1/reference/${table}.csv`));

  it("snapshots.csv is snapshots.json with changes flattened", () =>
    expectTwin("/api/v1/snapshots.json", "/api/v1/snapshots.csv", (row) =>
      Object.fromEntries(Object.entries(row).flatMap(([key, value]) => (key === "changes" ? Object.entries(value as Record<string, unknown>) : [[key, value]])))));

  it("history.csv is history.json, and refuses _shape", async () => {
    const cell = "cpt=90837&geo_level=national&channel=all&platform=all&payer=all&license=all&modality=all&year=2025-2026";
    await expectTwin(`/api/v1/history.json?${cell}`, `/api/v1/history.csv?${cell}`);
    expectError(await get(`/api/v1/history.csv?${cell}&_shape=arrays`), 400);
    expectError(await get("/api/v1/history.csv?cpt=90837"), 400);
  });

  it("shares.json and shares.csv publish the snapshot's shares, the same as the Data Package's shares.csv", async () => {
    await expectTwin("/api/v1/shares.json", "/api/v1/shares.csv");
    await expectTwin("/api/v1/snapshots/1/shares.json", "/api/v1/snapshots/1/shares.csv");
    const shares = jsonOf<{ snapshot: number; rows: { n: number; share_pct: number }[] }>(await get("/api/v1/snapshots/1/shares.json"));
    expect(shares.snapshot).toBe(1);
    for (const row of shares.rows) expect(row.n).toBeGreaterThanOrEqual(20);
    expect(String((await get("/api/v1/snapshots/1/shares.json")).headers["cache-control"])).toContain("immutable");
    expectError(await get("/api/v1/snapshots/999/shares.json"), 404);
    expectError(await get("/api/v1/reference/nope.csv"), 404);
  });
});

describe("Datasette's _shape=array", () => {
  it("answers a bare array of the rows, the next page in a Link header, until the last page", async () => {
    const openApi = jsonOf(await get("/api/v1/openapi.json"));
    const objects = jsonOf<{ rows: unknown[]; next: string | null }>(await get("/api/v1/aggregates.json?cpt=90834&state=OR&_size=1000"));
    expect(objects.next, "one page of objects holds them all").toBeNull();
    const rows: unknown[] = [];
    let next: string | null = "/api/v1/aggregates.json?cpt=90834&state=OR&_size=25&_shape=array";
    let pages = 0;
    while (next) {
      const response = await get(next);
      expect(response.status, response.text.slice(0, 200)).toBe(200);
      expectContract(openApi, "GET", next, response);
      const body = jsonOf<unknown[]>(response);
      expect(Array.isArray(body)).toBe(true);
      rows.push(...body);
      const link = response.headers.link as string | undefined;
      next = link ? /^<([^>]+)>; rel="next"$/.exec(link)![1]! : null;
      if (next) expect(next).toContain("_shape=array");
      pages++;
      expect(pages).toBeLessThan(100);
    }
    expect(pages).toBeGreaterThan(1);
    expect(rows).toEqual(objects.rows);
  });

  it("answers history.json as a bare array too", async () => {
    const cell = "cpt=90837&geo_level=national&channel=all&platform=all&payer=all&license=all&modality=all&year=2025-2026";
    const objects = jsonOf<{ rows: unknown[] }>(await get(`/api/v1/history.json?${cell}`));
    expect(jsonOf(await get(`/api/v1/history.json?${cell}&_shape=array`))).toEqual(objects.rows);
  });
});
