// Second factor: TOTP (RFC 6238, 30 s, 6 digits) with a QR code rendered on the server, and
// single-use recovery codes stored as SHA-256.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32UpperCaseNoPadding, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyTOTPWithGracePeriod } from "@oslojs/otp";
import { and, eq, isNull } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { renderSVG } from "uqr";
import { moderators, recoveryCodes } from "../../../../db/schema.ts";
import type { Db } from "../../server/db.ts";
import { open, seal } from "./secret-box.ts";

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

export function verifyTotp(key: Uint8Array, code: string): boolean {
  const digits = code.replace(/\s/g, "");
  if (!/^\d{6}$/.test(digits)) return false;
  // One period of grace either side, for clocks that drift.
  return verifyTOTPWithGracePeriod(key, PERIOD, DIGITS, digits, PERIOD);
}

const hashCode = (code: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(code.toLowerCase().replace(/[\s-]/g, ""))));

/** Replaces the moderator's recovery codes; the plain codes are shown once. */
export function issueRecoveryCodes(db: Db, moderatorId: string): string[] {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => encodeBase32LowerCaseNoPadding(randomBytes(10)).match(/.{1,4}/g)!.join("-"));
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

export function saveTotpKey(db: Db, moderatorId: string, sealedKey: string): void {
  db.update(moderators).set({ totpKey: sealedKey }).where(eq(moderators.id, moderatorId)).run();
}
