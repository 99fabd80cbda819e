// Form actions: each works as a plain HTML form post without JavaScript.
import { defineAction } from "astro:actions";
import { z } from "zod";
import { formErrorPaths, formToSubmission, formValues, type FormValues } from "../lib/schemas/report-form.ts";
import { fieldErrors, receiptSchema, type FieldError } from "../lib/schemas/report.ts";
import { database } from "../lib/server/db.ts";
import { deleteReport, viewReport, type StoredReport } from "../lib/write/reports.ts";
import { requestClientAddress } from "../lib/server/request.ts";
import { STORAGE_UNAVAILABLE_MESSAGE, isStorageFailure } from "../lib/server/storage-errors.ts";
import { submit } from "../lib/write/submissions.ts";
import { mod } from "./mod.ts";
import { verify } from "./verify.ts";
import { reportTinMapping } from "../lib/write/tin-mapping-reports.ts";
import { ClientRateLimiter } from "../lib/server/rate-limit.ts";
import { config } from "../lib/server/config.ts";

export type ShareResult =
  | { ok: true; receipt: string; reviewStatus: string }
  | { ok: false; status: 400 | 401 | 429 | 503; errors: FieldError[]; values: FormValues; retryAfterSeconds?: number };

export type ReceiptResult =
  | { ok: true; report: StoredReport; code: string }
  | { ok: true; deleted: true }
  | { ok: false; status: 400 | 404 | 503; errors: FieldError[]; code: string };

function parseReceiptField(form: FormData): { ok: true; code: string } | { ok: false; result: ReceiptResult } {
  const raw = String(form.get("receipt") ?? "").slice(0, 100);
  const parsed = receiptSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, result: { ok: false, status: 400, code: raw, errors: fieldErrors(parsed.error).map((e) => ({ ...e, path: "receipt" })) } };
  }
  return { ok: true, code: parsed.data };
}

export type TinReportResult =
  | { ok: true }
  | { ok: false; status: 400 | 429 | 503; errors: FieldError[]; values: Record<string, string> };

// Reports of wrong TIN mappings are limited per client like report submissions, with their own count.
let tinReportLimiter: ClientRateLimiter | undefined;

export const server = {
  mod,
  verify,
  share: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: async (form, context): Promise<ShareResult> => {
      const values = formValues(form);
      const { input, rateLines } = formToSubmission(values);
      // The browser's Privacy Pass token, put in this hidden field by src/scripts/share-token.ts.
      const token = String(form.get("privacy_pass_token") ?? "").trim().slice(0, 2000);
      delete values.privacy_pass_token;
      const outcome = await submit(input, requestClientAddress(context), token === "" ? null : token);
      switch (outcome.kind) {
        case "created":
          return { ok: true, receipt: outcome.receipt, reviewStatus: outcome.reviewStatus };
        case "token":
          return {
            ok: false,
            status: 401,
            values,
            errors: [{ path: "", message: `Your verification token was refused (${outcome.message}). Nothing was stored. Remove the token at /verify, or send the report unverified.` }],
          };
        case "invalid":
          return { ok: false, status: 400, errors: formErrorPaths(outcome.errors, rateLines), values };
        case "unavailable":
          return { ok: false, status: 503, values, errors: [{ path: "", message: STORAGE_UNAVAILABLE_MESSAGE }] };
        case "limited":
          return {
            ok: false,
            status: 429,
            values,
            retryAfterSeconds: outcome.retryAfterSeconds,
            errors: [{ path: "", message: `You have shared several reports from this connection in the last hour. Please try again in ${Math.ceil(outcome.retryAfterSeconds / 60)} minutes.` }],
          };
      }
    },
  }),
  viewReceipt: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form): ReceiptResult => {
      const parsed = parseReceiptField(form);
      if (!parsed.ok) return parsed.result;
      const report = viewReport(database(), parsed.code);
      if (!report) return { ok: false, status: 404, code: parsed.code, errors: [{ path: "receipt", message: "No report has that receipt code. Check for typos; codes are not case-sensitive." }] };
      return { ok: true, report, code: parsed.code };
    },
  }),
  deleteReceipt: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form): ReceiptResult => {
      const parsed = parseReceiptField(form);
      if (!parsed.ok) return parsed.result;
      try {
        if (!deleteReport(database(), parsed.code)) {
          return { ok: false, status: 404, code: parsed.code, errors: [{ path: "receipt", message: "No report has that receipt code; it may already be deleted." }] };
        }
      } catch (error) {
        if (!isStorageFailure(error)) throw error;
        return { ok: false, status: 503, code: parsed.code, errors: [{ path: "receipt", message: STORAGE_UNAVAILABLE_MESSAGE }] };
      }
      return { ok: true, deleted: true };
    },
  }),
  reportTinMapping: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context): TinReportResult => {
      const values = { tin: String(form.get("tin") ?? "").slice(0, 100), platform: String(form.get("platform") ?? "").slice(0, 100), message: String(form.get("message") ?? "").slice(0, 5000) };
      tinReportLimiter ??= new ClientRateLimiter(config().RATECARD_RATE_LIMIT);
      if (!tinReportLimiter.hit(requestClientAddress(context)).allowed) {
        return { ok: false, status: 429, values, errors: [{ path: "", message: "You have sent several reports from this connection in the last hour. Please try again later." }] };
      }
      try {
        const outcome = reportTinMapping(database().db, values);
        return outcome.ok ? { ok: true } : { ok: false, status: 400, values, errors: outcome.errors };
      } catch (error) {
        if (!isStorageFailure(error)) throw error;
        return { ok: false, status: 503, values, errors: [{ path: "", message: STORAGE_UNAVAILABLE_MESSAGE }] };
      }
    },
  }),
};
