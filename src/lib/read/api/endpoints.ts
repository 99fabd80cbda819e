// The read API's answers. Routes in src/pages/api/v1 and src/pages/feeds call these; so does
// `npm run export`, which is how the static copy is byte-identical to the server's answers.
import type { z } from "zod";
import {
  aggregatesCsvQuerySchema, aggregatesQuerySchema, DEFAULT_PAGE_SIZE, feedQuerySchema, historyQuerySchema, noQuerySchema,
  PUBLISHED_COLUMNS, REFERENCE_TABLES, snapshotIdSchema, type FilterQuery, type PublishedCellRow, type ReferenceTable, type SnapshotInfo,
  HISTORY_COLUMNS, type HistoryRow,
} from "../../schemas/api.ts";
import { apiError } from "../../server/api-response.ts";
import { config } from "../../server/config.ts";
import { database, type Db } from "../../server/db.ts";
import { cellWithFallback, findCells, listSnapshots, snapshotById, type CellFilter, type Snapshot } from "../published.ts";
import {
  CURRENT_CACHE_CONTROL, IMMUTABLE_CACHE_CONTROL, currentSnapshot, readCacheKey, responseCache, sendStored, storedResponse,
  type StoredResponse,
} from "./cache.ts";
import { allCells, comparablePrevious, snapshotChanges } from "./changelog.ts";
import { cellSeries, wholeCellKey } from "../cell-changes.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { atomFeed, FEED_ENTRIES, FEED_EXAMPLES } from "./feed.ts";
import { openApiDocument } from "./openapi.ts";
import { canonicalFilter, cellFilterOf, fallbackRequestOf, parseQuery, type ObjectSchema } from "./query.ts";
import { referenceRows } from "./reference-rows.ts";
import { referenceContext } from "../reference-context.ts";
import { CSV_HEADER, publishedRow, rowAsArray, rowAsCsv } from "./rows.ts";
import { publishedReportCount } from "../../rules/report-count.ts";
import { findPayerRates, publishedTakeOf } from "../payer-rates.ts";
import { PAYER_RATES_CSV_HEADER, payerRateAsCsv, payerRateRow } from "./payer-rate-rows.ts";
import { payerRatesCsvQuerySchema, payerRatesQuerySchema } from "../../schemas/api.ts";

export type ReadRequest = { request: Request; url: URL };

const JSON_TYPE = "application/json; charset=utf-8";
const CSV_TYPE = "text/csv; charset=utf-8; header=present";
const ATOM_TYPE = "application/atom+xml; charset=utf-8";

export type Built = { ok: true; stored: StoredResponse; cache: boolean } | { ok: false; response: Response };

/** Any failure to read is a 503 in the error shape: a read never answers 500 or shows a stack trace. */
export function guarded(read: ReadRequest, handle: () => Response): Response {
  try {
    return handle();
  } catch (error) {
    console.error(`Read API failure on ${read.url.pathname}: ${(error as Error).message}`);
    return apiError(503, "The published data could not be read; try again shortly");
  }
}

/** Answers from the cache when it can, else builds, caches and answers. */
export function answer(read: ReadRequest, key: string | null, build: () => Built): Response {
  const cached = key === null ? undefined : responseCache.get(key);
  if (cached) return sendStored(cached, read.request);
  const built = build();
  if (!built.ok) return built.response;
  if (key !== null && built.cache) responseCache.set(key, built.stored);
  return sendStored(built.stored, read.request);
}

export const fail = (response: Response): Built => ({ ok: false, response });
export const json = (body: unknown, cacheControl: string, cache = true): Built =>
  ({ ok: true, stored: storedResponse(JSON.stringify(body), { "Content-Type": JSON_TYPE, "Cache-Control": cacheControl }), cache });

export function noSnapshot(): Response {
  return apiError(503, "No snapshot has been published yet", [], { "Retry-After": "60" });
}

/**
 * The snapshot a /api/v1/snapshots/{id}/… route names, and the current one: 503 before the first
 * snapshot, 400 for an id that is not one, 404 for one not (yet) published.
 */
export type Pinned = { ok: true; snapshot: Snapshot; current: Snapshot } | { ok: false; response: Response };

