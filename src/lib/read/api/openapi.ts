// The OpenAPI 3.1 document of /api/v1, generated from the zod schemas the routes parse with and
// the contract tests check answers against (src/lib/schemas/api.ts); nothing here is a copy.
import { z } from "zod";
import {
  aggregatesCsvQuerySchema, aggregatesQuerySchema, apiDocs, feedQuerySchema, historyQuerySchema, noQuerySchema,
  payerRatesCsvQuerySchema, payerRatesQuerySchema, REFERENCE_TABLES, snapshotIdSchema, type ReferenceTable,
} from "../../schemas/api.ts";
import { receiptSchema } from "../../schemas/report.ts";
// Registers the release schemas (shares) in apiDocs before the components are generated.
import "../release/schemas.ts";

/** The v1 contract's own version: minor for additions, never a breaking change within v1 (docs/api.md). */
export const API_VERSION = "1.2.0"; // 1.1.0: published-basis take (issue 11); 1.2.0: verified rows, verified filter, verified_n_band (issue 12)

type JsonSchema = Record<string, unknown>;
type ObjectSchema = z.ZodObject<z.ZodRawShape>;

const ref = (id: string): JsonSchema => ({ $ref: `#/components/schemas/${id}` });

function clean(schema: JsonSchema): JsonSchema {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function queryParameters(schema: ObjectSchema): JsonSchema[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const optional = field instanceof z.ZodOptional;
    const inner = (optional ? field.unwrap() : field) as z.ZodType;
    const { description: innerDescription, examples, ...json } = clean(z.toJSONSchema(inner, { metadata: apiDocs, io: "input", unrepresentable: "any" }) as JsonSchema);
    const description = apiDocs.get(field)?.description ?? innerDescription;
    return {
      name, in: "query", required: !optional,
      ...(description ? { description } : {}),
      schema: json,
      ...(Array.isArray(examples) && examples.length > 0 ? { example: examples[0] } : {}),
    };
  });
}

function pathParameter(name: string, schema: z.ZodType, description: string): JsonSchema {
  const { description: _d, examples, ...json } = clean(z.toJSONSchema(schema, { metadata: apiDocs, io: "input", unrepresentable: "any" }) as JsonSchema);
  return { name, in: "path", required: true, description, schema: json, ...(Array.isArray(examples) ? { example: examples[0] } : {}) };
}

const errorResponse = (description: string): JsonSchema => ({
  description, content: { "application/json": { schema: ref("Error") } },
});

/** A POST that takes a receipt code in its JSON body (never in the URL). */
function receiptBodyOperation(operationId: string, summary: string, okDescription: string, okSchema: string): JsonSchema {
  return {
    post: {
      operationId, summary, tags: ["reports"],
      description: "The receipt code goes in the JSON body, so that it never lands in a URL that a proxy or server logs.",
      requestBody: { required: true, content: { "application/json": { schema: ref("ReceiptBody") } } },
      responses: {
        "200": { description: okDescription, content: { "application/json": { schema: ref(okSchema) } } },
        "400": { $ref: "#/components/responses/BadRequest" },
        "404": errorResponse("No report has this receipt code."),
        "405": { $ref: "#/components/responses/MethodNotAllowed" },
        "413": errorResponse("The body is larger than 16 KB."),
        "415": errorResponse("The body is not application/json."),
        "503": errorResponse("Storage is unavailable; see Retry-After."),
      },
    },
  };
}

const READ_ERRORS: JsonSchema = {
  "304": { description: "Not modified: the If-None-Match ETag is current.", headers: { ETag: { $ref: "#/components/headers/ETag" } } },
  "400": { $ref: "#/components/responses/BadRequest" },
  "405": { $ref: "#/components/responses/MethodNotAllowed" },
  "503": { $ref: "#/components/responses/Unavailable" },
};

const READ_HEADERS: JsonSchema = {
  ETag: { $ref: "#/components/headers/ETag" },
  "Cache-Control": { $ref: "#/components/headers/CacheControl" },
  "Access-Control-Allow-Origin": { $ref: "#/components/headers/AccessControlAllowOrigin" },
};

