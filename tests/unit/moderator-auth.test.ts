// Moderator sign-in: sessions after the Lucia guide, Argon2id passwords, TOTP, throttling, audit.
import { generateTOTP } from "@oslojs/otp";
import { describe, expect, it } from "vitest";
import { auditLog, moderators, sessions } from "../../db/schema.ts";
import { recentAudit } from "../../src/lib/write/auth/audit.ts";
import {
  LOCK_AFTER_FAILURES, attemptLogin, createModerator, moderatorForSetupToken, setPassword, setupToken,
} from "../../src/lib/write/auth/moderators.ts";
import { hashPassword, passwordProblem } from "../../src/lib/write/auth/passwords.ts";
import {
  SESSION_HOURS, createSession, invalidateAllSessions, invalidateSession, markTwoFactorVerified, validateSessionToken,
} from "../../src/lib/write/auth/sessions.ts";
import { issueRecoveryCodes, newTotpKey, openTotpKey, sealTotpKey, useRecoveryCode, verifyTotp } from "../../src/lib/write/auth/totp.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { ClientRateLimiter } from "../../src/lib/server/rate-limit.ts";

const SECRET = "a-test-secret-that-is-long-enough-to-use-0123456789";
const DAY = 86_400_000;

function fresh() {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  return connection.db;
}

async function moderatorWithPassword(db: ReturnType<typeof fresh>, password = "correct horse battery staple") {
  const moderator = createModerator(db, "Mod@Example.org");
  expect(await setPassword(db, moderator, password)).toEqual({ ok: true });
  return db.select().from(moderators).get()!;
}