export function pinnedSnapshot(db: Db, param: string): Pinned {
  const current = currentSnapshot(db);
  if (!current) return { ok: false, response: noSnapshot() };
  const id = snapshotIdSchema.safeParse(param);
  if (!id.success) return { ok: false, response: apiError(400, "Invalid snapshot id", [{ path: "id", message: id.error.issues[0]!.message }]) };
  const snapshot = id.data <= current.id ? snapshotById(db, id.data) : undefined;
  if (!snapshot) return { ok: false, response: apiError(404, `There is no snapshot ${id.data}`, [{ path: "id", message: "See /api/v1/snapshots.json for the published snapshots" }]) };
  return { ok: true, snapshot, current };
}

/**
 * Answers a route that serves the current snapshot, or with `snapshotParam` one pinned snapshot
 * (immutable), cached under the current snapshot's id.
 */
export function pinnedOrCurrentAnswer(
  read: ReadRequest,
  snapshotParam: string | undefined,
  build: (db: Db, pinned: Snapshot | undefined, snapshot: Snapshot) => Built,
): Response {
  return guarded(read, () => {
    const db = database().db;
    const found = snapshotParam === undefined ? null : pinnedSnapshot(db, snapshotParam);
    if (found && !found.ok) return found.response;
    const pinned = found?.snapshot;
    const current = found?.current ?? currentSnapshot(db);
    if (!current) return noSnapshot();
    return answer(read, readCacheKey(current.id, read.url), () => build(db, pinned, pinned ?? current));
  });
}

/**
 * The same, for a route whose query is one schema: the build gets the parsed query, or the request
 * gets the schema's 400 (after the cache, which keeps answers, not refusals).
 */
export function snapshotQueryAnswer<S extends ObjectSchema>(
  read: ReadRequest,
  snapshotParam: string | undefined,
  schema: S,
  build: (db: Db, snapshot: Snapshot, query: z.output<S>, pinned: boolean) => Built,
): Response {
  return pinnedOrCurrentAnswer(read, snapshotParam, (db, pinned, snapshot) => {
    const parsed = parseQuery(read.url.searchParams, schema);
    if (!parsed.ok) return fail(parsed.response);
    return build(db, snapshot, parsed.value, pinned !== undefined);
  });
}

// ---- aggregates ----

type Format = "json" | "csv";

/**
 * /api/v1/aggregates.{json,csv} (current snapshot) and /api/v1/snapshots/{id}/aggregates.{json,csv}
 * (one snapshot, immutable).
 */
export function aggregates(read: ReadRequest, format: Format, snapshotParam?: string): Response {
  return pinnedOrCurrentAnswer(read, snapshotParam, (db, pinned, snapshot) => buildAggregates(db, read.url, format, pinned, snapshot));
}