function read(options: {
  id: string; summary: string; description: string; query: ObjectSchema; pathParams?: JsonSchema[];
  content: Record<string, JsonSchema>; notFound?: string; extraHeaders?: JsonSchema; tags: string[];
}): JsonSchema {
  return {
    get: {
      operationId: options.id, summary: options.summary, description: options.description, tags: options.tags,
      parameters: [...(options.pathParams ?? []), ...queryParameters(options.query)],
      responses: {
        "200": { description: "OK", headers: { ...READ_HEADERS, ...options.extraHeaders }, content: Object.fromEntries(Object.entries(options.content).map(([type, schema]) => [type, { schema }])) },
        ...READ_ERRORS,
        ...(options.notFound ? { "404": errorResponse(options.notFound) } : {}),
      },
    },
  };
}

const AGGREGATES_DESCRIPTION = "Published cells. Filters are plain parameters that match published rows exactly; an omitted filter matches every value and `all` matches the rows aggregated over a dimension. Controls start with `_`.";
const objectsOrArrays = (objects: string, arrays: string): JsonSchema => ({
  oneOf: [ref(objects), ref(arrays), { type: "array", items: ref(objects === "HistoryResponse" ? "HistoryRow" : "PublishedCell"), description: "_shape=array: the rows alone." }],
});
const csvContent = { "text/csv": { type: "string", description: "RFC 4180, UTF-8, a header row with the PublishedCell columns, one row per cell." } };
const LINK_HEADER = { Link: { description: "`<next_url>; rel=\"next\"` when there is a next page.", schema: { type: "string" } } };
const snapshotParam = pathParameter("id", snapshotIdSchema, "Snapshot id, as listed by /api/v1/snapshots.json.");

const REFERENCE_SUMMARIES: Record<ReferenceTable, string> = {
  "cpt-codes": "CPT codes with our own plain-language labels",
  payers: "Payers",
  platforms: "Platforms, their fee models and disclosed owners, with sources",
  states: "States and DC with their census divisions and regions",
  "license-types": "License types and their groups",
  "medicare-rates": "Medicare national non-facility amounts per CPT code and year",
};

