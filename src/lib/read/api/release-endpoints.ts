// Release answers for journalists (issue 15): a snapshot's Data Package descriptor, the CSV of
// each table it names, and its citations. A pinned snapshot's answers never change.
import { createHash } from "node:crypto";
import type { z } from "zod";
import { createReadStream, statSync } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import { aggregatesCsvQuerySchema, noQuerySchema, payerRatesCsvQuerySchema, type FilterQuery } from "../../schemas/api.ts";
import { apiError } from "../../server/api-response.ts";
import { database, type Db } from "../../server/db.ts";
import type { Snapshot } from "../published.ts";
import { CITATION_FORMATS, CITATION_TYPES, snapshotCitation, type CitationFormat } from "../release/citation.ts";
import { dataPackage } from "../release/datapackage.ts";
import { publicOrigin } from "../release/origin.ts";
import { sqliteDownload } from "../release/sqlite-download.ts";
import { SPREADSHEET_MAX_ROWS, writeAggregatesWorkbook } from "../release/spreadsheet.ts";
import { aggregatesFields, joinedPayerRateRow, payerRateFields, releaseTables, tableCsv } from "../release/tables.ts";
import { findPayerRates, publishedTakeOf } from "../payer-rates.ts";
import { payerRateRow } from "./payer-rate-rows.ts";
import { CURRENT_CACHE_CONTROL, IMMUTABLE_CACHE_CONTROL, READ_HEADERS, currentSnapshot, notModified, readCacheKey, storedResponse } from "./cache.ts";
import { allCells } from "./changelog.ts";
import { canonicalFilter, cellFilterOf, parseQuery, type ObjectSchema } from "./query.ts";
import { publishedRow } from "./rows.ts";
import { answer, fail, guarded, json, noSnapshot, pinnedSnapshot, type ReadRequest } from "./endpoints.ts";

const CSV_TYPE = "text/csv; charset=utf-8; header=present";


/** /api/v1/snapshots/{id}/datapackage.json, or /api/v1/datapackage.json for the current snapshot. */
export function dataPackageAnswer(read: ReadRequest, snapshotParam?: string): Response {
  return guarded(read, () => {
    const db = database().db;
    let snapshot: Snapshot;
    let current: Snapshot;
    if (snapshotParam === undefined) {
      const latest = currentSnapshot(db);
      if (!latest) return noSnapshot();
      snapshot = current = latest;
    } else {
      const pinned = pinnedSnapshot(db, snapshotParam);
      if (!pinned.ok) return pinned.response;
      ({ snapshot, current } = pinned);
    }
    return answer(read, readCacheKey(current.id, read.url), () => {
      const parsed = parseQuery(read.url.searchParams, noQuerySchema);
      if (!parsed.ok) return fail(parsed.response);
      const prefix = snapshotParam === undefined ? `snapshots/${snapshot.id}/` : "";
      return json(dataPackage(db, snapshot, publicOrigin(), prefix), snapshotParam === undefined ? CURRENT_CACHE_CONTROL : IMMUTABLE_CACHE_CONTROL);
    });
  });
}

/** /api/v1/snapshots/{id}/{path}: a table's CSV as the snapshot's Data Package names it (shares.csv, reference/payers.csv …). */
export function releaseTableCsv(read: ReadRequest, snapshotParam: string, path: string): Response {
  return guarded(read, () => {
    const db = database().db;
    const pinned = pinnedSnapshot(db, snapshotParam);
    if (!pinned.ok) return pinned.response;
    const { snapshot, current } = pinned;
    return answer(read, readCacheKey(current.id, read.url), () => {
      const parsed = parseQuery(read.url.searchParams, noQuerySchema);
      if (!parsed.ok) return fail(parsed.response);
      const tables = releaseTables(db, snapshot);
      const table = tables.find((t) => t.path === path);
      if (!table) {
        return fail(apiError(404, `Snapshot ${snapshot.id} has no table at ${path}`, [{ path: "table", message: `Available: ${tables.map((t) => t.path).join(", ")}` }]));
      }
      return {
        ok: true,
        cache: true,
        stored: storedResponse(tableCsv(table), {
          "Content-Type": CSV_TYPE,
          "Cache-Control": IMMUTABLE_CACHE_CONTROL,
          "Content-Disposition": `attachment; filename="ratecard-snapshot-${snapshot.id}-${path.replace(/^reference\//, "")}"`,
        }),
      };
    });
  });
}

