// Issue 13 items 1–7 and 9: the second factor cannot be sprayed or replayed, parallel guesses are
// each counted, a throttled client is told, sessions are short, set-up links die on reset.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { moderators, sessions } from "../../db/schema.ts";
import { recentAudit } from "../../src/lib/write/auth/audit.ts";
import * as mods from "../../src/lib/write/auth/moderators.ts";
import * as passwords from "../../src/lib/write/auth/passwords.ts";
import * as sessionsLib from "../../src/lib/write/auth/sessions.ts";
import * as totp from "../../src/lib/write/auth/totp.ts";
import * as secondFactor from "../../src/lib/write/auth/second-factor.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { ClientRateLimiter } from "../../src/lib/server/rate-limit.ts";

const SECRET = "a-test-secret-that-is-long-enough-to-use-0123456789";
const PASSWORD = "plum tractor quietly sings";
const NOW = new Date("2026-11-25T12:00:00Z");

function fresh() {
  const connection = openDatabase(":memory:");
  migrateDatabase(connection);
  return connection.db;
}
type Db = ReturnType<typeof fresh>;

async function moderatorWithPassword(db: Db) {
  const moderator = mods.createModerator(db, "mod@example.org");
  expect(await mods.setPassword(db, moderator, PASSWORD)).toEqual({ ok: true });
  return db.select().from(moderators).get()!;
}

async function enrolled(db: Db) {
  const moderator = await moderatorWithPassword(db);
  const key = totp.newTotpKey();
  db.update(moderators).set({ totpKey: totp.sealTotpKey(key, SECRET) }).where(eq(moderators.id, moderator.id)).run();
  return { moderator: db.select().from(moderators).get()!, key };
}

const stepOf = (date: Date) => Math.floor(date.getTime() / 30_000);
const codeAt = (key: Uint8Array, date: Date, offset = 0) => generateHOTP(key, BigInt(stepOf(date) + offset), 6);

describe("item 1: wrong second-factor codes are counted per session and per moderator", () => {
  it("ends the session after 5 wrong codes and locks the account, whatever the client address", async () => {
    const db = fresh();
    const { moderator } = await enrolled(db);
    const { session } = sessionsLib.createSession(db, moderator.id, NOW);
    const limiter = new ClientRateLimiter(1000);
    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      const current = { moderator: db.select().from(moderators).get()!, session };
      outcomes.push(secondFactor.checkSecondFactor(db, current, "000000", SECRET, `198.51.100.${i}`, NOW, limiter));
    }
    expect(outcomes.every((o) => !o.ok)).toBe(true);
    expect(outcomes.at(-1)).toMatchObject({ ok: false, sessionEnded: true });
    expect(db.select().from(sessions).all()).toHaveLength(0);
    const row = db.select().from(moderators).get()!;
    expect(new Date(row.lockedUntil!).getTime()).toBeGreaterThan(NOW.getTime());
    // The lock holds against the right password too.
    expect((await mods.attemptLogin(db, "mod@example.org", PASSWORD, "192.0.2.1", NOW, limiter)).ok).toBe(false);
  });

  it("counts across sessions: 3 wrong codes on one and 2 on another lock the account", async () => {
    const db = fresh();
    const { moderator } = await enrolled(db);
    const limiter = new ClientRateLimiter(1000);
    const a = sessionsLib.createSession(db, moderator.id, NOW).session;
    const b = sessionsLib.createSession(db, moderator.id, NOW).session;
    for (const session of [a, a, a, b, b]) {
      secondFactor.checkSecondFactor(db, { moderator: db.select().from(moderators).get()!, session }, "123456", SECRET, "198.51.100.1", NOW, limiter);
    }
    expect(db.select().from(moderators).get()!.lockedUntil).not.toBeNull();
    expect(db.select().from(sessions).all()).toHaveLength(0);
  });
});