function paths(): JsonSchema {
  const reference = Object.fromEntries(REFERENCE_TABLES.map((table) => {
    const id = table.split("-").map((part) => part[0]!.toUpperCase() + part.slice(1)).join("");
    return [`/api/v1/reference/${table}.json`, read({
      id: `reference${id}`, summary: REFERENCE_SUMMARIES[table], description: "Reference data (edited by moderators; not versioned by snapshot).",
      query: noQuerySchema, content: { "application/json": ref(`${id}Response`) }, tags: ["reference"],
    })];
  }));
  return {
    "/api/v1/aggregates.json": read({
      id: "aggregatesJson", summary: "Published cells of the current snapshot (JSON)", description: AGGREGATES_DESCRIPTION,
      query: aggregatesQuerySchema, content: { "application/json": objectsOrArrays("AggregatesResponse", "AggregatesArraysResponse") }, extraHeaders: LINK_HEADER, tags: ["aggregates"],
    }),
    "/api/v1/aggregates.csv": read({
      id: "aggregatesCsv", summary: "Published cells of the current snapshot (CSV)", description: `${AGGREGATES_DESCRIPTION} Without _size the CSV holds every matching row.`,
      query: aggregatesCsvQuerySchema, content: csvContent, extraHeaders: LINK_HEADER, tags: ["aggregates"],
    }),
    "/api/v1/snapshots.json": read({
      id: "snapshots", summary: "Every published snapshot, newest first, with its changelog", description: "Snapshots are immutable; each names its rules version, K and band edges, and how to cite it.",
      query: noQuerySchema, content: { "application/json": ref("SnapshotsResponse") }, tags: ["snapshots"],
    }),
    "/api/v1/snapshots/{id}/aggregates.json": read({
      id: "snapshotAggregatesJson", summary: "Published cells of one snapshot (JSON, immutable)", description: `${AGGREGATES_DESCRIPTION} Cached for a year: a snapshot never changes.`,
      query: aggregatesQuerySchema, pathParams: [snapshotParam], content: { "application/json": objectsOrArrays("AggregatesResponse", "AggregatesArraysResponse") },
      notFound: "No snapshot has this id.", tags: ["snapshots"],
    }),
    "/api/v1/snapshots/{id}/aggregates.csv": read({
      id: "snapshotAggregatesCsv", summary: "Published cells of one snapshot (CSV, immutable)", description: `${AGGREGATES_DESCRIPTION} Without _size the CSV holds every matching row.`,
      query: aggregatesCsvQuerySchema, pathParams: [snapshotParam], content: csvContent, extraHeaders: LINK_HEADER,
      notFound: "No snapshot has this id.", tags: ["snapshots"],
    }),
    "/api/v1/history.json": read({
      id: "history", summary: "One cell's published figures across snapshots", description: "Name the cell completely (every dimension; `all` counts). Rows are oldest first; a snapshot in which the cell was not published has no row.",
      query: historyQuerySchema, content: { "application/json": objectsOrArrays("HistoryResponse", "HistoryArraysResponse") }, tags: ["snapshots"],
    }),
    ...payerRatePaths(),
    ...reference,
    ...releasePaths(),
    "/api/v1/openapi.json": read({
      id: "openapi", summary: "This document", description: "OpenAPI 3.1, generated from the schemas the API validates with.",
      query: noQuerySchema, content: { "application/json": { type: "object" } }, tags: ["meta"],
    }),
    "/feeds/changes.atom": read({
      id: "changesFeed", summary: "Atom feed of snapshot changes", description: "One entry per snapshot (newest 20) with the cells it added, removed or changed; optionally only for one CPT code, state or platform.",
      query: feedQuerySchema, content: { "application/atom+xml": { type: "string" } }, tags: ["snapshots"],
    }),
    "/api/v1/reports": {
      post: {
        operationId: "submitReport", summary: "Share your rates (one report)", tags: ["reports"],
        description: "The same fields as the /share form. Nothing that identifies you is kept; the receipt code is shown once.",
        requestBody: { required: true, content: { "application/json": { schema: ref("ReportSubmission") } } },
        responses: {
          "201": { description: "Stored", content: { "application/json": { schema: ref("ReceiptResponse") } } },
          "400": { $ref: "#/components/responses/BadRequest" },
          "401": errorResponse("The Privacy Pass token sent as `Authorization: PrivateToken token=…` is malformed, foreign, expired or already spent; nothing was stored."),
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
          "413": errorResponse("The body is larger than 16 KB."),
          "415": errorResponse("The body is not application/json."),
          "429": errorResponse("Too many reports from this connection; see Retry-After."),
        },
      },
    },
    "/api/v1/reports/lookup": receiptBodyOperation("lookUpReport", "View your own report (receipt code in the body)", "Your report as stored", "ReportViewResponse"),
    "/api/v1/reports/delete": receiptBodyOperation("deleteReportByBody", "Delete your own report (receipt code in the body)", "Deleted", "ReportDeletedResponse"),
    "/api/v1/reports/{receipt}": {
      parameters: [pathParameter("receipt", receiptSchema, "Your receipt code (dashes, spaces and case do not matter).")],
      get: {
        operationId: "viewReport", summary: "View your own report (discouraged: use POST /api/v1/reports/lookup)", tags: ["reports"], deprecated: true,
        responses: {
          "200": { description: "Your report as stored", content: { "application/json": { schema: ref("ReportViewResponse") } } },
          "400": { $ref: "#/components/responses/BadRequest" },
          "404": errorResponse("No report has this receipt code."),
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
        },
      },
      delete: {
        operationId: "deleteReport", summary: "Delete your own report (discouraged: use POST /api/v1/reports/delete)", tags: ["reports"], deprecated: true,
        responses: {
          "200": { description: "Deleted", content: { "application/json": { schema: ref("ReportDeletedResponse") } } },
          "400": { $ref: "#/components/responses/BadRequest" },
          "404": errorResponse("No report has this receipt code."),
        },
      },
    },
    // Issue 12: Privacy Pass (RFC 9577/9578, token type 2). The issuer directory is at /.well-known/private-token-issuer-directory.
    "/api/v1/token-challenge": {
      get: {
        operationId: "tokenChallenge", summary: "The fixed Privacy Pass challenge and issuing key", tags: ["tokens"],
        description: "Also sent as `WWW-Authenticate: PrivateToken challenge=\"…\", token-key=\"…\"`. Empty redemption context: tokens can be fetched ahead.",
        responses: {
          "200": {
            description: "The challenge, base64url",
            content: { "application/json": { schema: {
              type: "object",
              required: ["ok", "token_type", "challenge", "token_key", "issuer_name", "origin_name", "token_request_uri", "tokens_expire"],
              properties: {
                ok: { const: true }, token_type: { const: 2 }, challenge: { type: "string" }, token_key: { type: "string" },
                issuer_name: { type: "string" }, origin_name: { type: "string" }, issuer_directory: { type: "string" },
                token_request_uri: { type: "string" }, tokens_expire: { type: "string", format: "date-time" },
              },
            } } },
          },
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
        },
      },
    },
    "/api/v1/token-requests": {
      post: {
        operationId: "issueToken", summary: "Sign one blinded token request against a grant (RFC 9578)", tags: ["tokens"],
        parameters: [{ in: "header", name: "Authorization", required: true, schema: { type: "string", pattern: "^Bearer [A-Za-z0-9_-]+$" }, description: "`Bearer` and a grant code." }],
        requestBody: { required: true, content: { "application/private-token-request": { schema: { type: "string", contentEncoding: "binary" } } } },
        responses: {
          "200": { description: "The blind signature", content: { "application/private-token-response": { schema: { type: "string", contentEncoding: "binary" } } } },
          "400": errorResponse("Not a token request of type 2 for the current key."),
          "401": errorResponse("No grant code, or no grant has it."),
          "403": errorResponse("The grant has no tokens left, or was revoked."),
          "405": { $ref: "#/components/responses/MethodNotAllowed" },
          "413": errorResponse("The body is larger than a token request."),
          "415": errorResponse("The body is not application/private-token-request."),
        },
      },
    },
  };
}

