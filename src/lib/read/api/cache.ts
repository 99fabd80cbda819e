// Published data is immutable per snapshot, so a read answer is a pure function of the snapshot
// and the normalized URL: built once, kept in memory, revalidated with ETag / If-None-Match.
import { createHash } from "node:crypto";
import type { Db } from "../../server/db.ts";
import { latestSnapshot, type Snapshot } from "../published.ts";

export type StoredResponse = { body: Buffer; etag: string; headers: Readonly<Record<string, string>> };

export const CURRENT_CACHE_CONTROL = "public, max-age=60";
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

export const READ_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "ETag, Link",
};

export function storedResponse(body: string | Buffer, headers: Record<string, string>): StoredResponse {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const etag = `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"`;
  return { body: bytes, etag, headers: { ...READ_HEADERS, ...headers, ETag: etag } };
}

/** True when the request's If-None-Match names this ETag (weak comparison, RFC 9110 13.1.2). */
export function notModified(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  return ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/** The answer to a GET or HEAD: 304 when the client already has it. */
export function sendStored(stored: StoredResponse, request: Request): Response {
  if (notModified(request.headers.get("if-none-match"), stored.etag)) {
    const { "Content-Type": _type, "Content-Disposition": _disposition, ...headers } = stored.headers;
    return new Response(null, { status: 304, headers });
  }
  return new Response(new Uint8Array(stored.body), { status: 200, headers: { ...stored.headers, "Content-Length": String(stored.body.length) } });
}

/** The memory an entry holds, roughly: its key, body and headers (UTF-16 strings, two bytes a unit). */
function entryBytes(key: string, entry: StoredResponse): number {
  let headerChars = 0;
  for (const [name, value] of Object.entries(entry.headers)) headerChars += name.length + value.length;
  return entry.body.length + 2 * (key.length + headerChars) + ENTRY_OVERHEAD_BYTES;
}
/** Map slot, objects and the ETag of one entry, so that many tiny answers are not free. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Least-recently-used, bounded by bytes (keys and headers included) and by entries; an answer
 * larger than an eighth of the budget is not kept.
 */
export class ResponseCache {
  readonly #entries = new Map<string, { stored: StoredResponse; size: number }>();
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  #bytes = 0;

  constructor(maxBytes: number, maxEntries = 20_000) {
    this.#maxBytes = maxBytes;
    this.#maxEntries = maxEntries;
  }

  get(key: string): StoredResponse | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry?.stored;
  }

  set(key: string, stored: StoredResponse): void {
    const size = entryBytes(key, stored);
    if (size > this.#maxBytes / 8) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#bytes -= old.size;
      this.#entries.delete(key);
    }
    this.#entries.set(key, { stored, size });
    this.#bytes += size;
    for (const [oldest, value] of this.#entries) {
      if (this.#bytes <= this.#maxBytes && this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(oldest);
      this.#bytes -= value.size;
    }
  }

  get bytes(): number {
    return this.#bytes;
  }

  get entries(): number {
    return this.#entries.size;
  }
}

/**
 * Shared through globalThis because the server process holds two copies of this module: the
 * one bundled into Astro's build (which fills the cache) and the one scripts/start.ts imports
 * for the fast path (src/lib/read/api/fast-path.ts), which answers hits before Astro runs.
 */
type SharedReadState = { cache: ResponseCache; current: { at: number; id: number } | null };
const SHARED = Symbol.for("ratecard.read-api");
const shared: SharedReadState = ((globalThis as Record<symbol, unknown>)[SHARED] as SharedReadState | undefined)
  ?? ((globalThis as Record<symbol, unknown>)[SHARED] = { cache: new ResponseCache(64 * 1024 * 1024), current: null }) as SharedReadState;

export const responseCache = shared.cache;

/** The path and the query parameters sorted: two URLs with the same key get the same answer. */
export function normalizedRequestKey(url: URL): string {
  const params = [...url.searchParams].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return `${url.pathname}?${new URLSearchParams(params).toString()}`;
}

/** The cache key of a read answer: the current snapshot and the normalized URL. */
export function readCacheKey(currentSnapshotId: number, url: URL): string {
  return `${currentSnapshotId}|${normalizedRequestKey(url)}`;
}

export const SNAPSHOT_MEMO_MS = 500;
const snapshotMemo = new WeakMap<Db, { at: number; snapshot: Snapshot | undefined }>();

/**
 * The newest snapshot, looked up at most every half second: a snapshot published by another
 * process is served within that time, and a burst of reads costs one query, not thousands.
 */
export function currentSnapshot(db: Db, now = Date.now()): Snapshot | undefined {
  const memo = snapshotMemo.get(db);
  if (memo && now - memo.at < SNAPSHOT_MEMO_MS && now >= memo.at) return memo.snapshot;
  const snapshot = latestSnapshot(db);
  snapshotMemo.set(db, { at: now, snapshot });
  shared.current = snapshot ? { at: now, id: snapshot.id } : null;
  return snapshot;
}

/** The current snapshot id as last read by currentSnapshot(), while that is fresh. */
export function freshCurrentSnapshotId(now = Date.now()): number | undefined {
  const current = shared.current;
  return current && now >= current.at && now - current.at < SNAPSHOT_MEMO_MS ? current.id : undefined;
}
