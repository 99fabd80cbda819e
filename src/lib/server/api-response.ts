// The one way the API answers: JSON bodies with {ok:true,…} or {ok:false, status, error, errors}.
import type { FieldError } from "../schemas/report.ts";

export const MAX_JSON_BODY_BYTES = 16 * 1024;

const JSON_HEADERS = {
  "Content-Type": "application/json; charset=utf-8",
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "no-store",
};

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

const REASONS: Record<number, string> = {
  400: "Bad request",
  401: "Sign-in required",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  413: "Request body too large",
  415: "Unsupported content type",
  429: "Too many requests",
  503: "Service unavailable",
};

export function apiError(
  status: number,
  error: string = REASONS[status] ?? "Error",
  errors: FieldError[] = [],
  headers: Record<string, string> = {},
): Response {
  return apiJson({ ok: false, status, error, errors }, status, headers);
}

export function methodNotAllowed(allowed: string[]): Response {
  const allow = [...allowed, "OPTIONS"].join(", ");
  return apiError(405, `Use ${allowed.join(" or ")} here`, [], { Allow: allow });
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

/** Reads a JSON body of at most 16 KB, answering 415 or 413 or 400 as the request deserves. */
export async function readJsonBody(request: Request): Promise<JsonBody> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    return { ok: false, response: apiError(415, "Send the report as application/json", [{ path: "", message: `Content-Type was ${type || "missing"}` }]) };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_JSON_BODY_BYTES) return { ok: false, response: apiError(413, "The body is larger than 16 KB") };
  const text = await readLimited(request, MAX_JSON_BODY_BYTES);
  if (text === null) return { ok: false, response: apiError(413, "The body is larger than 16 KB") };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: apiError(400, "The body is not valid JSON", [{ path: "", message: "Could not parse JSON" }]) };
  }
}

async function readLimited(request: Request, limit: number): Promise<string | null> {
  const bytes = await readLimitedBytes(request, limit);
  return bytes === null ? null : new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}

/** The body's bytes, reading no more than `limit` of them; null when it is longer. */
export async function readLimitedBytes(request: Request, limit: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