const PAYER_RATES_DESCRIPTION = "Insurer-published (Transparency in Coverage) rates of a snapshot, exactly as the insurers publish them, with their source file and date: one row per file × TIN × state × CPT × modifiers × place of service × negotiated type. Filters match exactly.";
const payerRatesCsv = { "text/csv": { type: "string", description: "RFC 4180, UTF-8, a header row with the PayerRate columns; list columns `;`-joined." } };

function payerRatePaths(): JsonSchema {
  return {
    "/api/v1/payer-rates.json": read({
      id: "payerRatesJson", summary: "Insurer-published rates of the current snapshot (JSON)", description: PAYER_RATES_DESCRIPTION,
      query: payerRatesQuerySchema, content: { "application/json": ref("PayerRatesResponse") }, tags: ["payer-rates"],
    }),
    "/api/v1/payer-rates.csv": read({
      id: "payerRatesCsv", summary: "Insurer-published rates of the current snapshot (CSV)", description: `${PAYER_RATES_DESCRIPTION} Without _size the CSV holds every matching row.`,
      query: payerRatesCsvQuerySchema, content: payerRatesCsv, extraHeaders: LINK_HEADER, tags: ["payer-rates"],
    }),
    "/api/v1/snapshots/{id}/payer-rates.json": read({
      id: "snapshotPayerRatesJson", summary: "Insurer-published rates of one snapshot (JSON, immutable)", description: `${PAYER_RATES_DESCRIPTION} Cached for a year: a snapshot never changes.`,
      query: payerRatesQuerySchema, pathParams: [snapshotParam], content: { "application/json": ref("PayerRatesResponse") },
      notFound: "No snapshot has this id.", tags: ["snapshots"],
    }),
    "/api/v1/snapshots/{id}/payer-rates.csv": read({
      id: "snapshotPayerRatesCsv", summary: "Insurer-published rates of one snapshot (CSV, immutable)", description: `${PAYER_RATES_DESCRIPTION} Without _size the CSV holds every matching row.`,
      query: payerRatesCsvQuerySchema, pathParams: [snapshotParam], content: payerRatesCsv, extraHeaders: LINK_HEADER,
      notFound: "No snapshot has this id.", tags: ["snapshots"],
    }),
  };
}

function componentSchemas(): Record<string, JsonSchema> {
  const options = { metadata: apiDocs, target: "draft-2020-12" as const, uri: (id: string) => `#/components/schemas/${id}`, unrepresentable: "any" as const };
  const output = z.toJSONSchema(apiDocs, { ...options, io: "output" }).schemas as Record<string, JsonSchema>;
  // Request bodies are documented as clients send them (defaults may be left out).
  const input = z.toJSONSchema(apiDocs, { ...options, io: "input" }).schemas as Record<string, JsonSchema>;
  const schemas = Object.fromEntries(Object.entries(output).map(([id, schema]) => [id, clean(schema)]));
  schemas.ReportSubmission = clean(input.ReportSubmission!);
  return schemas;
}

