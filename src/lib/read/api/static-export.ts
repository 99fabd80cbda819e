// The read API as static files (`npm run export`, docs/deploy.md): which URLs to write, where each
// answer goes on disk, and an nginx configuration that serves them with the API's headers.
import { join } from "node:path";
import { REFERENCE_TABLES } from "../../schemas/api.ts";
import type { Db } from "../../server/db.ts";
import { listSnapshots, type Snapshot } from "../published.ts";
import { API_CSP, COMMON_SECURITY_HEADERS } from "../../server/security-headers.ts";
import { CURRENT_CACHE_CONTROL, IMMUTABLE_CACHE_CONTROL, READ_HEADERS } from "./cache.ts";
import { allCells } from "./changelog.ts";
import { releaseTables } from "../release/tables.ts";
import { aggregates, changesFeed, history, openApi, payerRates, reference, snapshots, type ReadRequest } from "./endpoints.ts";
import { historyCsv, referenceCsv, shares, snapshotsCsv } from "./csv-twins.ts";
import { citationAnswer, dataPackageAnswer, releaseTableCsv, sqliteDownloadAnswer } from "./release-endpoints.ts";
import { CITATION_FORMATS, CITATION_TYPES } from "../release/citation.ts";

/** Answers a read-API URL the way its route does (the routes call the same functions). */
export function answerRead(url: URL, headers: HeadersInit = {}): Response | undefined {
  const read: ReadRequest = { request: new Request(url, { headers }), url };
  const path = url.pathname;
  let match: RegExpExecArray | null;
  if (path === "/api/v1/aggregates.json") return aggregates(read, "json");
  if (path === "/api/v1/aggregates.csv") return aggregates(read, "csv");
  if (path === "/api/v1/snapshots.json") return snapshots(read);
  if ((match = /^\/api\/v1\/snapshots\/([^/]+)\/aggregates\.(json|csv)$/.exec(path))) return aggregates(read, match[2] as "json" | "csv", match[1]);
  if ((match = /^\/api\/v1\/reference\/([^/]+)\.json$/.exec(path))) return reference(read, match[1]);
  if (path === "/api/v1/history.json") return history(read);
  if (path === "/api/v1/openapi.json") return openApi(read);
  if (path === "/feeds/changes.atom") return changesFeed(read);
  if (path === "/api/v1/datapackage.json") return dataPackageAnswer(read);
  if (path === "/api/v1/snapshots.csv") return snapshotsCsv(read);
  if (path === "/api/v1/history.csv") return historyCsv(read);
  if (path === "/api/v1/shares.json") return shares(read, "json");
  if (path === "/api/v1/shares.csv") return shares(read, "csv");
  if ((match = /^\/api\/v1\/reference\/([^/]+)\.csv$/.exec(path))) return referenceCsv(read, match[1]);
  if ((match = /^\/api\/v1\/snapshots\/([^/]+)\/shares\.json$/.exec(path))) return shares(read, "json", match[1]);
  if ((match = /^\/api\/v1\/snapshots\/([^/]+)\/datapackage\.json$/.exec(path))) return dataPackageAnswer(read, match[1]);
  if ((match = /^\/api\/v1\/snapshots\/([^/]+)\/((?:reference\/[^/]+|shares)\.csv)$/.exec(path))) return releaseTableCsv(read, match[1]!, match[2]!);
  if ((match = /^\/api\/v1\/snapshots\/([^/]+)\/citation\.([^/.]+)$/.exec(path))) return citationAnswer(read, match[1]!, match[2]!);
  if ((match = /^\/api\/v1\/snapshots\/([^/]+)\/ratecard\.sqlite$/.exec(path))) return sqliteDownloadAnswer(read, match[1]!);
  if (path === "/api/v1/payer-rates.json") return payerRates(read, "json");
  if (path === "/api/v1/payer-rates.csv") return payerRates(read, "csv");
  if ((match = /^\/api\/v1\/snapshots\/([^/]+)\/payer-rates\.(json|csv)$/.exec(path))) return payerRates(read, match[2] as "json" | "csv", match[1]);
  return undefined;
}

