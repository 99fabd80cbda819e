// The read cache: bounded, keyed by snapshot and normalized URL, revalidated by ETag.
import { describe, expect, it } from "vitest";
import { normalizedRequestKey, notModified, readCacheKey, ResponseCache, sendStored, storedResponse } from "../../src/lib/read/api/cache.ts";

describe("the response cache", () => {
  it("gives two URLs with the same parameters in another order the same key", () => {
    const a = new URL("http://x/api/v1/aggregates.json?state=OR&cpt=90837");
    const b = new URL("http://x/api/v1/aggregates.json?cpt=90837&state=OR");
    expect(normalizedRequestKey(a)).toBe(normalizedRequestKey(b));
    expect(readCacheKey(1, a)).not.toBe(readCacheKey(2, a));
    // An empty or unknown parameter changes the answer (400, or not), so it stays in the key.
    expect(normalizedRequestKey(new URL("http://x/a?cpt=90837&x="))).not.toBe(normalizedRequestKey(new URL("http://x/a?cpt=90837")));
  });

  it("evicts the least recently used answers beyond its byte budget and never keeps a huge one", () => {
    const cache = new ResponseCache(8000);
    const entry = (size: number) => storedResponse(Buffer.alloc(size, 97), {});
    cache.set("a", entry(400));
    cache.set("b", entry(400));
    cache.get("a");
    for (let i = 0; i < 20; i++) cache.set(`x${i}`, entry(400));
    expect(cache.bytes).toBeLessThanOrEqual(8000);
    expect(cache.get("b")).toBeUndefined();
    cache.set("huge", entry(1001));
    expect(cache.get("huge")).toBeUndefined();
  });

  it("counts keys and headers in its budget and caps how many answers it keeps", () => {
    const tiny = storedResponse("", {});
    const byBytes = new ResponseCache(1_000_000);
    byBytes.set("k".repeat(10_000), tiny);
    expect(byBytes.bytes).toBeGreaterThanOrEqual(10_000);
    const byEntries = new ResponseCache(1_000_000, 3);
    for (let i = 0; i < 10; i++) byEntries.set(`key${i}`, tiny);
    expect(byEntries.entries).toBe(3);
    expect(byEntries.get("key9")).toBeDefined();
    expect(byEntries.get("key0")).toBeUndefined();
  });

  it("answers 304 without a body to a matching If-None-Match", async () => {
    const stored = storedResponse('{"ok":true}', { "Content-Type": "application/json", "Cache-Control": "public, max-age=60" });
    expect(stored.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(notModified(`W/${stored.etag}`, stored.etag)).toBe(true);
    expect(notModified(`"other", ${stored.etag}`, stored.etag)).toBe(true);
    expect(notModified("*", stored.etag)).toBe(true);
    expect(notModified('"other"', stored.etag)).toBe(false);
    const fresh = sendStored(stored, new Request("http://x/", { headers: { "If-None-Match": stored.etag } }));
    expect(fresh.status).toBe(304);
    expect(fresh.headers.get("etag")).toBe(stored.etag);
    expect(fresh.headers.get("cache-control")).toBe("public, max-age=60");
    expect(await fresh.text()).toBe("");
    const full = sendStored(stored, new Request("http://x/"));
    expect(full.status).toBe(200);
    expect(await full.text()).toBe('{"ok":true}');
  });
});