export function openApiDocument(): JsonSchema {
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Ratecard API",
      version: API_VERSION,
      summary: "What US therapists are paid per session, published only as anonymous aggregates.",
      description: "Stable within v1: documented keys never change (docs/api.md). Data licensed CC BY 4.0: cite the snapshot, e.g. \"Ratecard, snapshot 12, 2026-11-24\". Methodology: /methodology.",
      license: { name: "CC BY 4.0 (data)", url: "https://creativecommons.org/licenses/by/4.0/" },
    },
    servers: [{ url: "/" }],
    tags: [
      { name: "aggregates", description: "Published cells of the current snapshot" },
      { name: "snapshots", description: "Immutable, citable publications and their changes" },
      { name: "reference", description: "Codes and names the cells use" },
      { name: "payer-rates", description: "Insurer-published rates per payer, platform and CPT code" },
      { name: "reports", description: "Sharing, viewing and deleting your own report" },
      { name: "meta", description: "This document" },
      { name: "releases", description: "Data Packages, per-snapshot CSV files and citations, for journalists" },
    ],
    paths: paths(),
    components: {
      schemas: componentSchemas(),
      responses: {
        BadRequest: errorResponse("A parameter is unknown, repeated or invalid; `errors` names each one."),
        MethodNotAllowed: { ...errorResponse("This method is not allowed here; see the Allow header."), headers: { Allow: { schema: { type: "string" } } } },
        Unavailable: errorResponse("No snapshot has been published yet, or the data could not be read; retry later."),
      },
      headers: {
        ETag: { description: "Strong validator of the body; send it back in If-None-Match for a 304.", schema: { type: "string" } },
        CacheControl: { description: "`public, max-age=60` for the current snapshot, `public, max-age=31536000, immutable` for /snapshots/{id}/….", schema: { type: "string" } },
        AccessControlAllowOrigin: { description: "Always `*`.", schema: { type: "string", const: "*" } },
      },
    },
  };
}

// ---- releases for journalists (issue 15) ----

const DATA_PACKAGE_CONTENT = { "application/json": { type: "object", description: "A Frictionless Data Package v2 descriptor (https://datapackage.org/standard/data-package/)." } };
const formatParam: JsonSchema = { name: "format", in: "path", required: true, description: "cff (Citation File Format 1.2.0), bib (BibTeX) or ris (RIS).", schema: { enum: ["cff", "bib", "ris"] } };

