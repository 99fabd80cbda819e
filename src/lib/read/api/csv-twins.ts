// CSV twins of the JSON tables that had none (issue 15): reference tables, snapshots, history,
// and the shares (new, with JSON too). Same columns as the JSON; arrays and objects as JSON text.
import type { z } from "zod";
import {
  HISTORY_COLUMNS, historyQuerySchema, noQuerySchema, REFERENCE_TABLES, referenceResponseSchemas, type ReferenceTable,
} from "../../schemas/api.ts";
import { apiError } from "../../server/api-response.ts";
import { database } from "../../server/db.ts";
import { allShares } from "../published.ts";
import { SNAPSHOT_CSV_COLUMNS } from "../release/schemas.ts";
import { csvValueOf } from "../release/tables.ts";
import { CURRENT_CACHE_CONTROL, IMMUTABLE_CACHE_CONTROL, storedResponse } from "./cache.ts";
import { csvLine } from "./csv.ts";
import { answer, fail, guarded, historyRows, json, snapshotQueryAnswer, snapshotSummaries, type Built, type ReadRequest } from "./endpoints.ts";
import { cellFilterOf, parseQuery } from "./query.ts";
import { referenceRows } from "./reference-rows.ts";

const CSV_TYPE = "text/csv; charset=utf-8; header=present";

function csv(columns: readonly string[], rows: Iterable<Record<string, unknown>>, cacheControl: string, fileName: string, cache = true): Built {
  const lines = [csvLine(columns)];
  for (const row of rows) lines.push(csvLine(columns.map((column) => csvValueOf(row[column]))));
  return {
    ok: true,
    cache,
    stored: storedResponse(lines.join(""), { "Content-Type": CSV_TYPE, "Cache-Control": cacheControl, "Content-Disposition": `attachment; filename="${fileName}"` }),
  };
}

/** /api/v1/reference/{table}.csv: the current reference data (revalidated, not kept, like the JSON). */
export function referenceCsv(read: ReadRequest, table: string | undefined): Response {
  return guarded(read, () => {
    if (!(REFERENCE_TABLES as readonly string[]).includes(table ?? "")) {
      return apiError(404, `There is no reference table "${table ?? ""}"`, [{ path: "table", message: `Available: ${REFERENCE_TABLES.map((t) => `${t}.csv`).join(", ")}` }]);
    }
    const name = table as ReferenceTable;
    return answer(read, null, () => {
      const parsed = parseQuery(read.url.searchParams, noQuerySchema);
      if (!parsed.ok) return fail(parsed.response);
      const rowSchema = ((referenceResponseSchemas[name] as z.ZodObject).shape.rows as z.ZodArray<z.ZodObject>).element;
      return csv(Object.keys(rowSchema.shape), referenceRows(database().db, name) as Record<string, unknown>[], CURRENT_CACHE_CONTROL, `ratecard-reference-${name}.csv`, false);
    });
  });
}

/** /api/v1/snapshots.csv */
export function snapshotsCsv(read: ReadRequest): Response {
  return snapshotQueryAnswer(read, undefined, noQuerySchema, (db, current) => {
    const rows = snapshotSummaries(db, current).map(({ changes, ...info }) => ({ ...info, ...changes }));
    return csv(SNAPSHOT_CSV_COLUMNS, rows, CURRENT_CACHE_CONTROL, "ratecard-snapshots.csv");
  });
}

/** /api/v1/history.csv: the same cell as history.json, the same columns. */
export function historyCsv(read: ReadRequest): Response {
  return snapshotQueryAnswer(read, undefined, historyQuerySchema, (db, current, query) => {
    if (query._shape !== undefined) return fail(apiError(400, "Invalid parameter", [{ path: "_shape", message: "_shape is for history.json; a CSV row is always a row" }]));
    return csv(HISTORY_COLUMNS, historyRows(db, current, cellFilterOf(query)), CURRENT_CACHE_CONTROL, "ratecard-history.csv");
  });
}

/** /api/v1/shares.{json,csv} (current snapshot) and /api/v1/snapshots/{id}/shares.json (immutable). */
export function shares(read: ReadRequest, format: "json" | "csv", snapshotParam?: string): Response {
  return snapshotQueryAnswer(read, snapshotParam, noQuerySchema, (db, snapshot, _query, pinned) => {
    const cacheControl = pinned ? IMMUTABLE_CACHE_CONTROL : CURRENT_CACHE_CONTROL;
    const rows = allShares(db, snapshot.id).map((share) => ({
      platform: share.platform, question: share.question, n: share.n, share_pct: share.sharePct, margin_pct: share.marginPct,
    }));
    if (format === "csv") return csv(["platform", "question", "n", "share_pct", "margin_pct"], rows, cacheControl, `ratecard-snapshot-${snapshot.id}-shares.csv`);
    return json({ ok: true, snapshot: snapshot.id, rows, next: null, next_url: null }, cacheControl);
  });
}