/** Where the answer to a path and query lives under the export's files/ folder. */
export function exportFilePath(filesDir: string, url: URL): string {
  return join(filesDir, ...url.pathname.split("/").filter(Boolean), `@${url.search.slice(1)}`);
}

/** Filters exported one at a time (each with all its pages); others are answered by the origin, if any. */
export const EXPORTED_FILTERS = ["cpt", "state", "division", "geo_level", "channel", "platform", "payer", "license", "license_group", "modality", "year"] as const;
export type ExportedFilter = (typeof EXPORTED_FILTERS)[number];

/** Every value each single filter can usefully take in a snapshot: the values its rows hold. */
function filterValues(db: Db, snapshot: Snapshot): Record<ExportedFilter, Set<string>> {
  const values = Object.fromEntries(EXPORTED_FILTERS.map((name) => [name, new Set<string>()])) as Record<ExportedFilter, Set<string>>;
  for (const cell of allCells(db, snapshot.id)) {
    values.cpt.add(cell.cpt);
    values.geo_level.add(cell.geoLevel);
    if (cell.geoLevel === "state") values.state.add(cell.geo);
    if (cell.geoLevel === "division") values.division.add(cell.geo);
    values.channel.add(cell.channel ?? "all");
    values.platform.add(cell.platform ?? "all");
    values.payer.add(cell.payer ?? "all");
    if (cell.licenseLevel === "group") values.license_group.add(cell.license!);
    else values.license.add(cell.license ?? "all");
    values.modality.add(cell.modality);
    values.year.add(cell.yearWindow);
  }
  return values;
}

/** The first pages of every exported query; the exporter follows each answer's next_url. */
export function exportStartUrls(db: Db, current: Snapshot, options: { filters: readonly ExportedFilter[]; allSnapshots: boolean }): string[] {
  const urls = [
    "/api/v1/snapshots.json", "/api/v1/openapi.json", "/feeds/changes.atom",
    ...REFERENCE_TABLES.map((table) => `/api/v1/reference/${table}.json`),
    "/api/v1/aggregates.json", "/api/v1/aggregates.csv", "/api/v1/datapackage.json",
    "/api/v1/payer-rates.json", "/api/v1/payer-rates.csv",
    "/api/v1/snapshots.csv", "/api/v1/shares.json", "/api/v1/shares.csv", ...REFERENCE_TABLES.map((table) => `/api/v1/reference/${table}.csv`),
  ];
  const pinned = options.allSnapshots ? listSnapshots(db).filter((s) => s.id <= current.id) : [current];
  // The rows from verified reports alone (issue 12) are asked for with verified=true, there as here.
  urls.push("/api/v1/aggregates.json?verified=true", "/api/v1/aggregates.csv?verified=true");
  for (const snapshot of pinned) {
    urls.push(`/api/v1/snapshots/${snapshot.id}/aggregates.json`, `/api/v1/snapshots/${snapshot.id}/aggregates.csv`);
    urls.push(`/api/v1/snapshots/${snapshot.id}/aggregates.json?verified=true`, `/api/v1/snapshots/${snapshot.id}/aggregates.csv?verified=true`);
  }
  // Each exported snapshot's release: its Data Package, every CSV that names, and its citations.
  for (const snapshot of pinned) {
    urls.push(`/api/v1/snapshots/${snapshot.id}/datapackage.json`, `/api/v1/snapshots/${snapshot.id}/ratecard.sqlite`, `/api/v1/snapshots/${snapshot.id}/shares.json`, ...CITATION_FORMATS.map((f) => `/api/v1/snapshots/${snapshot.id}/citation.${f}`));
    for (const table of releaseTables(db, snapshot)) if (table.path !== "aggregates.csv") urls.push(`/api/v1/snapshots/${snapshot.id}/${table.path}`);
  }
  for (const snapshot of pinned) urls.push(`/api/v1/snapshots/${snapshot.id}/payer-rates.json`, `/api/v1/snapshots/${snapshot.id}/payer-rates.csv`);
  const values = filterValues(db, current);
  for (const name of options.filters) {
    for (const value of [...values[name]].sort()) {
      const query = new URLSearchParams({ [name]: value }).toString();
      urls.push(`/api/v1/aggregates.json?${query}`, `/api/v1/aggregates.csv?${query}`);
      if (name === "cpt" || name === "state" || name === "platform") {
        if (value !== "all") urls.push(`/feeds/changes.atom?${query}`);
      }
    }
  }
  return urls;
}

