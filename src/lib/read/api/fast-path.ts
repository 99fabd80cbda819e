// Answers a read-API request that is already in the response cache before Astro runs: the
// same bytes and headers as the routes gave the first time (tests/api/read-cache.test.ts), at
// a fraction of the cost. Anything else (a miss, a stale snapshot id, another method) returns
// false and goes through Astro, which builds the answer and fills the cache.
import type { IncomingMessage, ServerResponse } from "node:http";
import { API_CSP, COMMON_SECURITY_HEADERS } from "../../server/security-headers.ts";
import { freshCurrentSnapshotId, notModified, normalizedRequestKey, responseCache, type StoredResponse } from "./cache.ts";

/** What src/middleware.ts adds to every /api/ answer, lower-cased as Astro sends header names. */
const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({ ...COMMON_SECURITY_HEADERS, "X-Frame-Options": "DENY", "Content-Security-Policy": API_CSP })
    .map(([name, value]) => [name.toLowerCase(), value]),
);

/** Under load the same few URLs repeat: their normalized form is remembered (bounded). */
const normalizedTargets = new Map<string, string>();
const MAX_TARGETS = 10_000;

function normalizedTarget(target: string): string | undefined {
  let key = normalizedTargets.get(target);
  if (key !== undefined) return key;
  try {
    key = normalizedRequestKey(new URL(target, "http://localhost"));
  } catch {
    return undefined;
  }
  if (normalizedTargets.size >= MAX_TARGETS) normalizedTargets.clear();
  normalizedTargets.set(target, key);
  return key;
}

/** The headers of a hit, computed once per cached answer. */
const sentHeaders = new WeakMap<StoredResponse, { full: Record<string, string>; notModified: Record<string, string> }>();

function headersFor(stored: StoredResponse) {
  let headers = sentHeaders.get(stored);
  if (!headers) {
    const full: Record<string, string> = {};
    for (const [name, value] of Object.entries(stored.headers)) full[name.toLowerCase()] = value;
    Object.assign(full, API_SECURITY_HEADERS, { "content-length": String(stored.body.length) });
    const { "content-type": _type, "content-disposition": _disposition, "content-length": _length, ...rest } = full;
    headers = { full, notModified: rest };
    sentHeaders.set(stored, headers);
  }
  return headers;
}

export function serveCachedRead(req: IncomingMessage, res: ServerResponse, now = Date.now()): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const target = req.url ?? "";
  if (!target.startsWith("/api/v1/")) return false;
  // Privacy Pass routes (issue 12) answer from the issuer keys, never from the read cache.
  if (target.startsWith("/api/v1/token-")) return false;
  const snapshotId = freshCurrentSnapshotId(now);
  if (snapshotId === undefined) return false;
  const key = normalizedTarget(target);
  if (key === undefined) return false;
  const stored = responseCache.get(`${snapshotId}|${key}`);
  if (!stored) return false;

  const headers = headersFor(stored);
  const ifNoneMatch = req.headers["if-none-match"];
  if (notModified(typeof ifNoneMatch === "string" ? ifNoneMatch : null, stored.etag)) {
    res.writeHead(304, headers.notModified);
    res.end();
    return true;
  }
  res.writeHead(200, headers.full);
  res.end(req.method === "HEAD" ? undefined : stored.body);
  return true;
}
