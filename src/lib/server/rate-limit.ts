// Per-client limits (submissions, failed sign-ins) keyed by an HMAC of the IP with a key that lives only in memory
// and rotates daily; neither the IP nor the key is ever written anywhere (rule "No identity").
import { createHmac, randomBytes } from "node:crypto";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class ClientRateLimiter {
  #key = randomBytes(32);
  #keyBornAt: number;
  #windows = new Map<string, { start: number; count: number }>();
  readonly limitPerHour: number;
  readonly #now: () => number;

  constructor(limitPerHour: number, now: () => number = Date.now) {
    this.limitPerHour = limitPerHour;
    this.#now = now;
    this.#keyBornAt = now();
  }

  /** The keyed digest that stands in for an IP; exposed for tests that check it is not the IP. */
  clientKey(ip: string): string {
    this.#rotateIfDue();
    return createHmac("sha256", this.#key).update(ip).digest("base64url");
  }

  /** Whether the client has used up its hour, without counting anything. */
  blocked(ip: string): boolean {
    if (this.limitPerHour === 0) return false;
    const window = this.#windows.get(this.clientKey(ip));
    return window !== undefined && this.#now() - window.start < HOUR_MS && window.count >= this.limitPerHour;
  }

  /** Counts one submission for the client; 0 as the limit turns limiting off (tests, benchmarks). */
  hit(ip: string): RateLimitDecision {
    if (this.limitPerHour === 0) return { allowed: true };
    const now = this.#now();
    const key = this.clientKey(ip);
    let window = this.#windows.get(key);
    if (!window || now - window.start >= HOUR_MS) {
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count >= this.limitPerHour) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + HOUR_MS - now) / 1000)) };
    }
    window.count++;
    if (this.#windows.size > 50_000) this.#prune(now);
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

  #prune(now: number): void {
    for (const [key, window] of this.#windows) if (now - window.start >= HOUR_MS) this.#windows.delete(key);
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
