// Receipt codes: 128 bits of randomness shown once; only a SHA-256 of the code is stored.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { randomBytes } from "node:crypto";

/** 16 random bytes (128 bits) as 26 base32 characters, grouped in fours for copying. */
export function generateReceipt(): string {
  const code = encodeBase32LowerCaseNoPadding(randomBytes(16));
  return code.match(/.{1,4}/g)!.join("-");
}

/** Lower-cases and removes spaces and dashes, so "ABCD EFGH" and "abcd-efgh" match. */
export function normalizeReceipt(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

export function receiptHash(code: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(normalizeReceipt(code))));
}

/** A random identifier, never sequential (rule "No identity"). */
export function randomId(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(10));
}
