// The fast path answers a cached read exactly as the route would, and only then.
import type { IncomingMessage, ServerResponse } from "node:http";
import { describe, expect, it } from "vitest";
import { snapshots } from "../../db/schema.ts";
import { currentSnapshot, readCacheKey, responseCache, SNAPSHOT_MEMO_MS, storedResponse } from "../../src/lib/read/api/cache.ts";
import { isCacheableReadTarget, serveCachedRead } from "../../src/lib/read/api/fast-path.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { API_CSP, COMMON_SECURITY_HEADERS } from "../../src/lib/server/security-headers.ts";

type Written = { status?: number; headers?: Record<string, string>; body?: Buffer | undefined; ended: boolean };

function call(method: string, url: string, headers: Record<string, string> = {}, now = Date.now()): { served: boolean; written: Written } {
  const written: Written = { ended: false };
  const res = {
    writeHead(status: number, head: Record<string, string>) {
      written.status = status;
      written.headers = head;
      return res;
    },
    end(body?: Buffer) {
      written.body = body;
      written.ended = true;
      return res;
    },
  };
  const served = serveCachedRead({ method, url, headers } as unknown as IncomingMessage, res as unknown as ServerResponse, now);
  return { served, written };
}

describe("the read fast path", () => {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  connection.db.insert(snapshots).values({
    createdAt: "2026-11-24T00:00:00.000Z", rulesVersion: "1.0.0", k: 5, bandEdges: [0, 30], isDemo: true,
    reportsUsed: 0, cellsPublished: 0, cellsSuppressed: {}, trigger: "script",
  }).run();
  const path = "/api/v1/aggregates.json?state=OR&cpt=90837";
  const stored = storedResponse('{"ok":true}', { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=60" });

  function prime(): number {
    const now = Date.now();
    const snapshot = currentSnapshot(connection.db, now)!;
    responseCache.set(readCacheKey(snapshot.id, new URL(path, "http://x")), stored);
    return now;
  }

  it("answers a hit with the cached body and the headers the route and middleware give", () => {
    const now = prime();
    // The same parameters in another order are the same answer.
    const { served, written } = call("GET", "/api/v1/aggregates.json?cpt=90837&state=OR", {}, now);
    expect(served).toBe(true);
    expect(written.status).toBe(200);
    expect(written.body?.toString()).toBe('{"ok":true}');
    const expected = Object.fromEntries(Object.entries({
      ...stored.headers, ...COMMON_SECURITY_HEADERS, "X-Frame-Options": "DENY", "Content-Security-Policy": API_CSP, "Content-Length": "11",
    }).map(([name, value]) => [name.toLowerCase(), value]));
    expect(written.headers).toEqual(expected);
  });

  it("answers HEAD without a body and a matching If-None-Match with 304", () => {
    const now = prime();
    const head = call("HEAD", path, {}, now);
    expect(head.written.status).toBe(200);
    expect(head.written.body).toBeUndefined();
    const revalidated = call("GET", path, { "if-none-match": stored.etag }, now);
    expect(revalidated.written.status).toBe(304);
    expect(revalidated.written.body).toBeUndefined();
    expect(revalidated.written.headers!.etag).toBe(stored.etag);
    expect(revalidated.written.headers!["content-type"]).toBeUndefined();
  });

  it("leaves everything else to Astro: misses, other methods, other paths, a stale snapshot id", () => {
    const now = prime();
    expect(call("GET", "/api/v1/aggregates.json?cpt=90834", {}, now).served).toBe(false);
    expect(call("POST", path, {}, now).served).toBe(false);
    expect(call("GET", "/data", {}, now).served).toBe(false);
    expect(call("GET", path, {}, now + SNAPSHOT_MEMO_MS).served).toBe(false);
  });

  it("considers only cacheable read routes, never a receipt URL", () => {
    const now = Date.now();
    const snapshot = currentSnapshot(connection.db, now)!;
    const receiptPath = "/api/v1/reports/abcd-efgh-ijkl-mnop-qrst-uvwx-yz";
    responseCache.set(readCacheKey(snapshot.id, new URL(receiptPath, "http://x")), stored);
    expect(call("GET", receiptPath, {}, now).served).toBe(false);
    expect(isCacheableReadTarget(receiptPath)).toBe(false);
    for (const target of ["/api/v1/aggregates.json?cpt=90837", "/api/v1/aggregates.csv", "/api/v1/snapshots.json", "/api/v1/history.json", "/api/v1/snapshots/12/aggregates.json?x=1"]) {
      expect(isCacheableReadTarget(target), target).toBe(true);
    }
  });
});