describe("item 2: attempts are reserved before Argon2 and checks in flight are refused", () => {
  it("a burst of 10 parallel wrong guesses costs 10 failures or is refused, never fewer", async () => {
    const db = fresh();
    await moderatorWithPassword(db);
    const limiter = new ClientRateLimiter(1000);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      mods.attemptLogin(db, "mod@example.org", `wrong guess ${i}`, `203.0.113.${i}`, NOW, limiter)));
    const refused = results.filter((r) => !r.ok && r.retryAfterSeconds !== undefined).length;
    const row = db.select().from(moderators).get()!;
    expect(refused).toBeGreaterThan(0);
    expect(row.failedLogins + refused).toBe(10);
  });

  it("refuses a second check for the same client while one is in flight", async () => {
    const db = fresh();
    await moderatorWithPassword(db);
    const limiter = new ClientRateLimiter(1000);
    const first = mods.attemptLogin(db, "mod@example.org", "wrong guess", "203.0.113.1", NOW, limiter);
    const second = await mods.attemptLogin(db, "other@example.org", "wrong guess", "203.0.113.1", NOW, limiter);
    expect(second).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    expect((await first).ok).toBe(false);
  });

  it("bounds concurrent Argon2 work below the libuv pool size", async () => {
    const db = fresh();
    await moderatorWithPassword(db);
    passwords.resetArgon2Stats();
    const limiter = new ClientRateLimiter(1000);
    await Promise.all(Array.from({ length: 12 }, (_, i) =>
      mods.attemptLogin(db, `someone${i}@example.org`, "wrong guess", `203.0.113.${i}`, NOW, limiter)));
    const stats = passwords.argon2Stats();
    expect(stats.calls).toBe(12);
    expect(stats.peak).toBeLessThanOrEqual(passwords.ARGON2_CONCURRENCY);
    expect(passwords.ARGON2_CONCURRENCY).toBeLessThan(4);
  });
});

describe("item 3: a throttled client is told to wait; a locked account costs the same work", () => {
  it("answers the attempt past the client limit with a retry time, counting before verifying", async () => {
    const db = fresh();
    await moderatorWithPassword(db);
    const limiter = new ClientRateLimiter(3);
    for (let i = 0; i < 3; i++) expect(await mods.attemptLogin(db, `x${i}@example.org`, "wrong", "203.0.113.5", NOW, limiter)).toEqual({ ok: false });
    const throttled = await mods.attemptLogin(db, "mod@example.org", PASSWORD, "203.0.113.5", NOW, limiter);
    expect(throttled.ok).toBe(false);
    expect(!throttled.ok && throttled.retryAfterSeconds).toBeGreaterThan(60);
  });

  it("a locked account and an unknown email each cost one Argon2 verification", async () => {
    const db = fresh();
    const moderator = await moderatorWithPassword(db);
    db.update(moderators).set({ lockedUntil: new Date(NOW.getTime() + 3_600_000).toISOString() }).where(eq(moderators.id, moderator.id)).run();
    const limiter = new ClientRateLimiter(1000);
    passwords.resetArgon2Stats();
    await mods.attemptLogin(db, "mod@example.org", PASSWORD, "203.0.113.7", NOW, limiter);
    expect(passwords.argon2Stats().calls).toBe(1);
    await mods.attemptLogin(db, "nobody@example.org", PASSWORD, "203.0.113.7", NOW, limiter);
    expect(passwords.argon2Stats().calls).toBe(2);
  });

  it("the sign-in limiter does not follow RATECARD_RATE_LIMIT", () => {
    expect(mods.clientFailures.limitPerHour).toBe(mods.CLIENT_FAILURES_PER_HOUR);
    expect(mods.CLIENT_FAILURES_PER_HOUR).toBeGreaterThan(0);
  });
});

describe("item 4: a TOTP code is accepted once, and only for a later step than the last", () => {
  it("refuses a replayed code and an earlier step after a later one", async () => {
    const db = fresh();
    const { moderator, key } = await enrolled(db);
    const limiter = new ClientRateLimiter(1000);
    const s1 = sessionsLib.createSession(db, moderator.id, NOW).session;
    const s2 = sessionsLib.createSession(db, moderator.id, NOW).session;
    const current = () => db.select().from(moderators).get()!;
    expect(secondFactor.checkSecondFactor(db, { moderator: current(), session: s1 }, codeAt(key, NOW), SECRET, "198.51.100.1", NOW, limiter).ok).toBe(true);
    expect(secondFactor.checkSecondFactor(db, { moderator: current(), session: s2 }, codeAt(key, NOW), SECRET, "198.51.100.1", NOW, limiter).ok).toBe(false);
    expect(secondFactor.checkSecondFactor(db, { moderator: current(), session: s2 }, codeAt(key, NOW, -1), SECRET, "198.51.100.1", NOW, limiter).ok).toBe(false);
    expect(secondFactor.checkSecondFactor(db, { moderator: current(), session: s2 }, codeAt(key, NOW, 1), SECRET, "198.51.100.1", NOW, limiter).ok).toBe(true);
    expect(current().totpLastStep).toBe(stepOf(NOW) + 1);
  });
});

