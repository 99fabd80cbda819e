import type { APIRoute } from "astro";
import { apiError, apiJson, methodNotAllowed } from "../../../../lib/server/api-response.ts";
import { database } from "../../../../lib/server/db.ts";
import { deleteReport, viewReport } from "../../../../lib/write/reports.ts";
import { STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE_MESSAGE, isStorageFailure } from "../../../../lib/server/storage-errors.ts";
import { fieldErrors, receiptSchema } from "../../../../lib/schemas/report.ts";

function parseReceipt(raw: string | undefined) {
  const parsed = receiptSchema.safeParse(raw ?? "");
  return parsed.success ? { ok: true as const, receipt: parsed.data } : { ok: false as const, response: apiError(400, "That is not a receipt code", fieldErrors(parsed.error).map((e) => ({ ...e, path: "receipt" }))) };
}

export const GET: APIRoute = ({ params }) => {
  const parsed = parseReceipt(params.receipt);
  if (!parsed.ok) return parsed.response;
  const report = viewReport(database(), parsed.receipt);
  if (!report) return apiError(404, "No report has that receipt code");
  return apiJson({ ok: true, report }, 200, { "Cache-Control": "private, no-store" });
};

export const HEAD: APIRoute = (context) => GET(context);

export const DELETE: APIRoute = ({ params }) => {
  const parsed = parseReceipt(params.receipt);
  if (!parsed.ok) return parsed.response;
  try {
    if (!deleteReport(database(), parsed.receipt)) return apiError(404, "No report has that receipt code");
  } catch (error) {
    if (!isStorageFailure(error)) throw error;
    return apiError(503, STORAGE_UNAVAILABLE_MESSAGE, [], { "Retry-After": String(STORAGE_RETRY_AFTER_SECONDS) });
  }
  return apiJson({ ok: true, deleted: true });
};

export const ALL: APIRoute = () => methodNotAllowed(["GET", "HEAD", "DELETE"]);
