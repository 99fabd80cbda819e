// The API's answers to "show me" and "delete" by receipt code, shared by the discouraged
// path routes (/api/v1/reports/{receipt}) and the body routes (POST …/lookup, POST …/delete),
// which keep the code out of URLs that proxies log.
import { apiError, apiJson } from "../server/api-response.ts";
import { database, type Connection } from "../server/db.ts";
import { STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE_MESSAGE, isStorageFailure } from "../server/storage-errors.ts";
import { fieldErrors, receiptSchema } from "../schemas/report.ts";
import { deleteReport, viewReport } from "./reports.ts";

function unavailable(): Response {
  return apiError(503, STORAGE_UNAVAILABLE_MESSAGE, [], { "Retry-After": String(STORAGE_RETRY_AFTER_SECONDS) });
}

function parseReceipt(raw: unknown): { ok: true; receipt: string } | { ok: false; response: Response } {
  const parsed = receiptSchema.safeParse(typeof raw === "string" ? raw : "");
  if (parsed.success) return { ok: true, receipt: parsed.data };
  return { ok: false, response: apiError(400, "That is not a receipt code", fieldErrors(parsed.error).map((e) => ({ ...e, path: "receipt" }))) };
}

/** The receipt of a JSON body `{"receipt": "…"}`. */
export function receiptOfBody(body: unknown): unknown {
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).receipt : undefined;
}

export function viewAnswer(raw: unknown, connection: Connection = database()): Response {
  const parsed = parseReceipt(raw);
  if (!parsed.ok) return parsed.response;
  let report;
  try {
    report = viewReport(connection, parsed.receipt);
  } catch (error) {
    if (!isStorageFailure(error)) throw error;
    return unavailable();
  }
  if (!report) return apiError(404, "No report has that receipt code");
  return apiJson({ ok: true, report }, 200, { "Cache-Control": "private, no-store" });
}

export function deleteAnswer(raw: unknown, connection: Connection = database()): Response {
  const parsed = parseReceipt(raw);
  if (!parsed.ok) return parsed.response;
  try {
    if (!deleteReport(connection, parsed.receipt)) return apiError(404, "No report has that receipt code");
  } catch (error) {
    if (!isStorageFailure(error)) throw error;
    return unavailable();
  }
  return apiJson({ ok: true, deleted: true });
}
