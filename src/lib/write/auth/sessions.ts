// Moderator sessions as the lucia-auth.com guide describes: token "id.secret", only a SHA-256 of
// the secret stored, constant-time comparison; for moderators an absolute limit of 12 hours and an
// idle limit of 30 minutes (issue 13), nothing sliding past the absolute one.
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { eq } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { moderators, sessions } from "../../../../db/schema.ts";
import type { Db } from "../../server/db.ts";
import { isStorageFailure } from "../../server/storage-errors.ts";

export const SESSION_COOKIE = "ratecard_mod";
export const SESSION_HOURS = 12;
export const IDLE_MINUTES = 30;
/** Last-seen is written at most this often, so a burst of page loads is one write. */
const SEEN_RESOLUTION_MS = 60_000;

export type Session = typeof sessions.$inferSelect;
export type Moderator = Pick<typeof moderators.$inferSelect, "id" | "email" | "totpKey">;
export type SessionValidation = { session: Session; moderator: Moderator } | null;

const randomToken = () => encodeBase32LowerCaseNoPadding(randomBytes(15));
const hashSecret = (secret: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));

/** Creates a session; the returned token goes into the cookie and is never stored. */
export function createSession(db: Db, moderatorId: string, now = new Date()): { token: string; session: Session } {
  const id = randomToken();
  const secret = randomToken();
  const session: Session = {
    id,
    secretHash: hashSecret(secret),
    moderatorId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    twoFactorVerified: false,
    lastSeenAt: now.toISOString(),
    failedCodes: 0,
  };
  db.insert(sessions).values(session).run();
  return { token: `${id}.${secret}`, session };
}

export function validateSessionToken(db: Db, token: string, now = new Date()): SessionValidation {
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null;
  const row = db
    .select({ session: sessions, moderator: { id: moderators.id, email: moderators.email, totpKey: moderators.totpKey } })
    .from(sessions)
    .innerJoin(moderators, eq(moderators.id, sessions.moderatorId))
    .where(eq(sessions.id, id))
    .get();
  if (!row) return null;
  const expected = new TextEncoder().encode(row.session.secretHash);
  const given = new TextEncoder().encode(hashSecret(secret));
  if (!constantTimeEqual(expected, given)) return null;
  // Sessions made before issue 13 could run for 30 days: the absolute limit counts from creation.
  const expiresAt = Math.min(new Date(row.session.expiresAt).getTime(), new Date(row.session.createdAt).getTime() + SESSION_HOURS * 3_600_000);
  const lastSeen = new Date(row.session.lastSeenAt ?? row.session.createdAt).getTime();
  if (now.getTime() >= expiresAt || now.getTime() - lastSeen >= IDLE_MINUTES * 60_000) {
    db.delete(sessions).where(eq(sessions.id, id)).run();
    return null;
  }
  if (now.getTime() - lastSeen >= SEEN_RESOLUTION_MS) {
    // The idle limit's extension; a storage failure here propagates (the middleware answers 503).
    const seen = now.toISOString();
    db.update(sessions).set({ lastSeenAt: seen }).where(eq(sessions.id, id)).run();
    row.session.lastSeenAt = seen;
  }
  row.session.expiresAt = new Date(expiresAt).toISOString();
  return row;
}

/**
 * The session for a request's cookie, or "unavailable" when the idle-limit write hit a storage
 * failure (full or read-only disk), which the middleware answers with 503, never a 500.
 */
export function sessionForRequest(db: Db, token: string | undefined, now = new Date()): SessionValidation | "unavailable" {
  if (!token) return null;
  try {
    return validateSessionToken(db, token, now);
  } catch (error) {
    if (isStorageFailure(error)) return "unavailable";
    throw error;
  }
}

export function markTwoFactorVerified(db: Pick<Db, "update">, sessionId: string): void {
  db.update(sessions).set({ twoFactorVerified: true }).where(eq(sessions.id, sessionId)).run();
}

export function invalidateSession(db: Pick<Db, "delete">, sessionId: string): void {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

export function invalidateAllSessions(db: Pick<Db, "delete">, moderatorId: string): void {
  db.delete(sessions).where(eq(sessions.moderatorId, moderatorId)).run();
}

export function sessionCookieOptions(secure: boolean, expiresAt: string) {
  return { httpOnly: true, sameSite: "lax" as const, secure, path: "/mod", expires: new Date(expiresAt) };
}
