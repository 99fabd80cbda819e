import type { APIRoute } from "astro";
import { apiError, apiJson, methodNotAllowed, readJsonBody } from "../../../../lib/server/api-response.ts";
import { requestClientAddress } from "../../../../lib/server/request.ts";
import { STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE_MESSAGE } from "../../../../lib/server/storage-errors.ts";
import { submit } from "../../../../lib/write/submissions.ts";
import { privateTokenValue } from "../../../../lib/write/tokens/privacy-pass.ts";

export const POST: APIRoute = async (context) => {
  const body = await readJsonBody(context.request);
  if (!body.ok) return body.response;
  const token = privateTokenValue(context.request.headers.get("authorization"));
  const outcome = await submit(body.value, requestClientAddress(context), token === "malformed" ? "" : token);
  switch (outcome.kind) {
    case "invalid":
      return apiError(400, "The report has errors", outcome.errors);
    case "limited":
      return apiError(429, "Too many reports from this connection; try again later", [], {
        "Retry-After": String(outcome.retryAfterSeconds),
      });
    case "token":
      return apiError(401, outcome.message, [{ path: "authorization", message: outcome.message }], {
        "WWW-Authenticate": 'PrivateToken realm="reports"',
      });
    case "unavailable":
      return apiError(503, STORAGE_UNAVAILABLE_MESSAGE, [], { "Retry-After": String(STORAGE_RETRY_AFTER_SECONDS) });
    case "created":
      return apiJson({ ok: true, receipt: outcome.receipt, review_status: outcome.reviewStatus }, 201);
  }
};

export const ALL: APIRoute = () => methodNotAllowed(["POST"]);
