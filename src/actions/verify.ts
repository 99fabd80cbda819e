// /verify form actions (issue 12): ask to be verified, and come back with the request code (or a
// partner's grant code) to see where the request stands. Codes travel in form bodies, never URLs.
import { defineAction } from "astro:actions";
import { z } from "zod";
import { fieldErrors, type FieldError } from "../lib/schemas/report.ts";
import { accessCodeSchema, verificationRequestSchema } from "../lib/schemas/verification.ts";
import { database } from "../lib/server/db.ts";
import { config } from "../lib/server/config.ts";
import { ClientRateLimiter } from "../lib/server/rate-limit.ts";
import { requestClientAddress } from "../lib/server/request.ts";
import { STORAGE_UNAVAILABLE_MESSAGE, isStorageFailure } from "../lib/server/storage-errors.ts";
import { requestVerification, verificationStatus, type VerificationStatus } from "../lib/write/tokens/verifications.ts";

export type VerifyRequestResult =
  | { ok: true; code: string }
  | { ok: false; status: 400 | 429 | 503; errors: FieldError[]; values: Record<string, string> };

export type VerifyStatusResult =
  | { ok: true; status: VerificationStatus }
  | { ok: false; status: 400; errors: FieldError[] };

const text = (form: FormData, name: string) => String(form.get(name) ?? "").slice(0, 200);

/** Requests per client and hour, the same number as reports, so no one floods the moderators' list. */
let requestLimiter: ClientRateLimiter | undefined;

export const verify = {
  request: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form, context): VerifyRequestResult => {
      const values = { state: text(form, "state"), license_number: text(form, "license_number"), license_name: text(form, "license_name") };
      const parsed = verificationRequestSchema.safeParse(values);
      if (!parsed.success) return { ok: false, status: 400, errors: fieldErrors(parsed.error), values };
      requestLimiter ??= new ClientRateLimiter(config().RATECARD_RATE_LIMIT);
      const decision = requestLimiter.hit(requestClientAddress(context));
      if (!decision.allowed) {
        const minutes = Math.ceil(decision.retryAfterSeconds / 60);
        return { ok: false, status: 429, values, errors: [{ path: "", message: `Several verification requests came from this connection in the last hour. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.` }] };
      }
      try {
        return { ok: true, code: requestVerification(database(), parsed.data) };
      } catch (error) {
        if (!isStorageFailure(error)) throw error;
        return { ok: false, status: 503, values, errors: [{ path: "", message: STORAGE_UNAVAILABLE_MESSAGE }] };
      }
    },
  }),
  status: defineAction({
    accept: "form",
    input: z.instanceof(FormData),
    handler: (form): VerifyStatusResult => {
      const parsed = accessCodeSchema.safeParse(text(form, "code"));
      if (!parsed.success) return { ok: false, status: 400, errors: fieldErrors(parsed.error).map((e) => ({ ...e, path: "code" })) };
      return { ok: true, status: verificationStatus(database(), parsed.data) };
    },
  }),
};
