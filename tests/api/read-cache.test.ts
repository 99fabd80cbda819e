// A cached read answer is byte-for-byte and header-for-header the answer that built it, however
// it is served (through Astro, or the fast path before it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../helpers/server.ts";
import { raw } from "./support/http.ts";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

const VARYING = new Set(["date", "connection", "keep-alive"]);
const headersOf = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !VARYING.has(name)).sort(([a], [b]) => a.localeCompare(b)));

describe("the read cache", () => {
  it.each([
    "/api/v1/aggregates.json?cpt=90837", "/api/v1/aggregates.csv?state=OR&cpt=90834", "/api/v1/snapshots/1/aggregates.json?_size=3",
    "/api/v1/snapshots.json", "/feeds/changes.atom",
  ])("answers %s the second time exactly as the first", async (path) => {
    const first = await raw(server.url, "GET", path);
    expect(first.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const again = await raw(server.url, "GET", path);
      expect(again.status).toBe(200);
      expect(again.body.equals(first.body)).toBe(true);
      expect(headersOf(again.headers)).toEqual(headersOf(first.headers));
      const revalidated = await raw(server.url, "GET", path, { headers: { "If-None-Match": String(first.headers.etag) } });
      expect(revalidated.status).toBe(304);
    }
  });

  it("answers the same parameters in another order with the same bytes", async () => {
    const a = await raw(server.url, "GET", "/api/v1/aggregates.json?cpt=90837&state=OR&_size=5");
    const b = await raw(server.url, "GET", "/api/v1/aggregates.json?_size=5&state=OR&cpt=90837");
    expect(b.body.equals(a.body)).toBe(true);
  });
});
