// Second factor: TOTP (RFC 6238, 30 s, 6 digits) with a QR code rendered on the server, and
// single-use recovery codes stored as SHA-256.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32UpperCaseNoPadding, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { renderSVG } from "uqr";
import { moderators, recoveryCodes } from "../../../../db/schema.ts";
import type { Db } from "../../server/db.ts";
import { audit } from "./audit.ts";
import { open, seal } from "./secret-box.ts";
import { markTwoFactorVerified } from "./sessions.ts";

const PERIOD = 30;
const DIGITS = 6;
const PURPOSE = "totp-key";
export const RECOVERY_CODE_COUNT = 8;

export function newTotpKey(): Uint8Array {
  return new Uint8Array(randomBytes(20));
}

export function sealTotpKey(key: Uint8Array, secret: string): string {
  return seal(key, secret, PURPOSE);
}

export function openTotpKey(sealed: string, secret: string): Uint8Array {
  return open(sealed, secret, PURPOSE);
}

export function totpUri(email: string, key: Uint8Array): string {
  return createTOTPKeyURI("Ratecard", email, key, PERIOD, DIGITS);
}

/** The enrolment QR code as an SVG string (no request leaves the server). */
export function totpQrSvg(email: string, key: Uint8Array): string {
  return renderSVG(totpUri(email, key), { border: 2 });
}

export function manualEntryKey(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).match(/.{1,4}/g)!.join(" ");
}

/** The time step (30 s) a code belongs to, within one step either side of now; null when none. */
export function totpStep(key: Uint8Array, code: string, now = new Date()): number | null {
  const digits = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(digits)) return null;
  const current = Math.floor(now.getTime() / (PERIOD * 1000));
  let matched: number | null = null;
  // One period of grace either side, for clocks that drift; every candidate is compared.
  for (const step of [current - 1, current, current + 1]) {
    const expected = Buffer.from(generateHOTP(key, BigInt(step), DIGITS));
    if (timingSafeEqual(expected, Buffer.from(digits))) matched = step;
  }
  return matched;
}

export function verifyTotp(key: Uint8Array, code: string, now = new Date()): boolean {
  return totpStep(key, code, now) !== null;
}

/**
 * Accepts a code once: its step must be later than the last accepted one, recorded in the same
 * UPDATE, so a code seen over a shoulder or replayed within its window is refused.
 */
export function acceptTotpStep(db: Pick<Db, "update">, moderatorId: string, step: number): boolean {
  return db.update(moderators).set({ totpLastStep: step })
    .where(and(eq(moderators.id, moderatorId), or(isNull(moderators.totpLastStep), lt(moderators.totpLastStep, step))))
    .run().changes === 1;
}

const hashCode = (code: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(code.toLowerCase().replace(/[\s-]/g, ""))));

/** Bytes of randomness in a recovery code: 128 bits, so a SHA-256 of it cannot be searched. */
export const RECOVERY_CODE_BYTES = 16;

/** Replaces the moderator's recovery codes; the plain codes are shown once. */
export function issueRecoveryCodes(db: Db, moderatorId: string): string[] {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => encodeBase32LowerCaseNoPadding(randomBytes(RECOVERY_CODE_BYTES)).match(/.{1,4}/g)!.join("-"));
  db.transaction((tx) => {
    tx.delete(recoveryCodes).where(eq(recoveryCodes.moderatorId, moderatorId)).run();
    tx.insert(recoveryCodes).values(codes.map((code) => ({ moderatorId, codeHash: hashCode(code) }))).run();
  });
  return codes;
}

/** Uses a recovery code once; true when it was valid and unused. */
export function useRecoveryCode(db: Db, moderatorId: string, code: string, now = new Date()): boolean {
  const result = db.update(recoveryCodes).set({ usedAt: now.toISOString() })
    .where(and(eq(recoveryCodes.moderatorId, moderatorId), eq(recoveryCodes.codeHash, hashCode(code)), isNull(recoveryCodes.usedAt)))
    .run();
  return result.changes === 1;
}

export type EnrolResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: "mismatch" | "enrolled" };

/**
 * Enrols a confirmed key in one transaction with its audit lines and recovery codes; never over
 * an enrolled key (`WHERE totp_key IS NULL`, one row changed).
 */
export function enrollTotp(
  db: Db, moderator: { id: string; email: string }, sessionId: string, sealedKey: string, key: Uint8Array, code: string, now = new Date(),
): EnrolResult {
  const step = totpStep(key, code, now);
  if (step === null) return { ok: false, reason: "mismatch" };
  const result = db.transaction((tx): EnrolResult => {
    const changed = tx.update(moderators).set({ totpKey: sealedKey, totpLastStep: step, failedCodes: 0 })
      .where(and(eq(moderators.id, moderator.id), isNull(moderators.totpKey))).run().changes;
    if (changed !== 1) return { ok: false, reason: "enrolled" };
    markTwoFactorVerified(tx, sessionId);
    audit(tx, moderator, "totp.enrolled", {}, now);
    audit(tx, moderator, "sign_in", {}, now);
    return { ok: true, recoveryCodes: issueRecoveryCodes(tx as unknown as Db, moderator.id) };
  });
  return result;
}
