// Moderator accounts: created from the command line with a one-time set-up link, signed in with
// a password that is throttled per account and per client, then a second factor.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { moderators } from "../../../../db/schema.ts";
import type { Db } from "../../server/db.ts";
import { ClientRateLimiter } from "../../server/rate-limit.ts";
import { randomId } from "../receipts.ts";
import { audit, minuteOf } from "./audit.ts";
import { decoyHash, hashPassword, passwordProblem, verifyPassword } from "./passwords.ts";
import { invalidateAllSessions } from "./sessions.ts";

export type ModeratorRow = typeof moderators.$inferSelect;
export const SETUP_LINK_HOURS = 24;
/** Consecutive failures after which an account is paused; each further failure doubles the pause. */
export const LOCK_AFTER_FAILURES = 5;
export const MAX_LOCK_MINUTES = 60;
/** Failed sign-ins allowed per client and hour, across all accounts. */
export const CLIENT_FAILURES_PER_HOUR = 20;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function findModeratorByEmail(db: Db, email: string): ModeratorRow | undefined {
  return db.select().from(moderators).where(eq(moderators.email, normalizeEmail(email))).get();
}

export function findModerator(db: Db, id: string): ModeratorRow | undefined {
  return db.select().from(moderators).where(eq(moderators.id, id)).get();
}

export function createModerator(db: Db, email: string, now = new Date()): ModeratorRow {
  const row: ModeratorRow = {
    id: randomId(), email: normalizeEmail(email), passwordHash: null, totpKey: null, failedLogins: 0, lockedUntil: null,
    createdAt: now.toISOString(), setupNonce: newNonce(), totpLastStep: null, failedCodes: 0,
  };
  db.insert(moderators).values(row).run();
  audit(db, null, "moderator.created", { email: row.email }, now);
  return row;
}

/** Clears the password and second factor so that a new set-up link can be used (lost device). */
export function resetModerator(db: Db, moderator: ModeratorRow, now = new Date()): ModeratorRow {
  // A new nonce: every set-up link issued before this reset stops working.
  const cleared = { passwordHash: null, totpKey: null, failedLogins: 0, lockedUntil: null, setupNonce: newNonce(), totpLastStep: null, failedCodes: 0 };
  db.transaction((tx) => {
    tx.update(moderators).set(cleared).where(eq(moderators.id, moderator.id)).run();
    invalidateAllSessions(tx, moderator.id);
    audit(tx, null, "moderator.reset", { email: moderator.email }, now);
  });
  return { ...moderator, ...cleared };
}

const newNonce = () => randomBytes(16).toString("base64url");

function setupMac(secret: string, id: string, expires: number, passwordHash: string | null, nonce: string | null): string {
  return createHmac("sha256", secret).update(`setup|${id}|${expires}|${passwordHash ?? ""}|${nonce ?? ""}`).digest("base64url");
}

/**
 * A link token valid for 24 hours and only until a password is set; the MAC covers the
 * moderator's set-up nonce, which `--reset` renews, so an older link never comes back to life.
 */
export function setupToken(moderator: ModeratorRow, secret: string, now = new Date()): string {
  const expires = now.getTime() + SETUP_LINK_HOURS * 3_600_000;
  return `${moderator.id}.${expires}.${setupMac(secret, moderator.id, expires, moderator.passwordHash, moderator.setupNonce)}`;
}

export function moderatorForSetupToken(db: Db, token: string, secret: string, now = new Date()): ModeratorRow | null {
  const [id, expiresText, mac, extra] = token.split(".");
  if (!id || !expiresText || !mac || extra !== undefined || !/^\d+$/.test(expiresText)) return null;
  const expires = Number(expiresText);
  if (now.getTime() > expires) return null;
  const moderator = findModerator(db, id);
  if (!moderator || moderator.passwordHash !== null) return null;
  const expected = Buffer.from(setupMac(secret, id, expires, moderator.passwordHash, moderator.setupNonce));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? moderator : null;
}

export type PasswordResult = { ok: true } | { ok: false; message: string };

export async function setPassword(db: Db, moderator: ModeratorRow, password: string, now = new Date()): Promise<PasswordResult> {
  const problem = passwordProblem(password, moderator.email);
  if (problem) return { ok: false, message: problem };
  const passwordHash = await hashPassword(password);
  const first = moderator.passwordHash === null;
  // The first password is set only while none is: a set-up link used twice at once sets one.
  return db.transaction((tx): PasswordResult => {
    const where = first ? and(eq(moderators.id, moderator.id), isNull(moderators.passwordHash)) : eq(moderators.id, moderator.id);
    const changed = tx.update(moderators).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(where).run().changes;
    if (changed !== 1) return { ok: false, message: "This set-up link was already used. Ask for a new one." };
    invalidateAllSessions(tx, moderator.id);
    audit(tx, moderator, first ? "password.set" : "password.changed", {}, now);
    return { ok: true };
  });
}

