// Moderator passwords: at least 12 characters, not a common password, hashed with Argon2id.
import { hash, verify } from "@node-rs/argon2";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** OWASP's Argon2id parameters: 19 MiB, 2 iterations, 1 lane. */
const ARGON2ID = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(resolve(process.cwd(), "db/seed/common-passwords.txt"), "utf8")
      .split("\n").map((line) => line.trim().toLowerCase()).filter((line) => line && !line.startsWith("#")),
  );
  return common;
}

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters.`;
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return "That password is on the list of common passwords; choose another.";
  if (/^(.)\1+$/.test(password) || /^(.{1,4})\1+$/.test(lower)) return "That password is a short pattern repeated; choose another.";
  const local = email.split("@")[0]?.toLowerCase() ?? "";
  if (local.length >= 4 && lower.includes(local)) return "Don't use your email address in your password.";
  return null;
}

/**
 * At most this many Argon2 computations run at once (libuv's pool has 4 threads, which file and
 * DNS work share): a burst of sign-ins waits its turn instead of tying up every thread.
 */
export const ARGON2_CONCURRENCY = 2;
let active = 0;
let peak = 0;
let calls = 0;
const waiting: (() => void)[] = [];

async function withArgon2Slot<T>(work: () => Promise<T>): Promise<T> {
  calls++;
  // A finished computation hands its slot straight to the next in line, so none can jump the queue.
  if (active >= ARGON2_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  else active++;
  peak = Math.max(peak, active);
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else active--;
  }
}

/** How many Argon2 computations ran and the most at once (for tests and the report). */
export function argon2Stats(): { calls: number; peak: number; waiting: number } {
  return { calls, peak, waiting: waiting.length };
}
export function resetArgon2Stats(): void {
  calls = 0;
  peak = active;
}

export function hashPassword(password: string): Promise<string> {
  return withArgon2Slot(() => hash(password, ARGON2ID));
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return withArgon2Slot(() => verify(passwordHash, password));
}

/** A valid hash of a random password: verified against when an email is unknown, so timing tells nothing. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hash(crypto.randomUUID(), ARGON2ID);
  return decoy;
}