/** /api/v1/snapshots/{id}/citation.{cff,bib,ris} */
export function citationAnswer(read: ReadRequest, snapshotParam: string, format: string): Response {
  return guarded(read, () => {
    if (!(CITATION_FORMATS as readonly string[]).includes(format)) {
      return apiError(404, `There is no citation format "${format}"`, [{ path: "format", message: `Available: ${CITATION_FORMATS.map((f) => `citation.${f}`).join(", ")}` }]);
    }
    const db = database().db;
    const pinned = pinnedSnapshot(db, snapshotParam);
    if (!pinned.ok) return pinned.response;
    const { snapshot, current } = pinned;
    return answer(read, readCacheKey(current.id, read.url), () => {
      const parsed = parseQuery(read.url.searchParams, noQuerySchema);
      if (!parsed.ok) return fail(parsed.response);
      const kind = format as CitationFormat;
      return {
        ok: true,
        cache: true,
        stored: storedResponse(snapshotCitation(snapshot, kind, publicOrigin()), {
          "Content-Type": CITATION_TYPES[kind],
          "Cache-Control": IMMUTABLE_CACHE_CONTROL,
          "Content-Disposition": `attachment; filename="ratecard-snapshot-${snapshot.id}.${kind}"`,
        }),
      };
    });
  });
}

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The 400 for a spreadsheet Excel could not open: more rows than a sheet holds. */
export function spreadsheetTooLarge(rows: number, limit = SPREADSHEET_MAX_ROWS): Response | null {
  if (rows <= limit) return null;
  return apiError(400, `${rows.toLocaleString("en-US")} rows match, more than a spreadsheet holds (${limit.toLocaleString("en-US")})`, [
    { path: "cpt", message: "Choose a CPT code (cpt=90837), or another filter, for fewer rows; or download the CSV" },
  ]);
}

/**
 * A workbook streamed as it is written (`write` fills `out`); a failure midway ends the stream,
 * logged with the path only.
 */
function workbookResponse(read: ReadRequest, headers: Record<string, string>, fileStem: string, filters: string, write: (out: PassThrough) => Promise<unknown>): Response {
  const out = new PassThrough();
  write(out).catch((error: Error) => {
    console.error(`Spreadsheet failure on ${read.url.pathname}: ${error.message}`);
    out.destroy(error);
  });
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      ...headers,
      "Content-Type": XLSX_TYPE,
      "Content-Disposition": `attachment; filename="${fileStem}${filters ? `-${filters.replace(/[^a-z0-9]+/gi, "-")}` : ""}.xlsx"`,
    },
  });
}

/**
 * What every spreadsheet route shares: the current snapshot, its query (refusing the paging
 * controls: a spreadsheet holds every row), a weak validator of snapshot and filters, and 304.
 * The workbook's contents are a function of the snapshot and the filters, but not its bytes (the
 * zip and the workbook carry the time they were written), so the validator is weak.
 */
function spreadsheetAnswer<S extends ObjectSchema>(
  read: ReadRequest,
  schema: S,
  controls: readonly (keyof z.output<S> & string)[],
  tagPrefix: string,
  build: (db: Db, snapshot: Snapshot, query: z.output<S>, filters: string, headers: Record<string, string>) => Response,
): Response {
  return guarded(read, () => {
    const db = database().db;
    const snapshot = currentSnapshot(db);
    if (!snapshot) return noSnapshot();
    const parsed = parseQuery(read.url.searchParams, schema);
    if (!parsed.ok) return parsed.response;
    const query = parsed.value;
    const given = controls.filter((name) => query[name] !== undefined);
    if (given.length > 0) {
      return apiError(400, "A spreadsheet holds every matching row", given.map((name) => ({ path: name, message: `${name} is for the JSON and CSV answers` })));
    }
    const filters = canonicalFilter(query as FilterQuery);
    const tag = `"${tagPrefix}-${createHash("sha256").update(`${snapshot.id}|${filters}`).digest("base64url").slice(0, 22)}"`;
    const headers: Record<string, string> = { ...READ_HEADERS, "Cache-Control": CURRENT_CACHE_CONTROL, ETag: `W/${tag}` };
    if (notModified(read.request.headers.get("if-none-match"), tag)) return new Response(null, { status: 304, headers });
    return build(db, snapshot, query, filters, headers);
  });
}

