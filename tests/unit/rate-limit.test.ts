// The submission rate limit (DESIGN.md rule "No identity"; RATECARD_RATE_LIMIT, RATECARD_TRUST_PROXY):
// per-client windows of an hour, keyed by an HMAC of the IP under a daily in-memory key.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ClientRateLimiter, PREFIX48_FACTOR, clientAddress, clientPrefixes } from "../../src/lib/server/rate-limit.ts";

const HOUR = 3_600_000;
const DAY = 86_400_000;

function clock(start = Date.UTC(2026, 0, 15, 12)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

describe("ClientRateLimiter", () => {
  it("allows the limit per hour, then refuses with a positive Retry-After", () => {
    const time = clock();
    const limiter = new ClientRateLimiter(3, time.now);
    for (let i = 0; i < 3; i++) expect(limiter.hit("198.51.100.1")).toEqual({ allowed: true });
    const refused = limiter.hit("198.51.100.1");
    expect(refused.allowed).toBe(false);
    if (refused.allowed) return;
    expect(Number.isInteger(refused.retryAfterSeconds)).toBe(true);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it("counts each client separately", () => {
    const time = clock();
    const limiter = new ClientRateLimiter(1, time.now);
    expect(limiter.hit("198.51.100.1").allowed).toBe(true);
    expect(limiter.hit("198.51.100.1").allowed).toBe(false);
    expect(limiter.hit("198.51.100.2").allowed).toBe(true);
    expect(limiter.hit("2001:db8::1").allowed).toBe(true);
  });

  it("counts down Retry-After and opens a new window after an hour", () => {
    const time = clock();
    const limiter = new ClientRateLimiter(2, time.now);
    limiter.hit("198.51.100.1");
    limiter.hit("198.51.100.1");
    const first = limiter.hit("198.51.100.1");
    expect(first).toEqual({ allowed: false, retryAfterSeconds: 3600 });
    time.advance(30 * 60_000);
    expect(limiter.hit("198.51.100.1")).toEqual({ allowed: false, retryAfterSeconds: 1800 });
    time.advance(30 * 60_000 - 1000);
    expect(limiter.hit("198.51.100.1")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    time.advance(1000);
    expect(limiter.hit("198.51.100.1")).toEqual({ allowed: true });
    expect(limiter.hit("198.51.100.1")).toEqual({ allowed: true });
    expect(limiter.hit("198.51.100.1").allowed).toBe(false);
  });

  it("does not let refused attempts extend the window", () => {
    const time = clock();
    const limiter = new ClientRateLimiter(1, time.now);
    limiter.hit("198.51.100.1");
    for (let i = 0; i < 50; i++) {
      time.advance(60_000);
      expect(limiter.hit("198.51.100.1").allowed).toBe(false);
    }
    time.advance(HOUR - 50 * 60_000);
    expect(limiter.hit("198.51.100.1").allowed).toBe(true);
  });

  it("turns limiting off with a limit of 0", () => {
    const limiter = new ClientRateLimiter(0, clock().now);
    for (let i = 0; i < 1000; i++) expect(limiter.hit("198.51.100.1")).toEqual({ allowed: true });
  });

  it("keys clients by a digest that is neither the IP nor a plain SHA-256 of it", () => {
    const limiter = new ClientRateLimiter(10, clock().now);
    const ip = "198.51.100.1";
    const key = limiter.clientKey(ip);
    expect(key).not.toContain(ip);
    expect(key).not.toContain("198");
    const plain = createHash("sha256").update(ip).digest();
    for (const encoding of ["hex", "base64", "base64url"] as const) {
      expect(key).not.toBe(plain.toString(encoding));
      expect(key).not.toContain(plain.toString(encoding).slice(0, 16));
    }
    // Stable within the day, different per client.
    expect(limiter.clientKey(ip)).toBe(key);
    expect(limiter.clientKey("198.51.100.2")).not.toBe(key);
  });

  it("uses a random key per process: two limiters key the same IP differently", () => {
    const a = new ClientRateLimiter(10, clock().now);
    const b = new ClientRateLimiter(10, clock().now);
    expect(a.clientKey("198.51.100.1")).not.toBe(b.clientKey("198.51.100.1"));
  });

  it("rotates its key after a day", () => {
    const time = clock();
    const limiter = new ClientRateLimiter(10, time.now);
    const ip = "198.51.100.1";
    const before = limiter.clientKey(ip);
    time.advance(DAY - 1);
    expect(limiter.clientKey(ip)).toBe(before);
    time.advance(1);
    const after = limiter.clientKey(ip);
    expect(after).not.toBe(before);
    expect(limiter.clientKey(ip)).toBe(after);
    time.advance(DAY);
    expect(limiter.clientKey(ip)).not.toBe(after);
  });

  it("forgets the old windows when the key rotates", () => {
    const time = clock();
    const limiter = new ClientRateLimiter(1, time.now);
    // A window opened 59 minutes before the rotation is not carried over under the new key.
    time.advance(DAY - 59 * 60_000);
    expect(limiter.hit("198.51.100.1").allowed).toBe(true);
    expect(limiter.hit("198.51.100.1").allowed).toBe(false);
    time.advance(59 * 60_000);
    expect(limiter.hit("198.51.100.1").allowed).toBe(true);
  });
});

describe("clientAddress", () => {
  const socket = "192.0.2.10";

  it("uses the socket address and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientAddress(socket, null, 0)).toBe(socket);
    expect(clientAddress(socket, "203.0.113.77", 0)).toBe(socket);
    expect(clientAddress(socket, "203.0.113.77, 198.51.100.7", 0)).toBe(socket);
  });

  it("with one trusted proxy takes the right-most entry, which the proxy appended", () => {
    expect(clientAddress(socket, "198.51.100.7", 1)).toBe("198.51.100.7");
    // The client sent "X-Forwarded-For: 6.6.6.6"; the proxy appended the real address.
    expect(clientAddress(socket, "6.6.6.6, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddress(socket, " 6.6.6.6 ,198.51.100.7 ", 1)).toBe("198.51.100.7");
  });

  it("with two trusted proxies takes the second entry from the right", () => {
    expect(clientAddress(socket, "198.51.100.7, 10.0.0.2", 2)).toBe("198.51.100.7");
    expect(clientAddress(socket, "6.6.6.6, 7.7.7.7, 198.51.100.7, 10.0.0.2", 2)).toBe("198.51.100.7");
  });

  it("falls back to the socket address without X-Forwarded-For", () => {
    expect(clientAddress(socket, null, 1)).toBe(socket);
    expect(clientAddress(socket, "", 1)).toBe(socket);
  });

  it("answers a stable placeholder when even the socket address is unknown", () => {
    expect(clientAddress(undefined, null, 0)).toBe("unknown");
    expect(clientAddress(undefined, "203.0.113.77", 0)).toBe("unknown");
  });
});

// Issue 12: a client is counted as a person controls it, with bounded memory.
describe("ClientRateLimiter: clients as a person controls them", () => {
  it("counts every address of one IPv6 /64 as one client", () => {
    const limiter = new ClientRateLimiter(2, clock().now);
    expect(limiter.hit("2001:db8:1:2::1").allowed).toBe(true);
    expect(limiter.hit("2001:db8:1:2:ffff:ffff:ffff:ffff").allowed).toBe(true);
    expect(limiter.hit("2001:0db8:0001:0002:1234::9").allowed).toBe(false);
    expect(limiter.hit("2001:db8:1:3::1").allowed).toBe(true);
    expect(limiter.clientKey("2001:db8:1:2::1")).toBe(limiter.clientKey("2001:DB8:1:2:abcd::7%eth0"));
  });

  it("caps each IPv6 /48 at 5× the limit, across its /64s", () => {
    const limiter = new ClientRateLimiter(2, clock().now);
    let allowed = 0;
    for (let subnet = 0; subnet < 20; subnet++) {
      for (let i = 0; i < 2; i++) if (limiter.hit(`2001:db8:7:${subnet.toString(16)}::${i + 1}`).allowed) allowed++;
    }
    expect(allowed).toBe(2 * PREFIX48_FACTOR);
    expect(limiter.blocked("2001:db8:7:ff::1")).toBe(true);
    // another /48 is not affected
    expect(limiter.hit("2001:db8:8::1").allowed).toBe(true);
  });

  it("counts an IPv4-mapped IPv6 address as its IPv4 address", () => {
    const limiter = new ClientRateLimiter(2, clock().now);
    expect(limiter.hit("198.51.100.9").allowed).toBe(true);
    expect(limiter.hit("::ffff:198.51.100.9").allowed).toBe(true);
    expect(limiter.hit("::FFFF:c633:6409").allowed).toBe(false);
    expect(limiter.clientKey("::ffff:198.51.100.9")).toBe(limiter.clientKey("198.51.100.9"));
    expect(clientPrefixes("0:0:0:0:0:ffff:198.51.100.9")).toEqual({ client: "v4:198.51.100.9", site: null });
  });

  it("parses IPv6 forms to the same prefixes and leaves other strings as they are", () => {
    expect(clientPrefixes("2001:db8::1")).toEqual({ client: "v6/64:2001:db8:0:0", site: "v6/48:2001:db8:0" });
    expect(clientPrefixes("2001:db8:0:0:0:0:0:1")).toEqual(clientPrefixes("2001:db8::1"));
    expect(clientPrefixes("::1")).toEqual({ client: "v6/64:0:0:0:0", site: "v6/48:0:0:0" });
    expect(clientPrefixes("unknown")).toEqual({ client: "raw:unknown", site: null });
  });

  it("caps its memory, evicting the oldest windows first", () => {
    const time = clock();
    const limiter = new ClientRateLimiter(1, time.now, 100);
    expect(limiter.hit("198.51.100.1").allowed).toBe(true);
    for (let i = 0; i < 500; i++) {
      time.advance(1);
      limiter.hit(`10.0.${i >> 8}.${i & 255}`);
      expect(limiter.size).toBeLessThanOrEqual(100);
    }
    // the oldest window went first: its client starts afresh; the newest is still counted
    expect(limiter.hit("198.51.100.1").allowed).toBe(true);
    expect(limiter.hit("10.0.1.243").allowed).toBe(false);
  });

  it("prunes expired windows as it goes, without waiting for the cap", () => {
    const time = clock();
    const limiter = new ClientRateLimiter(1, time.now);
    for (let i = 0; i < 200; i++) limiter.hit(`10.1.0.${i}`);
    expect(limiter.size).toBe(200);
    time.advance(HOUR);
    limiter.hit("10.2.0.1");
    expect(limiter.size).toBe(1);
  });
});
