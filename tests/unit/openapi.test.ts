// The OpenAPI document is generated from the route schemas and is a valid OpenAPI 3.1 document:
// every route has a path, every $ref resolves, every schema uses keywords a checker understands.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { PUBLISHED_COLUMNS, REFERENCE_TABLES } from "../../src/lib/schemas/api.ts";
import { openApiDocument } from "../../src/lib/read/api/openapi.ts";
import { allRefs, resolveRef, unknownKeywords, type Schema } from "../api/support/json-schema.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON documents, walked by key
type Doc = Record<string, any>;
const doc = openApiDocument() as Doc;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const root = join(import.meta.dirname, "../..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The URL paths the API's route files serve, in OpenAPI template form. */
function routePaths(): string[] {
  const routes = [...files(join(root, "src/pages/api/v1")), ...files(join(root, "src/pages/feeds"))]
    .map((file) => `/${relative(join(root, "src/pages"), file)}`.replace(/\.ts$/, "").replace(/\/index$/, "").replace(/\[(\w+)\]/g, "{$1}"));
  return routes.flatMap((route) => route.includes("{table}") ? REFERENCE_TABLES.map((t) => route.replace("{table}", t)) : [route]);
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with the required top-level fields", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe("string");
    expect(doc.info.version).toMatch(/^1\.\d+\.\d+$/);
    expect(doc.jsonSchemaDialect).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
  });

  it("documents every route file under /api/v1 and /feeds", () => {
    const documented = Object.keys(doc.paths);
    for (const path of routePaths()) expect(documented, path).toContain(path);
  });

  it("has well-formed operations: unique ids, responses, parameters named once with a schema", () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Doc>)) {
      expect(path.startsWith("/")).toBe(true);
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const method of Object.keys(item).filter((key) => METHODS.includes(key))) {
        const operation = item[method] as Doc;
        expect(ids.has(operation.operationId), operation.operationId).toBe(false);
        ids.add(operation.operationId);
        expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
        for (const code of Object.keys(operation.responses)) expect(code).toMatch(/^[1-5]\d\d$/);
        const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])] as Doc[];
        const names = parameters.map((p) => `${p.in}:${p.name}`);
        expect(new Set(names).size, `${path} ${method}`).toBe(names.length);
        for (const parameter of parameters) {
          expect(["query", "path", "header", "cookie"]).toContain(parameter.in);
          expect(parameter.schema, `${path} ${parameter.name}`).toBeTypeOf("object");
          if (parameter.in === "path") expect(parameter.required).toBe(true);
        }
        expect(parameters.filter((p) => p.in === "path").map((p) => p.name).sort()).toEqual([...templated].sort());
      }
    }
  });

  it("resolves every $ref", () => {
    const refs = allRefs(doc);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(resolveRef(doc, ref), ref).toBeDefined();
  });

  it("uses only JSON Schema keywords the contract checker understands", () => {
    const schemas = [
      ...Object.values(doc.components.schemas as Record<string, Schema>),
      ...Object.values(doc.paths as Record<string, Doc>).flatMap((item) => Object.values(item).flatMap((op: Doc) => (op?.parameters ?? []).map((p: Doc) => p.schema))),
      ...((Object.values(doc.paths) as Doc[]).flatMap((item) => (item.parameters ?? []).map((p: Doc) => p.schema))),
    ];
    for (const schema of schemas) expect(unknownKeywords(schema)).toEqual([]);
  });

  it("documents the published cell with exactly the DESIGN.md columns, snapshot first and note last", () => {
    const cell = doc.components.schemas.PublishedCell;
    expect(Object.keys(cell.properties)).toEqual(PUBLISHED_COLUMNS);
    expect(PUBLISHED_COLUMNS).toEqual([
      "snapshot", "cpt", "geo_level", "geo", "channel", "platform", "payer", "license_level", "license", "modality", "year_window",
      "n", "n_band", "p10", "p25", "p50", "p75", "p90", "p25_band", "p50_band", "p75_band", "p50_share_in_band", "medicare",
      "p50_pct_medicare", "allowed_p50", "take_p50", "take_low", "take_high",
      "published_rate", "take_published_p50", "take_published_low", "take_published_high", "note",
    ]);
    expect(cell.required).toEqual(PUBLISHED_COLUMNS);
    expect(cell.additionalProperties).toBe(false);
  });

  it("documents the aggregates filters and controls as query parameters", () => {
    const names = (doc.paths["/api/v1/aggregates.json"].get.parameters as Doc[]).map((p) => p.name);
    expect(names).toEqual(["cpt", "state", "division", "geo_level", "channel", "platform", "payer", "license", "license_group", "modality", "year", "_size", "_next", "_shape", "_fallback"]);
    const csvNames = (doc.paths["/api/v1/aggregates.csv"].get.parameters as Doc[]).map((p) => p.name);
    expect(csvNames).not.toContain("_shape");
  });

  it("is plain JSON (no functions, no undefined) and the same every time", () => {
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(JSON.stringify(openApiDocument())).toBe(JSON.stringify(doc));
  });
});
