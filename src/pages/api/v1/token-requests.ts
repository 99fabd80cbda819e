// RFC 9578 issuance: one blinded token request in, one blind signature out, against a grant code.
import type { APIRoute } from "astro";
import { apiError, methodNotAllowed, readLimitedBytes } from "../../../lib/server/api-response.ts";
import { database } from "../../../lib/server/db.ts";
import { isStorageFailure, STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE_MESSAGE } from "../../../lib/server/storage-errors.ts";
import { TOKEN_RESPONSE_TYPE, bearerCode, issueToken } from "../../../lib/write/tokens/privacy-pass.ts";

/** 2 + 1 + 256 bytes; anything much larger is not a type 2 token request. */
const MAX_BODY_BYTES = 1024;

export const POST: APIRoute = async ({ request }) => {
  if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) return apiError(413, "A token request is 259 bytes");
  const bytes = await readLimitedBytes(request, MAX_BODY_BYTES);
  if (bytes === null) return apiError(413, "A token request is 259 bytes");
  const body = new Uint8Array(bytes);
  try {
    const outcome = await issueToken(database(), {
      contentType: request.headers.get("content-type"),
      grantCode: bearerCode(request.headers.get("authorization")),
      body,
    });
    if (outcome.kind === "refused") {
      const headers: Record<string, string> = outcome.status === 401 ? { "WWW-Authenticate": 'Bearer realm="token-requests"' } : {};
      return apiError(outcome.status, outcome.message, [{ path: outcome.path, message: outcome.message }], headers);
    }
    return new Response(Buffer.from(outcome.body), { status: 200, headers: { "Content-Type": TOKEN_RESPONSE_TYPE, "Cache-Control": "no-store" } });
  } catch (error) {
    if (isStorageFailure(error)) return apiError(503, STORAGE_UNAVAILABLE_MESSAGE, [], { "Retry-After": String(STORAGE_RETRY_AFTER_SECONDS) });
    throw error;
  }
};

export const ALL: APIRoute = () => methodNotAllowed(["POST"]);