function headerLines(headers: Record<string, string>, indent: string): string {
  return Object.entries(headers).map(([name, value]) => `${indent}add_header ${name} ${quote(value)} always;`).join("\n");
}

function quote(value: string): string {
  return `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

export type NginxSiteOptions = {
  /** Absolute path of the export's files/ folder. */
  filesDir: string;
  listen: string;
  /** The exported snapshot: current-snapshot CSVs are named after it. */
  snapshotId: number;
  /** Send what was not exported to this server (e.g. http://127.0.0.1:4321); without it, 404. */
  origin?: string | undefined;
};

/**
 * The nginx site (for an `http {}` block): every exported URL from its file, with the headers
 * the server sends (Content-Type, Cache-Control, CORS, the security headers) and the API's
 * error shape for what is missing or not allowed.
 */
export function nginxSite(options: NginxSiteOptions): string {
  const security = { ...COMMON_SECURITY_HEADERS, "X-Frame-Options": "DENY", "Content-Security-Policy": API_CSP };
  const read = { ...READ_HEADERS, ...security };
  const miss = options.origin ? "@origin" : "=404";
  const location = (pattern: string, type: string, cacheControl: string, extra: Record<string, string> = {}) => [
    `  location ${pattern} {`,
    "    types { }",
    `    default_type ${quote(type)};`,
    headerLines({ ...read, "Cache-Control": cacheControl, ...extra }, "    "),
    `    try_files $uri/@$args ${miss};`,
    "  }",
  ].join("\n");
  const error = (status: number, message: string, extra: Record<string, string> = {}) => [
    `  location = /_errors/${status}.json {`,
    "    internal;",
    "    types { }",
    '    default_type "application/json; charset=utf-8";',
    headerLines({ "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store", ...security, ...extra }, "    "),
    `    return ${status} ${quote(JSON.stringify({ ok: false, status, error: message, errors: [] }))};`,
    "  }",
  ].join("\n");
  return [
    "# Generated by `npm run export` (docs/deploy.md): the read API of one snapshot, served from files.",
    "map $request_method $ratecard_preflight_methods { OPTIONS \"GET, HEAD, OPTIONS\"; default \"\"; }",
    "map $request_method $ratecard_preflight_headers { OPTIONS \"If-None-Match\"; default \"\"; }",
    "server {",
    `  listen ${options.listen};`,
    `  root ${options.filesDir};`,
    "  server_tokens off;",
    "  charset off;",
    "  sendfile on;",
    "  tcp_nopush on;",
    "  error_page 404 /_errors/404.json;",
    "  error_page 405 /_errors/405.json;",
    // A preflight gets the CORS headers (server-level add_header applies where a location has none).
    "  add_header Access-Control-Allow-Origin \"*\" always;",
    "  add_header Access-Control-Allow-Methods $ratecard_preflight_methods always;",
    "  add_header Access-Control-Allow-Headers $ratecard_preflight_headers always;",
    "  add_header Access-Control-Max-Age 86400 always;",
    "  if ($request_method = OPTIONS) { return 204; }",
    "  if ($request_method !~ ^(GET|HEAD)$) { return 405; }",
    location("~ ^/api/v1/snapshots/(\\d+)/aggregates\\.json$", "application/json; charset=utf-8", IMMUTABLE_CACHE_CONTROL),
    location("~ ^/api/v1/snapshots/(\\d+)/aggregates\\.csv$", "text/csv; charset=utf-8; header=present", IMMUTABLE_CACHE_CONTROL, {
      "Content-Disposition": 'attachment; filename="ratecard-snapshot-$1-aggregates.csv"',
    }),
    location("~ ^/api/v1/snapshots/(\\d+)/ratecard\\.sqlite$", "application/vnd.sqlite3", IMMUTABLE_CACHE_CONTROL, {
      "Content-Disposition": 'attachment; filename="ratecard-snapshot-$1.sqlite"',
    }),
    location("~ ^/api/v1/snapshots/(\\d+)/(?:datapackage|shares)\\.json$", "application/json; charset=utf-8", IMMUTABLE_CACHE_CONTROL),
    location("~ ^/api/v1/snapshots/(\\d+)/(?:reference/)?([a-z-]+)\\.csv$", "text/csv; charset=utf-8; header=present", IMMUTABLE_CACHE_CONTROL, {
      "Content-Disposition": 'attachment; filename="ratecard-snapshot-$1-$2.csv"',
    }),
    ...CITATION_FORMATS.map((format) => location(`~ ^/api/v1/snapshots/(\\d+)/citation\\.${format}$`, CITATION_TYPES[format], IMMUTABLE_CACHE_CONTROL, {
      "Content-Disposition": `attachment; filename="ratecard-snapshot-$1.${format}"`,
    })),
    location("~ \\.json$", "application/json; charset=utf-8", CURRENT_CACHE_CONTROL),
    location("= /api/v1/snapshots.csv", "text/csv; charset=utf-8; header=present", CURRENT_CACHE_CONTROL, { "Content-Disposition": 'attachment; filename="ratecard-snapshots.csv"' }),
    location("= /api/v1/shares.csv", "text/csv; charset=utf-8; header=present", CURRENT_CACHE_CONTROL, {
      "Content-Disposition": `attachment; filename="ratecard-snapshot-${options.snapshotId}-shares.csv"`,
    }),
    location("~ ^/api/v1/reference/([a-z-]+)\\.csv$", "text/csv; charset=utf-8; header=present", CURRENT_CACHE_CONTROL, { "Content-Disposition": 'attachment; filename="ratecard-reference-$1.csv"' }),
    location("~ \\.csv$", "text/csv; charset=utf-8; header=present", CURRENT_CACHE_CONTROL, {
      "Content-Disposition": `attachment; filename="ratecard-snapshot-${options.snapshotId}-aggregates.csv"`,
    }),
    // The feed is not under /api/, so it has the pages' policy (src/middleware.ts).
    location("~ \\.atom$", "application/atom+xml; charset=utf-8", CURRENT_CACHE_CONTROL, { "Content-Security-Policy": "frame-ancestors 'none'" }),
    error(404, "Not found"),
    error(405, "Use GET or HEAD here", { Allow: "GET, HEAD, OPTIONS" }),
    ...(options.origin ? [`  location @origin {\n    proxy_pass ${options.origin};\n    proxy_set_header Host $host;\n    proxy_hide_header Access-Control-Allow-Origin;\n  }`] : []),
    "}",
    "",
  ].join("\n");
}

/** A complete nginx.conf that runs the site as its own process, with pid, logs and temp files in `dir`. */
export function nginxStandalone(dir: string, sitePath: string, workerProcesses: number | "auto" = "auto"): string {
  return [
    "# Generated by `npm run export`: run with `nginx -c <this file>`; stop with `nginx -c <this file> -s quit`.",
    `worker_processes ${workerProcesses};`,
    `pid ${join(dir, "nginx.pid")};`,
    `error_log ${join(dir, "error.log")};`,
    "events { worker_connections 1024; }",
    "http {",
    "  access_log off;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) => `  ${kind}_temp_path ${join(dir, "tmp", kind)};`),
    `  include ${sitePath};`,
    "}",
    "",
  ].join("\n");
}