function releasePaths(): JsonSchema {
  const releaseCsv = (id: string, summary: string, pathParams: JsonSchema[]) => read({
    id, summary, description: "RFC 4180 CSV, as the snapshot's Data Package describes it (Table Schema, missing values empty). Immutable.",
    query: noQuerySchema, pathParams, content: { "text/csv": { type: "string" } }, notFound: "No snapshot has this id, or it has no such table.", tags: ["releases"],
  });
  const csvTwin = (id: string, summary: string, query: ObjectSchema, tags: string[], pathParams: JsonSchema[] = []) => read({
    id, summary, description: "The CSV twin of the JSON answer: the same columns (nested values as JSON text, empty for null), RFC 4180, UTF-8.",
    query, pathParams, content: { "text/csv": { type: "string" } }, tags, ...(pathParams.length > 0 ? { notFound: "No snapshot has this id." } : {}),
  });
  const sharesJson = (pathParams: JsonSchema[]) => ({ query: noQuerySchema, pathParams, content: { "application/json": ref("SharesResponse") }, tags: ["snapshots"] });
  return {
    ...Object.fromEntries(REFERENCE_TABLES.map((table) => [
      `/api/v1/reference/${table}.csv`,
      csvTwin(`reference${table.split("-").map((part) => part[0]!.toUpperCase() + part.slice(1)).join("")}Csv`, `${REFERENCE_SUMMARIES[table]} (CSV)`, noQuerySchema, ["reference"]),
    ])),
    "/api/v1/snapshots.csv": csvTwin("snapshotsCsv", "Every published snapshot (CSV; changes flattened into previous_snapshot, added, removed, changed, unchanged)", noQuerySchema, ["snapshots"]),
    "/api/v1/history.csv": csvTwin("historyCsv", "One cell's published figures across snapshots (CSV)", historyQuerySchema, ["snapshots"]),
    "/api/v1/shares.json": read({ id: "shares", summary: "Platform-experience shares of the current snapshot", description: "Debiased shares (rule \"Randomized answers\") per platform (or all) and question, only with 20 or more answers.", ...sharesJson([]) }),
    "/api/v1/shares.csv": csvTwin("sharesCsv", "Platform-experience shares of the current snapshot (CSV)", noQuerySchema, ["snapshots"]),
    "/api/v1/snapshots/{id}/shares.json": read({ id: "snapshotShares", summary: "Platform-experience shares of one snapshot (immutable)", description: "As /api/v1/shares.json, for one snapshot.", notFound: "No snapshot has this id.", ...sharesJson([snapshotParam]) }),
    "/api/v1/aggregates.xlsx": read({
      id: "aggregatesXlsx", summary: "Published cells of the current snapshot as a spreadsheet (.xlsx)",
      description: `The same filters as aggregates.json (not _size, _next or _fallback: a spreadsheet holds every matching row). Bands are text cells, figures numbers, the header row frozen; a second sheet explains the columns and the licence. More than ${(1_048_575).toLocaleString("en-US")} matching rows: 400, asking for a cpt.`,
      query: aggregatesCsvQuerySchema, content: { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { type: "string", format: "binary" } }, tags: ["releases"],
    }),
    "/api/v1/payer-rates.xlsx": read({
      id: "payerRatesXlsx", summary: "Insurer-published rates of the current snapshot as a spreadsheet (.xlsx)",
      description: "The same filters as payer-rates.csv (not _size or _next: a spreadsheet holds every matching row). List columns are `;`-joined text, dollars numbers exactly as published, the header row frozen; a second sheet explains the columns and the licence.",
      query: payerRatesCsvQuerySchema, content: { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { type: "string", format: "binary" } }, tags: ["releases"],
    }),
    "/api/v1/datapackage.json": read({
      id: "dataPackage", summary: "Data Package of the current snapshot", description: "The current snapshot's descriptor; its resource paths start with snapshots/{id}/ and resolve to that snapshot's immutable files.",
      query: noQuerySchema, content: DATA_PACKAGE_CONTENT, tags: ["releases"],
    }),
    "/api/v1/snapshots/{id}/datapackage.json": read({
      id: "snapshotDataPackage", summary: "Data Package of one snapshot (immutable)", description: "A Table Schema per CSV: aggregates, shares and the reference tables the snapshot was built with.",
      query: noQuerySchema, pathParams: [snapshotParam], content: DATA_PACKAGE_CONTENT, notFound: "No snapshot has this id.", tags: ["releases"],
    }),
    "/api/v1/snapshots/{id}/ratecard.sqlite": read({
      id: "snapshotSqlite", summary: "One snapshot's published tables as a SQLite database (immutable)",
      description: "The Data Package's tables under the same names (aggregates with code labels, indexed for the filters), and a metadata table (snapshot id, licence, methodology). Opens in sqlite3, Datasette or DuckDB.",
      query: noQuerySchema, pathParams: [snapshotParam], content: { "application/vnd.sqlite3": { type: "string", format: "binary" } }, notFound: "No snapshot has this id.", tags: ["releases"],
    }),
    "/api/v1/snapshots/{id}/shares.csv": releaseCsv("snapshotSharesCsv", "Platform-experience shares of one snapshot (CSV)", [snapshotParam]),
    ...Object.fromEntries(REFERENCE_TABLES.map((table) => [
      `/api/v1/snapshots/{id}/reference/${table}.csv`,
      releaseCsv(`snapshotReference${table.split("-").map((part) => part[0]!.toUpperCase() + part.slice(1)).join("")}Csv`, `${REFERENCE_SUMMARIES[table]}, as one snapshot was built with them (CSV)`, [snapshotParam]),
    ])),
    "/api/v1/snapshots/{id}/citation.{format}": read({
      id: "snapshotCitation", summary: "How to cite one snapshot", description: "CFF, BibTeX or RIS naming the snapshot id, its date and its permanent URL.",
      query: noQuerySchema, pathParams: [snapshotParam, formatParam],
      content: { "application/x-yaml": { type: "string" }, "application/x-bibtex": { type: "string" }, "application/x-research-info-systems": { type: "string" } },
      notFound: "No snapshot has this id, or no citation has this format.", tags: ["releases"],
    }),
  };
}
