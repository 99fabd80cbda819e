// Moderator accounts: created from the command line with a one-time set-up link, signed in with
// a password that is throttled per account and per client, then a second factor.
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
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
    createdAt: now.toISOString(),
  };
  db.insert(moderators).values(row).run();
  audit(db, null, "moderator.created", { email: row.email }, now);
  return row;
}

/** Clears the password and second factor so that a new set-up link can be used (lost device). */
export function resetModerator(db: Db, moderator: ModeratorRow, now = new Date()): ModeratorRow {
  db.update(moderators).set({ passwordHash: null, totpKey: null, failedLogins: 0, lockedUntil: null }).where(eq(moderators.id, moderator.id)).run();
  invalidateAllSessions(db, moderator.id);
  audit(db, null, "moderator.reset", { email: moderator.email }, now);
  return { ...moderator, passwordHash: null, totpKey: null, failedLogins: 0, lockedUntil: null };
}

function setupMac(secret: string, id: string, expires: number, passwordHash: string | null): string {
  return createHmac("sha256", secret).update(`setup|${id}|${expires}|${passwordHash ?? ""}`).digest("base64url");
}

/** A link token valid for 24 hours and only until a password is set (the MAC covers the hash). */
export function setupToken(moderator: ModeratorRow, secret: string, now = new Date()): string {
  const expires = now.getTime() + SETUP_LINK_HOURS * 3_600_000;
  return `${moderator.id}.${expires}.${setupMac(secret, moderator.id, expires, moderator.passwordHash)}`;
}

export function moderatorForSetupToken(db: Db, token: string, secret: string, now = new Date()): ModeratorRow | null {
  const [id, expiresText, mac, extra] = token.split(".");
  if (!id || !expiresText || !mac || extra !== undefined || !/^\d+$/.test(expiresText)) return null;
  const expires = Number(expiresText);
  if (now.getTime() > expires) return null;
  const moderator = findModerator(db, id);
  if (!moderator || moderator.passwordHash !== null) return null;
  const expected = Buffer.from(setupMac(secret, id, expires, moderator.passwordHash));
  const given = Buffer.from(mac);
  return expected.length === given.length && timingSafeEqual(expected, given) ? moderator : null;
}

export type PasswordResult = { ok: true } | { ok: false; message: string };

export async function setPassword(db: Db, moderator: ModeratorRow, password: string, now = new Date()): Promise<PasswordResult> {
  const problem = passwordProblem(password, moderator.email);
  if (problem) return { ok: false, message: problem };
  const passwordHash = await hashPassword(password);
  db.update(moderators).set({ passwordHash, failedLogins: 0, lockedUntil: null }).where(eq(moderators.id, moderator.id)).run();
  invalidateAllSessions(db, moderator.id);
  audit(db, moderator, moderator.passwordHash === null ? "password.set" : "password.changed", {}, now);
  return { ok: true };
}

export const clientFailures = new ClientRateLimiter(CLIENT_FAILURES_PER_HOUR);

export type LoginResult = { ok: true; moderator: ModeratorRow } | { ok: false };

function lockMinutes(failures: number): number {
  return Math.min(MAX_LOCK_MINUTES, 2 ** (failures - LOCK_AFTER_FAILURES));
}

/**
 * Checks an email and password. Every refusal looks the same to the client (unknown email, wrong
 * password, paused account, too many failures from this client), and an unknown email costs the
 * same Argon2id work as a known one.
 */
export async function attemptLogin(
  db: Db, email: string, password: string, clientIp: string, now = new Date(), limiter = clientFailures,
): Promise<LoginResult> {
  if (limiter.blocked(clientIp)) return { ok: false };
  const moderator = findModeratorByEmail(db, email);
  if (!moderator || moderator.passwordHash === null) {
    await verifyPassword(await decoyHash(), password);
    limiter.hit(clientIp);
    return { ok: false };
  }
  if (moderator.lockedUntil !== null) {
    if (new Date(moderator.lockedUntil).getTime() > now.getTime()) {
      limiter.hit(clientIp);
      return { ok: false };
    }
    db.update(moderators).set({ lockedUntil: null }).where(eq(moderators.id, moderator.id)).run();
    audit(db, moderator, "account.lock_ended", {}, now);
  }
  if (!(await verifyPassword(moderator.passwordHash, password))) {
    limiter.hit(clientIp);
    const failures = moderator.failedLogins + 1;
    const lockedUntil = failures >= LOCK_AFTER_FAILURES ? new Date(now.getTime() + lockMinutes(failures) * 60_000).toISOString() : null;
    db.update(moderators).set({ failedLogins: failures, lockedUntil }).where(eq(moderators.id, moderator.id)).run();
    if (lockedUntil) audit(db, moderator, "account.locked", { failures, until: minuteOf(new Date(lockedUntil)) }, now);
    return { ok: false };
  }
  db.update(moderators).set({ failedLogins: 0, lockedUntil: null }).where(eq(moderators.id, moderator.id)).run();
  return { ok: true, moderator };
}