describe("item 5: sessions end after 12 hours, or after 30 idle minutes", () => {
  it("keeps a used session until the absolute limit, never sliding past it", async () => {
    const db = fresh();
    const moderator = await moderatorWithPassword(db);
    const { token } = sessionsLib.createSession(db, moderator.id, NOW);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      expect(sessionsLib.validateSessionToken(db, token, new Date(NOW.getTime() + minutes * 60_000)), `at ${minutes} min`).not.toBeNull();
    }
    expect(sessionsLib.validateSessionToken(db, token, new Date(NOW.getTime() + 12 * 3_600_000))).toBeNull();
    expect(db.select().from(sessions).all()).toHaveLength(0);
  });

  it("ends a session left idle for 30 minutes", async () => {
    const db = fresh();
    const moderator = await moderatorWithPassword(db);
    const { token } = sessionsLib.createSession(db, moderator.id, NOW);
    expect(sessionsLib.validateSessionToken(db, token, new Date(NOW.getTime() + 29 * 60_000))).not.toBeNull();
    expect(sessionsLib.validateSessionToken(db, token, new Date(NOW.getTime() + 59 * 60_000 + 1))).toBeNull();
  });
});

describe("item 6: set-up links and enrolment cannot be replayed", () => {
  it("a link issued before --reset does not work after it", async () => {
    const db = fresh();
    const moderator = mods.createModerator(db, "mod@example.org");
    const oldLink = mods.setupToken(moderator, SECRET, NOW);
    await mods.setPassword(db, moderator, PASSWORD);
    const reset = mods.resetModerator(db, db.select().from(moderators).get()!);
    expect(mods.moderatorForSetupToken(db, oldLink, SECRET, NOW)).toBeNull();
    expect(mods.moderatorForSetupToken(db, mods.setupToken(reset, SECRET, NOW), SECRET, NOW)?.id).toBe(moderator.id);
  });

  it("sets the first password only while none is set: a second use of the same link is refused", async () => {
    const db = fresh();
    const moderator = mods.createModerator(db, "mod@example.org");
    const [a, b] = await Promise.all([mods.setPassword(db, moderator, PASSWORD), mods.setPassword(db, moderator, "another long passphrase here")]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(recentAudit(db).filter((e) => e.action === "password.set")).toHaveLength(1);
  });

  it("enrolment never overwrites an enrolled TOTP key", async () => {
    const db = fresh();
    const { moderator, key } = await enrolled(db);
    const session = sessionsLib.createSession(db, moderator.id, NOW).session;
    const other = totp.newTotpKey();
    const result = totp.enrollTotp(db, moderator, session.id, totp.sealTotpKey(other, SECRET), other, codeAt(other, NOW), NOW);
    expect(result.ok).toBe(false);
    expect(totp.openTotpKey(db.select().from(moderators).get()!.totpKey!, SECRET)).toEqual(key);
  });
});

describe("item 7: recovery codes carry 128 bits", () => {
  it("each code decodes to at least 16 random bytes", () => {
    const db = fresh();
    const moderator = mods.createModerator(db, "mod@example.org");
    for (const code of totp.issueRecoveryCodes(db, moderator.id)) {
      expect(decodeBase32IgnorePadding(code.replace(/-/g, "").toUpperCase()).length).toBeGreaterThanOrEqual(16);
    }
  });
});

describe("item 9: failed sign-ins and codes are audited, with a count and the minute only", () => {
  it("audits a wrong password and a wrong code without the password or the code", async () => {
    const db = fresh();
    const { moderator } = await enrolled(db);
    const limiter = new ClientRateLimiter(1000);
    await mods.attemptLogin(db, "mod@example.org", "wrong guess password", "203.0.113.9", NOW, limiter);
    const session = sessionsLib.createSession(db, moderator.id, NOW).session;
    secondFactor.checkSecondFactor(db, { moderator: db.select().from(moderators).get()!, session }, "654321", SECRET, "203.0.113.9", NOW, limiter);
    const entries = recentAudit(db);
    const signIn = entries.find((e) => e.action === "sign_in.failed");
    const code = entries.find((e) => e.action === "code.failed");
    expect(JSON.parse(signIn!.detail)).toEqual({ failures: 1 });
    expect(JSON.parse(code!.detail)).toEqual({ failures: 1 });
    expect(JSON.stringify(entries)).not.toMatch(/wrong guess|654321|203\.0\.113/);
  });

  it("writes the password and its audit line in one transaction", async () => {
    const db = fresh();
    const moderator = mods.createModerator(db, "mod@example.org");
    db.run("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'password.set' BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END");
    await expect(mods.setPassword(db, moderator, PASSWORD)).rejects.toThrow(/audit unavailable/);
    expect(db.select().from(moderators).get()!.passwordHash).toBeNull();
  });

  it("writes the TOTP enrolment and its audit line in one transaction", async () => {
    const db = fresh();
    const moderator = await moderatorWithPassword(db);
    const session = sessionsLib.createSession(db, moderator.id, NOW).session;
    const key = totp.newTotpKey();
    db.run("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'totp.enrolled' BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END");
    expect(() => totp.enrollTotp(db, moderator, session.id, totp.sealTotpKey(key, SECRET), key, codeAt(key, NOW), NOW)).toThrow(/audit unavailable/);
    expect(db.select().from(moderators).get()!.totpKey).toBeNull();
  });
});

describe("item 22 (part): a TOTP key sealed under another secret is a refusal, not a crash", () => {
  it("answers unreadable instead of throwing", async () => {
    const db = fresh();
    const { moderator } = await enrolled(db);
    const session = sessionsLib.createSession(db, moderator.id, NOW).session;
    const outcome = secondFactor.checkSecondFactor(db, { moderator, session }, "123456", "a-different-secret-a-different-secret-xx", "203.0.113.9", NOW, new ClientRateLimiter(1000));
    expect(outcome).toMatchObject({ ok: false, unreadable: true });
  });
});

describe("item 22 (part): a failing session-extension write is 'unavailable' (503), not a crash", () => {
  it("answers unavailable when the last-seen write meets a read-only database", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "ratecard-session-"));
    try {
      const writable = openDatabase(join(dir, "db.sqlite"));
      migrateDatabase(writable);
      const moderator = await moderatorWithPassword(writable.db);
      const { token } = sessionsLib.createSession(writable.db, moderator.id, NOW);
      writable.sqlite.pragma("wal_checkpoint(TRUNCATE)");
      const readonly = openDatabase(join(dir, "db.sqlite"), { readonly: true });
      expect(sessionsLib.sessionForRequest(readonly.db, token, new Date(NOW.getTime() + 5 * 60_000))).toBe("unavailable");
      expect(sessionsLib.sessionForRequest(writable.db, token, new Date(NOW.getTime() + 5 * 60_000))).not.toBe("unavailable");
      readonly.sqlite.close();
      writable.sqlite.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("item 8: /mod access follows the action a request names as well as its page", async () => {
  const { accessForRequest } = await import("../../src/lib/write/auth/guard.ts");
  it("takes the stricter of page and action", () => {
    expect(accessForRequest("/mod/queue", "mod.login")).toBe("full");
    expect(accessForRequest("/mod/login", "mod.review")).toBe("full");
    expect(accessForRequest("/mod/login", "mod.publishSnapshot")).toBe("full");
    expect(accessForRequest("/mod/2fa", "mod.review")).toBe("full");
    expect(accessForRequest("/mod/login", "mod.logout")).toBe("password");
    expect(accessForRequest("/mod/login", "mod.login")).toBe("public");
    expect(accessForRequest("/mod/setup", "mod.setup")).toBe("public");
    expect(accessForRequest("/_actions/mod.savePayer", "mod.savePayer")).toBe("full");
    expect(accessForRequest("/mod/2fa/setup", "mod.enrollTotp")).toBe("password");
    expect(accessForRequest("/share", "share")).toBe("public");
  });
});