/** Sign-in failures per client; a constant of its own, whatever RATECARD_RATE_LIMIT says. */
export const clientFailures = new ClientRateLimiter(CLIENT_FAILURES_PER_HOUR);

/** `retryAfterSeconds` is set when the client must wait (429); it says nothing about any account. */
export type LoginResult = { ok: true; moderator: ModeratorRow } | { ok: false; retryAfterSeconds?: number };

export function lockMinutes(failures: number): number {
  return Math.min(MAX_LOCK_MINUTES, 2 ** Math.max(0, failures - LOCK_AFTER_FAILURES));
}

/** Accounts (by normalized email) and clients with a password check under way. */
const inFlight = new Set<string>();

/**
 * Checks an email and password. A refusal looks the same for an unknown email, a wrong password
 * and a paused account, and each costs one Argon2id verification. The attempt is counted before
 * the password is checked (per client, and per account with an atomic UPDATE … RETURNING), and a
 * second check for the same account or client while one is under way is refused, so a burst of
 * guesses is never cheaper than the same guesses one by one.
 */
export async function attemptLogin(
  db: Db, email: string, password: string, clientIp: string, now = new Date(), limiter = clientFailures,
): Promise<LoginResult> {
  const accountKey = `account:${normalizeEmail(email)}`;
  const clientKey = `client:${limiter.clientKey(clientIp)}`;
  if (inFlight.has(accountKey) || inFlight.has(clientKey)) return { ok: false, retryAfterSeconds: 1 };
  const counted = limiter.hit(clientIp);
  if (!counted.allowed) return { ok: false, retryAfterSeconds: counted.retryAfterSeconds };
  inFlight.add(accountKey);
  inFlight.add(clientKey);
  try {
    const reserved = reserveAttempt(db, email, now);
    if (!reserved) {
      await verifyPassword(await decoyHash(), password);
      return { ok: false };
    }
    if (!(await verifyPassword(reserved.passwordHash!, password))) {
      db.transaction((tx) => {
        audit(tx, reserved, "sign_in.failed", { failures: reserved.failedLogins }, now);
        if (reserved.lockedUntil) audit(tx, reserved, "account.locked", { failures: reserved.failedLogins, until: minuteOf(new Date(reserved.lockedUntil)) }, now);
      });
      return { ok: false };
    }
    db.update(moderators).set({ failedLogins: 0, lockedUntil: null }).where(eq(moderators.id, reserved.id)).run();
    limiter.forgive(clientIp);
    return { ok: true, moderator: { ...reserved, failedLogins: 0, lockedUntil: null } };
  } finally {
    inFlight.delete(accountKey);
    inFlight.delete(clientKey);
  }
}

/**
 * Counts one attempt against an account that has a password and is not paused, before its
 * password is checked; the count that reaches the limit pauses the account at once (a right
 * password then lifts it). Undefined for an unknown email, no password yet, or a paused account.
 */
function reserveAttempt(db: Db, email: string, now: Date): ModeratorRow | undefined {
  const at = now.toISOString();
  return db.transaction((tx) => {
    const ended = tx.update(moderators).set({ lockedUntil: null })
      .where(and(eq(moderators.email, normalizeEmail(email)), isNotNull(moderators.lockedUntil), lte(moderators.lockedUntil, at)))
      .returning().get();
    if (ended) audit(tx, ended, "account.lock_ended", {}, now);
    const row = tx.update(moderators).set({ failedLogins: sql`${moderators.failedLogins} + 1` })
      .where(and(eq(moderators.email, normalizeEmail(email)), isNotNull(moderators.passwordHash), or(isNull(moderators.lockedUntil), lte(moderators.lockedUntil, at))))
      .returning().get();
    if (!row || row.failedLogins < LOCK_AFTER_FAILURES) return row;
    const lockedUntil = new Date(now.getTime() + lockMinutes(row.failedLogins) * 60_000).toISOString();
    tx.update(moderators).set({ lockedUntil }).where(eq(moderators.id, row.id)).run();
    return { ...row, lockedUntil };
  });
}
