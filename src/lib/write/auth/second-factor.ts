// The second sign-in step (issue 13): a TOTP code (each step accepted once) or a recovery code.
// Wrong codes are counted per session and per moderator whatever the client address: 5 on a
// session end it, and 5 since the last right code pause the account like wrong passwords do.
import { eq, sql } from "drizzle-orm";
import { moderators, sessions } from "../../../../db/schema.ts";
import type { Db } from "../../server/db.ts";
import type { ClientRateLimiter } from "../../server/rate-limit.ts";
import { audit, minuteOf } from "./audit.ts";
import { LOCK_AFTER_FAILURES, clientFailures, lockMinutes } from "./moderators.ts";
import { invalidateAllSessions, invalidateSession, markTwoFactorVerified, type Moderator, type Session } from "./sessions.ts";
import { acceptTotpStep, openTotpKey, totpStep, useRecoveryCode } from "./totp.ts";

/** Wrong codes after which a session ends and the account pauses. */
export const CODE_FAILURES_LIMIT = 5;

export type SecondFactorOutcome =
  | { ok: true; via: "totp" | "recovery" }
  | { ok: false; retryAfterSeconds?: number; sessionEnded?: boolean; unreadable?: boolean };

export function checkSecondFactor(
  db: Db, current: { moderator: Moderator; session: Session }, rawCode: string, secret: string, clientIp: string,
  now = new Date(), limiter: ClientRateLimiter = clientFailures,
): SecondFactorOutcome {
  const { moderator, session } = current;
  if (!moderator.totpKey) return { ok: false };
  let key: Uint8Array;
  try {
    key = openTotpKey(moderator.totpKey, secret);
  } catch {
    // Sealed under another RATECARD_SECRET: the key cannot be read, so no code can be checked.
    return { ok: false, unreadable: true };
  }
  const counted = limiter.hit(clientIp);
  if (!counted.allowed) return { ok: false, retryAfterSeconds: counted.retryAfterSeconds };
  const code = rawCode.trim().slice(0, 100);
  const step = /^\d[\d\s]{5,7}$/.test(code) ? totpStep(key, code, now) : null;
  const viaTotp = step !== null && acceptTotpStep(db, moderator.id, step);
  const viaRecovery = !viaTotp && step === null && code.length > 8 && useRecoveryCode(db, moderator.id, code, now);
  if (viaTotp || viaRecovery) {
    limiter.forgive(clientIp);
    db.transaction((tx) => {
      tx.update(moderators).set({ failedCodes: 0 }).where(eq(moderators.id, moderator.id)).run();
      markTwoFactorVerified(tx, session.id);
      if (viaRecovery) audit(tx, moderator, "recovery_code.used", {}, now);
      audit(tx, moderator, "sign_in", {}, now);
    });
    return { ok: true, via: viaTotp ? "totp" : "recovery" };
  }
  return recordFailedCode(db, moderator, session.id, now);
}

function recordFailedCode(db: Db, moderator: Moderator, sessionId: string, now: Date): SecondFactorOutcome {
  return db.transaction((tx): SecondFactorOutcome => {
    const onSession = tx.update(sessions).set({ failedCodes: sql`${sessions.failedCodes} + 1` })
      .where(eq(sessions.id, sessionId)).returning({ failedCodes: sessions.failedCodes }).get();
    const onAccount = tx.update(moderators).set({ failedCodes: sql`${moderators.failedCodes} + 1` })
      .where(eq(moderators.id, moderator.id)).returning({ failedCodes: moderators.failedCodes, failedLogins: moderators.failedLogins }).get();
    const failures = onAccount?.failedCodes ?? CODE_FAILURES_LIMIT;
    audit(tx, moderator, "code.failed", { failures }, now);
    if (failures >= CODE_FAILURES_LIMIT) {
      // Counted toward the account lock: the pause doubles with each further wrong code.
      const lockedFor = lockMinutes(LOCK_AFTER_FAILURES + failures - CODE_FAILURES_LIMIT);
      const lockedUntil = new Date(now.getTime() + lockedFor * 60_000).toISOString();
      tx.update(moderators).set({ lockedUntil, failedLogins: Math.max(onAccount?.failedLogins ?? 0, LOCK_AFTER_FAILURES) })
        .where(eq(moderators.id, moderator.id)).run();
      invalidateAllSessions(tx, moderator.id);
      audit(tx, moderator, "account.locked", { codeFailures: failures, until: minuteOf(new Date(lockedUntil)) }, now);
      return { ok: false, sessionEnded: true };
    }
    if ((onSession?.failedCodes ?? CODE_FAILURES_LIMIT) >= CODE_FAILURES_LIMIT) {
      invalidateSession(tx, sessionId);
      return { ok: false, sessionEnded: true };
    }
    return { ok: false };
  });
}
