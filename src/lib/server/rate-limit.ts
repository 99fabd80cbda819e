// Per-client limits (submissions, failed sign-ins) keyed by an HMAC of the IP with a key that lives only in memory
// and rotates daily; neither the IP nor the key is ever written anywhere (rule "No identity").
// A client is counted as a person controls it (issue 12): an IPv6 address by its /64, with each
// /48 capped at 5× the limit, and an IPv4-mapped IPv6 address as its IPv4 address.
import { createHmac, randomBytes } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How many /64s of one /48 may use up their limit: a /48 is one site, often one organization. */
export const PREFIX48_FACTOR = 5;
/** Windows kept at most; beyond it the oldest go first (bounded memory whatever the traffic). */
export const DEFAULT_MAX_WINDOWS = 50_000;

/** The eight 16-bit groups of an IPv6 address (already checked with isIPv6, zone removed). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const halves = text.split("::");
  if (halves.length === 1) return parse(text);
  const left = parse(halves[0]!);
  const right = parse(halves[1]!);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * What the limiter counts for an address: the client (an IPv4 address, or an IPv6 /64) and, for
 * IPv6, its /48. An IPv4-mapped address (::ffff:a.b.c.d) is its IPv4 address.
 */
export function clientPrefixes(address: string): { client: string; site: string | null } {
  const trimmed = address.trim();
  if (isIPv4(trimmed)) return { client: `v4:${trimmed}`, site: null };
  const bare = trimmed.split("%")[0]!;
  if (!isIPv6(bare)) return { client: `raw:${trimmed}`, site: null };
  const g = ipv6Groups(bare);
  if (g.length !== 8) return { client: `raw:${trimmed}`, site: null };
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return { client: `v4:${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`, site: null };
  }
  const hex = (groups: number[]) => groups.map((x) => x.toString(16)).join(":");
  return { client: `v6/64:${hex(g.slice(0, 4))}`, site: `v6/48:${hex(g.slice(0, 3))}` };
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

type Window = { start: number; count: number };

export class ClientRateLimiter {
  #key = randomBytes(32);
  #keyBornAt: number;
  /** In order of window start (a renewed window moves to the end), so the oldest come first. */
  #windows = new Map<string, Window>();
  readonly limitPerHour: number;
  readonly maxWindows: number;
  readonly #now: () => number;

  constructor(limitPerHour: number, now: () => number = Date.now, maxWindows = DEFAULT_MAX_WINDOWS) {
    this.limitPerHour = limitPerHour;
    this.maxWindows = maxWindows;
    this.#now = now;
    this.#keyBornAt = now();
  }

  /** How many windows are held (for tests of the memory cap). */
  get size(): number {
    return this.#windows.size;
  }

  /** The keyed digest that stands in for a client (its IPv4 address or IPv6 /64); exposed for tests that check it is not the IP. */
  clientKey(ip: string): string {
    return this.#digest(clientPrefixes(ip).client);
  }

  #digest(prefix: string): string {
    this.#rotateIfDue();
    return createHmac("sha256", this.#key).update(prefix).digest("base64url");
  }

  /** The live window of a key, if any. */
  #live(key: string, now: number): Window | undefined {
    const window = this.#windows.get(key);
    return window !== undefined && now - window.start < HOUR_MS ? window : undefined;
  }

  /** The client's window and its /48's, each with its limit. */
  #checks(ip: string): [string, number][] {
    const { client, site } = clientPrefixes(ip);
    const checks: [string, number][] = [[this.#digest(client), this.limitPerHour]];
    if (site !== null) checks.push([this.#digest(site), this.limitPerHour * PREFIX48_FACTOR]);
    return checks;
  }

  /** Whether the client (or its /48) has used up its hour, without counting anything. */
  blocked(ip: string): boolean {
    if (this.limitPerHour === 0) return false;
    const now = this.#now();
    return this.#checks(ip).some(([key, limit]) => (this.#live(key, now)?.count ?? 0) >= limit);
  }

  /** Counts one submission for the client and its /48; 0 as the limit turns limiting off (tests, benchmarks). */
  hit(ip: string): RateLimitDecision {
    if (this.limitPerHour === 0) return { allowed: true };
    const now = this.#now();
    this.#pruneExpired(now);
    const checks = this.#checks(ip);
    for (const [key, limit] of checks) {
      const window = this.#live(key, now);
      if (window && window.count >= limit) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + HOUR_MS - now) / 1000)) };
      }
    }
    for (const [key] of checks) {
      let window = this.#live(key, now);
      if (!window) {
        window = { start: now, count: 0 };
        this.#windows.delete(key);
        this.#windows.set(key, window);
      }
      window.count++;
    }
    while (this.#windows.size > this.maxWindows) this.#windows.delete(this.#windows.keys().next().value!);
    return { allowed: true };
  }

  /** Takes back one counted attempt (a sign-in counted before checking, which then succeeded). */
  forgive(ip: string): void {
    const window = this.#windows.get(this.clientKey(ip));
    if (window && window.count > 0) window.count--;
  }

  #rotateIfDue(): void {
    const now = this.#now();
    if (now - this.#keyBornAt < DAY_MS) return;
    // A new key makes every old digest meaningless, so the old windows go too.
    this.#key = randomBytes(32);
    this.#keyBornAt = now;
    this.#windows.clear();
  }

  /**
   * Drops expired windows from the front. Windows are in start order, so this stops at the first
   * live one: each window is visited once in its life, not once per request.
   */
  #pruneExpired(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now - window.start < HOUR_MS) return;
      this.#windows.delete(key);
    }
  }
}

/**
 * The client address: the socket's, or with N trusted proxies the N-th address from the right
 * of X-Forwarded-For (a client cannot spoof entries a trusted proxy appends).
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | null, trustedProxies: number): string {
  if (trustedProxies > 0 && forwardedFor) {
    const hops = forwardedFor.split(",").map((hop) => hop.trim()).filter(Boolean);
    const candidate = hops[hops.length - trustedProxies];
    if (candidate) return candidate;
  }
  return socketAddress ?? "unknown";
}