function buildAggregates(db: Db, url: URL, format: Format, pinned: Snapshot | undefined, current: Snapshot): Built {
  const parsed = format === "json" ? parseQuery(url.searchParams, aggregatesQuerySchema) : parseQuery(url.searchParams, aggregatesCsvQuerySchema);
  if (!parsed.ok) return fail(parsed.response);
  const query = parsed.value;
  const shape = (query as { _shape?: "objects" | "arrays" | "array" })._shape;
  const cacheControl = pinned ? IMMUTABLE_CACHE_CONTROL : CURRENT_CACHE_CONTROL;
  const filterString = canonicalFilter(query);

  let snapshot = current;
  let rows: PublishedCellRow[];
  let nextOffset: number | null = null;
  let note: string | undefined;
  if (query._fallback === "1") {
    // The same names and ladders as the pages, so the API's note is the note the pages show.
    const { lookups, names } = referenceContext(db);
    const result = cellWithFallback(db, snapshot, fallbackRequestOf(query), lookups, names);
    rows = result.cell ? [publishedRow(result.cell, result.note, publishedTakeOf(db, snapshot)(result.cell))] : [];
    note = result.note ?? undefined;
  } else {
    let offset = 0;
    if (query._next !== undefined) {
      const cursor = decodeCursor(query._next, filterString, config().RATECARD_SECRET);
      const replayed = cursor !== null && pinned !== undefined && cursor.snapshot !== pinned.id;
      const from = cursor === null || replayed ? undefined : snapshotById(db, cursor.snapshot);
      if (!cursor || !from) {
        return fail(apiError(400, "Invalid _next cursor", [{ path: "_next", message: "Use the next_url of the previous page: a cursor is valid only with the same filters and snapshot" }]));
      }
      // A cursor keeps paging through the snapshot it started in, even after a newer one is published.
      snapshot = from;
      offset = cursor.offset;
    }
    const filter = cellFilterOf(query);
    const takeOf = publishedTakeOf(db, snapshot);
    const size = query._size ?? (format === "csv" ? undefined : DEFAULT_PAGE_SIZE);
    if (size === undefined) {
      rows = [...allCells(db, snapshot.id, filter)].map((cell) => publishedRow(cell, null, takeOf(cell)));
    } else {
      const cells = findCells(db, snapshot.id, filter, { limit: size + 1, offset });
      if (cells.length > size) nextOffset = offset + size;
      rows = cells.slice(0, size).map((cell) => publishedRow(cell, null, takeOf(cell)));
    }
  }

  let next: string | null = null;
  let nextUrl: string | null = null;
  if (nextOffset !== null) {
    next = encodeCursor({ snapshot: snapshot.id, offset: nextOffset }, filterString, config().RATECARD_SECRET);
    const params = new URLSearchParams(filterString);
    if (query._size !== undefined) params.set("_size", String(query._size));
    if (shape !== undefined) params.set("_shape", shape);
    params.set("_next", next);
    nextUrl = `${url.pathname}?${params.toString()}`;
  }

  if (format === "csv") {
    const body = CSV_HEADER + rows.map(rowAsCsv).join("");
    const headers: Record<string, string> = {
      "Content-Type": CSV_TYPE,
      "Cache-Control": cacheControl,
      "Content-Disposition": `attachment; filename="ratecard-snapshot-${snapshot.id}-aggregates.csv"`,
    };
    if (nextUrl) headers.Link = `<${nextUrl}>; rel="next"`;
    return { ok: true, stored: storedResponse(body, headers), cache: true };
  }
  if (shape === "array") {
    // Datasette's bare array: nothing but rows in the body, so the next page goes in a Link header.
    const headers: Record<string, string> = { "Content-Type": JSON_TYPE, "Cache-Control": cacheControl };
    if (nextUrl) headers.Link = `<${nextUrl}>; rel="next"`;
    return { ok: true, stored: storedResponse(JSON.stringify(rows), headers), cache: true };
  }
  const page = shape === "arrays"
    ? { ok: true, snapshot: snapshot.id, columns: PUBLISHED_COLUMNS, rows: rows.map(rowAsArray), next, next_url: nextUrl }
    : { ok: true, snapshot: snapshot.id, rows, next, next_url: nextUrl };
  return json(query._fallback === "1" ? { ...page, note: note ?? null } : page, cacheControl);
}

// ---- snapshots ----

/** The snapshot's latest two-year window (or latest year), for examples that should return rows. */
export function latestYearWindow(db: Db, snapshot: Snapshot): string {
  const windows = findCells(db, snapshot.id, { geoLevel: "national", channel: null, platform: null, payer: null, licenseLevel: "all", modality: "all" }, { limit: 200 })
    .map((cell) => cell.yearWindow);
  const newest = (list: string[]) => list.sort((a, b) => (a.slice(-4) === b.slice(-4) ? b.length - a.length : b.slice(-4).localeCompare(a.slice(-4))))[0];
  return newest(windows.filter((w) => w.includes("-"))) ?? newest(windows) ?? String(new Date().getUTCFullYear());
}

export function citation(snapshot: Snapshot): string {
  return `Ratecard, snapshot ${snapshot.id}, ${snapshot.createdAt.slice(0, 10)}`;
}

/** Every snapshot up to `current`, newest first, with what changed since the one before. */
export function snapshotSummaries(db: Db, current: Snapshot): SnapshotInfo[] {
  const all = listSnapshots(db).filter((s) => s.id <= current.id);
  return all.map((snapshot, i) => {
    const changes = snapshotChanges(db, snapshot, comparablePrevious(snapshot, all[i + 1]));
    return {
      id: snapshot.id,
      created_at: snapshot.createdAt,
      is_demo: snapshot.isDemo,
      rules_version: snapshot.rulesVersion,
      k: snapshot.k,
      band_edges: snapshot.bandEdges,
      // Rule "Count bands": exact from 10 reports, else null and the band.
      reports_used: publishedReportCount(snapshot.reportsUsed, snapshot.k).reportsUsed,
      reports_used_band: publishedReportCount(snapshot.reportsUsed, snapshot.k).reportsUsedBand,
      cells_published: snapshot.cellsPublished,
      changes: { previous_snapshot: changes.previous, added: changes.added, removed: changes.removed, changed: changes.changed, unchanged: changes.unchanged },
      citation: citation(snapshot),
      aggregates_json: `/api/v1/snapshots/${snapshot.id}/aggregates.json`,
      aggregates_csv: `/api/v1/snapshots/${snapshot.id}/aggregates.csv`,
    };
  });
}