/** /api/v1/aggregates.xlsx: the current snapshot's cells matching the filters, as a streamed workbook. */
export function aggregatesXlsx(read: ReadRequest): Response {
  return spreadsheetAnswer(read, aggregatesCsvQuerySchema, ["_size", "_next", "_fallback"], "xlsx", (db, snapshot, query, filters, headers) => {
    const filter = cellFilterOf(query);
    let rows = 0;
    for (const _cell of allCells(db, snapshot.id, filter)) rows++;
    const tooLarge = spreadsheetTooLarge(rows);
    if (tooLarge) return tooLarge;
    const published = function* () {
      const takeOf = publishedTakeOf(db, snapshot);
      for (const cell of allCells(db, snapshot.id, filter)) yield publishedRow(cell, null, takeOf(cell));
    };
    return workbookResponse(read, headers, `ratecard-snapshot-${snapshot.id}-aggregates`, filters, (out) => writeAggregatesWorkbook(published(), {
      snapshotId: snapshot.id, isDemo: snapshot.isDemo, createdAt: snapshot.createdAt, filters, origin: publicOrigin(), fields: aggregatesFields(snapshot.k),
    }, out));
  });
}

/** /api/v1/snapshots/{id}/ratecard.sqlite: the published tables of one snapshot in one SQLite file (immutable). */
export function sqliteDownloadAnswer(read: ReadRequest, snapshotParam: string): Response {
  return guarded(read, () => {
    const db = database().db;
    const pinned = pinnedSnapshot(db, snapshotParam);
    if (!pinned.ok) return pinned.response;
    const parsed = parseQuery(read.url.searchParams, noQuerySchema);
    if (!parsed.ok) return parsed.response;
    const { snapshot } = pinned;
    const path = sqliteDownload(db, snapshot, publicOrigin());
    const stat = statSync(path);
    const etag = `"sqlite-${snapshot.id}-${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
    const headers: Record<string, string> = { ...READ_HEADERS, "Cache-Control": IMMUTABLE_CACHE_CONTROL, ETag: etag };
    if (notModified(read.request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
    return new Response(Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, {
      status: 200,
      headers: {
        ...headers,
        "Content-Type": "application/vnd.sqlite3",
        "Content-Length": String(stat.size),
        "Content-Disposition": `attachment; filename="ratecard-snapshot-${snapshot.id}.sqlite"`,
      },
    });
  });
}

/** /api/v1/payer-rates.xlsx: the current snapshot's insurer-published rates as a spreadsheet, with payer-rates.csv's filters (issue 15). */
export function payerRatesXlsx(read: ReadRequest): Response {
  return spreadsheetAnswer(read, payerRatesCsvQuerySchema, ["_size", "_next"], "xlsx-payer-rates", (db, snapshot, query, filters, headers) => {
    const rates = findPayerRates(db, snapshot.id, { payer: query.payer, platform: query.platform, cpt: query.cpt, state: query.state });
    const tooLarge = spreadsheetTooLarge(rates.length);
    if (tooLarge) return tooLarge;
    // An empty list is an empty cell, as in the CSV.
    const sheetRow = (row: Record<string, unknown>) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, value === "" ? null : value]));
    return workbookResponse(read, headers, `ratecard-snapshot-${snapshot.id}-payer-rates`, filters, (out) => writeAggregatesWorkbook(rates.map((rate) => sheetRow(joinedPayerRateRow(payerRateRow(snapshot.id, rate)))), {
      snapshotId: snapshot.id, isDemo: snapshot.isDemo, createdAt: snapshot.createdAt, filters, origin: publicOrigin(), fields: payerRateFields(),
      sheet: "payer_rates", everything: "every published insurer rate",
    }, out));
  });
}