describe("passwords", () => {
  it("refuses short, common, repetitive and email-based passwords", () => {
    expect(passwordProblem("short", "a@b.org")).toMatch(/12 characters/);
    expect(passwordProblem("password1234", "a@b.org")).toMatch(/common/);
    expect(passwordProblem("Password1234", "a@b.org")).toMatch(/common/);
    expect(passwordProblem("abcabcabcabc", "a@b.org")).toMatch(/pattern/);
    expect(passwordProblem("maria-rosa-garden-2026", "maria@clinic.org")).toMatch(/email/);
    expect(passwordProblem("plum tractor quietly sings", "a@b.org")).toBeNull();
  });

  it("hashes with Argon2id and OWASP parameters", async () => {
    expect(await hashPassword("plum tractor quietly sings")).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe("set-up links", () => {
  it("work once, only before a password is set, and only until they expire", async () => {
    const db = fresh();
    const moderator = createModerator(db, "mod@example.org");
    const now = new Date("2026-11-25T12:00:00Z");
    const token = setupToken(moderator, SECRET, now);
    expect(moderatorForSetupToken(db, token, SECRET, now)?.id).toBe(moderator.id);
    expect(moderatorForSetupToken(db, token, "another-secret-another-secret-another", now)).toBeNull();
    expect(moderatorForSetupToken(db, token.replace(/.$/, (c) => (c === "A" ? "B" : "A")), SECRET, now)).toBeNull();
    expect(moderatorForSetupToken(db, token, SECRET, new Date(now.getTime() + 25 * 3_600_000))).toBeNull();
    await setPassword(db, moderator, "plum tractor quietly sings");
    expect(moderatorForSetupToken(db, token, SECRET, now)).toBeNull();
  });
});

describe("sessions", () => {
  it("store only a SHA-256 of the secret and accept only the exact token", async () => {
    const db = fresh();
    const moderator = await moderatorWithPassword(db);
    const { token } = createSession(db, moderator.id);
    const [id, secret] = token.split(".");
    const stored = db.select().from(sessions).get()!;
    expect(stored.id).toBe(id);
    expect(JSON.stringify(stored)).not.toContain(secret!);
    expect(validateSessionToken(db, token)?.moderator.id).toBe(moderator.id);
    expect(validateSessionToken(db, `${id}.${secret!.replace(/^./, (c) => (c === "a" ? "b" : "a"))}`)).toBeNull();
    expect(validateSessionToken(db, `${id}`)).toBeNull();
    expect(validateSessionToken(db, `${token}.extra`)).toBeNull();
  });

  it("expire after 12 hours without sliding, and end on logout and password change", async () => {
    const db = fresh();
    const moderator = await moderatorWithPassword(db);
    const start = new Date("2026-01-01T00:00:00Z");
    const { token } = createSession(db, moderator.id, start);
    const at20 = validateSessionToken(db, token, new Date(start.getTime() + 20 * 60_000));
    expect(new Date(at20!.session.expiresAt).getTime()).toBe(start.getTime() + SESSION_HOURS * 3_600_000);
    expect(validateSessionToken(db, token, new Date(start.getTime() + DAY))).toBeNull();
    expect(db.select().from(sessions).all()).toHaveLength(0);

    const second = createSession(db, moderator.id);
    invalidateSession(db, second.session.id);
    expect(validateSessionToken(db, second.token)).toBeNull();

    const third = createSession(db, moderator.id);
    markTwoFactorVerified(db, third.session.id);
    expect(validateSessionToken(db, third.token)?.session.twoFactorVerified).toBe(true);
    await setPassword(db, moderator, "another long passphrase here");
    expect(validateSessionToken(db, third.token)).toBeNull();
    createSession(db, moderator.id);
    invalidateAllSessions(db, moderator.id);
    expect(db.select().from(sessions).all()).toHaveLength(0);
  });
});

describe("second factor", () => {
  it("accepts the current TOTP code and a recovery code only once", () => {
    const db = fresh();
    const moderator = createModerator(db, "mod@example.org");
    const key = newTotpKey();
    expect(openTotpKey(sealTotpKey(key, SECRET), SECRET)).toEqual(key);
    expect(() => openTotpKey(sealTotpKey(key, SECRET), "a-different-secret-a-different-secret")).toThrow();
    expect(verifyTotp(key, generateTOTP(key, 30, 6))).toBe(true);
    expect(verifyTotp(key, "000000") && verifyTotp(key, "111111")).toBe(false);
    expect(verifyTotp(key, "12345")).toBe(false);
    const [code] = issueRecoveryCodes(db, moderator.id);
    expect(useRecoveryCode(db, moderator.id, code!.toUpperCase())).toBe(true);
    expect(useRecoveryCode(db, moderator.id, code!)).toBe(false);
  });
});

describe("sign-in throttling", () => {
  it("holds under 100 wrong passwords: the account pauses, the right password is refused meanwhile, and the lock is audited", async () => {
    const db = fresh();
    await moderatorWithPassword(db, "plum tractor quietly sings");
    const limiter = new ClientRateLimiter(1000);
    const now = new Date("2026-11-25T12:00:00Z");
    for (let i = 0; i < 100; i++) {
      expect((await attemptLogin(db, "mod@example.org", `wrong guess number ${i}`, "198.51.100.7", now, limiter)).ok).toBe(false);
    }
    expect((await attemptLogin(db, "mod@example.org", "plum tractor quietly sings", "198.51.100.8", now, limiter)).ok).toBe(false);
    const row = db.select().from(moderators).get()!;
    // Only the attempts before the lock were checked against the password.
    expect(row.failedLogins).toBe(LOCK_AFTER_FAILURES);
    expect(new Date(row.lockedUntil!).getTime()).toBeGreaterThan(now.getTime());
    expect(recentAudit(db).map((e) => e.action)).toContain("account.locked");
    const later = new Date(new Date(row.lockedUntil!).getTime() + 1000);
    expect((await attemptLogin(db, "mod@example.org", "plum tractor quietly sings", "198.51.100.8", later, limiter)).ok).toBe(true);
    expect(recentAudit(db).map((e) => e.action)).toContain("account.lock_ended");
  });

  it("refuses a client after 20 failures, whatever account it tries, with the same answer", async () => {
    const db = fresh();
    await moderatorWithPassword(db, "plum tractor quietly sings");
    const limiter = new ClientRateLimiter(20);
    for (let i = 0; i < 20; i++) await attemptLogin(db, `nobody${i}@example.org`, "whatever it is", "203.0.113.9", new Date(), limiter);
    expect((await attemptLogin(db, "mod@example.org", "plum tractor quietly sings", "203.0.113.9", new Date(), limiter)).ok).toBe(false);
    expect((await attemptLogin(db, "mod@example.org", "plum tractor quietly sings", "203.0.113.10", new Date(), limiter)).ok).toBe(true);
  });
});

describe("the audit log", () => {
  it("cannot be edited or deleted, even with direct SQL", () => {
    const db = fresh();
    createModerator(db, "mod@example.org");
    expect(db.select().from(auditLog).all()).toHaveLength(1);
    expect(() => db.update(auditLog).set({ action: "nothing happened" }).run()).toThrow(/append-only/);
    expect(() => db.delete(auditLog).run()).toThrow(/append-only/);
    expect(db.select().from(auditLog).get()?.action).toBe("moderator.created");
    expect(db.select().from(auditLog).get()?.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
  });
});