export function snapshots(read: ReadRequest): Response {
  return snapshotQueryAnswer(read, undefined, noQuerySchema, (db, current) =>
    json({ ok: true, snapshot: current.id, rows: snapshotSummaries(db, current), next: null, next_url: null }, CURRENT_CACHE_CONTROL));
}

// ---- history ----

/** One cell's rows in every snapshot up to `current`, oldest first (history.json and history.csv). */
export function historyRows(db: Db, current: Snapshot, filter: CellFilter): HistoryRow[] {
  // From the changes recorded as each snapshot was built (issue 15), not from every earlier file.
  const cellKey = wholeCellKey(filter);
  if (cellKey === null) return [];
  return cellSeries(db, current, cellKey).map((point) => ({ ...publishedRow(point.cell, null, point.take), is_demo: point.snapshot.isDemo }));
}

export function history(read: ReadRequest): Response {
  return snapshotQueryAnswer(read, undefined, historyQuerySchema, (db, current, query) => {
    const rows = historyRows(db, current, cellFilterOf(query));
    if (query._shape === "array") return json(rows, CURRENT_CACHE_CONTROL);
    const body = query._shape === "arrays"
      ? { ok: true, snapshot: current.id, columns: HISTORY_COLUMNS, rows: rows.map((row) => HISTORY_COLUMNS.map((column) => row[column])), next: null, next_url: null }
      : { ok: true, snapshot: current.id, rows, next: null, next_url: null };
    return json(body, CURRENT_CACHE_CONTROL);
  });
}

// ---- reference data ----

function isReferenceTable(name: string | undefined): name is ReferenceTable {
  return (REFERENCE_TABLES as readonly string[]).includes(name ?? "");
}

/** Moderators edit reference data at any time, so these answers are revalidated, not kept. */
export function reference(read: ReadRequest, table: string | undefined): Response {
  return guarded(read, () => {
    if (!isReferenceTable(table)) {
      return apiError(404, `There is no reference table "${table ?? ""}"`, [{ path: "table", message: `Available: ${REFERENCE_TABLES.map((t) => `${t}.json`).join(", ")}` }]);
    }
    return answer(read, null, () => {
      const parsed = parseQuery(read.url.searchParams, noQuerySchema);
      if (!parsed.ok) return fail(parsed.response);
      const db = database().db;
      return json({ ok: true, snapshot: currentSnapshot(db)?.id ?? null, rows: referenceRows(db, table), next: null, next_url: null }, CURRENT_CACHE_CONTROL, false);
    });
  });
}

// ---- OpenAPI ----

let openApiStored: StoredResponse | undefined;

export function openApi(read: ReadRequest): Response {
  return guarded(read, () => {
    return answer(read, null, () => {
      const parsed = parseQuery(read.url.searchParams, noQuerySchema);
      if (!parsed.ok) return fail(parsed.response);
      openApiStored ??= storedResponse(JSON.stringify(openApiDocument()), { "Content-Type": JSON_TYPE, "Cache-Control": CURRENT_CACHE_CONTROL });
      return { ok: true, stored: openApiStored, cache: false };
    });
  });
}

// ---- the Atom feed ----

export function changesFeed(read: ReadRequest): Response {
  return snapshotQueryAnswer(read, undefined, feedQuerySchema, (db, current, query: FilterQuery) => {
    const filter: CellFilter = cellFilterOf({ cpt: query.cpt, state: query.state, platform: query.platform });
    const all = listSnapshots(db).filter((s) => s.id <= current.id);
    const entries = all.slice(0, FEED_ENTRIES).map((snapshot, i) => ({
      snapshot,
      changes: snapshotChanges(db, snapshot, comparablePrevious(snapshot, all[i + 1]), filter, FEED_EXAMPLES),
    }));
    const filterString = canonicalFilter(query);
    const body = atomFeed(entries, {
      selfUrl: `/feeds/changes.atom${filterString ? `?${filterString}` : ""}`,
      filterLabel: [query.cpt, query.state, query.platform].filter(Boolean).join(", "),
      feedId: filterString,
      historyUrl: historyPageOf(query),
    });
    return { ok: true, stored: storedResponse(body, { "Content-Type": ATOM_TYPE, "Cache-Control": CURRENT_CACHE_CONTROL }), cache: true };
  });
}

/** The page showing the rate history of a feed's cells: the platform's profile, else /compare for the code and state (issue 15). */
function historyPageOf(query: FilterQuery): string {
  if (query.platform) return `/platforms/${encodeURIComponent(query.platform)}#history-heading`;
  const params = new URLSearchParams();
  if (query.cpt) params.set("cpt", query.cpt);
  if (query.state) params.set("state", query.state);
  const search = params.toString();
  return `/compare${search ? `?${search}` : ""}#history-heading`;
}

/** The answer to OPTIONS outside /api/ (the middleware answers it under /api/). */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
      "Access-Control-Allow-Headers": "If-None-Match",
      "Access-Control-Max-Age": "86400",
    },
  });
}

export const READ_METHODS = ["GET", "HEAD"];

// ---- insurer-published rates (issue 11) ----

/**
 * /api/v1/payer-rates.{json,csv} (current snapshot) and /api/v1/snapshots/{id}/payer-rates.{json,csv}
 * (one snapshot, immutable): the snapshot's payer-rate rows, exactly as published.
 */
export function payerRates(read: ReadRequest, format: Format, snapshotParam?: string): Response {
  return pinnedOrCurrentAnswer(read, snapshotParam, (db, pinned, snapshot) => buildPayerRates(db, read.url, format, pinned, snapshot));
}

function buildPayerRates(db: Db, url: URL, format: Format, pinned: Snapshot | undefined, current: Snapshot): Built {
  const parsed = format === "json" ? parseQuery(url.searchParams, payerRatesQuerySchema) : parseQuery(url.searchParams, payerRatesCsvQuerySchema);
  if (!parsed.ok) return fail(parsed.response);
  const query = parsed.value;
  const cacheControl = pinned ? IMMUTABLE_CACHE_CONTROL : CURRENT_CACHE_CONTROL;
  const filterString = canonicalFilter(query);
  let snapshot = current;
  let offset = 0;
  if (query._next !== undefined) {
    const cursor = decodeCursor(query._next, `payer-rates|${filterString}`, config().RATECARD_SECRET);
    const replayed = cursor !== null && pinned !== undefined && cursor.snapshot !== pinned.id;
    const from = cursor === null || replayed ? undefined : snapshotById(db, cursor.snapshot);
    if (!cursor || !from) {
      return fail(apiError(400, "Invalid _next cursor", [{ path: "_next", message: "Use the next_url of the previous page: a cursor is valid only with the same filters and snapshot" }]));
    }
    snapshot = from;
    offset = cursor.offset;
  }
  const matching = findPayerRates(db, snapshot.id, query);
  const size = query._size ?? (format === "csv" ? undefined : DEFAULT_PAGE_SIZE);
  const pageRates = size === undefined ? matching : matching.slice(offset, offset + size);
  const rows = pageRates.map((rate) => payerRateRow(snapshot.id, rate));
  let next: string | null = null;
  let nextUrl: string | null = null;
  if (size !== undefined && matching.length > offset + size) {
    next = encodeCursor({ snapshot: snapshot.id, offset: offset + size }, `payer-rates|${filterString}`, config().RATECARD_SECRET);
    const params = new URLSearchParams(filterString);
    if (query._size !== undefined) params.set("_size", String(query._size));
    params.set("_next", next);
    nextUrl = `${url.pathname}?${params.toString()}`;
  }
  if (format === "csv") {
    const headers: Record<string, string> = {
      "Content-Type": CSV_TYPE,
      "Cache-Control": cacheControl,
      "Content-Disposition": `attachment; filename="ratecard-snapshot-${snapshot.id}-payer-rates.csv"`,
    };
    if (nextUrl) headers.Link = `<${nextUrl}>; rel="next"`;
    return { ok: true, stored: storedResponse(PAYER_RATES_CSV_HEADER + rows.map(payerRateAsCsv).join(""), headers), cache: true };
  }
  return json({ ok: true, snapshot: snapshot.id, rows, next, next_url: nextUrl }, cacheControl);
}
