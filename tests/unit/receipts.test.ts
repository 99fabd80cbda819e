// Receipt codes (DESIGN.md "Domain": shown once, only a hash stored): format, entropy, normalization, hash.
import { createHash } from "node:crypto";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { describe, expect, it } from "vitest";
import { receiptSchema } from "../../src/lib/schemas/report.ts";
import { generateReceipt, normalizeReceipt, randomId, receiptHash } from "../../src/lib/write/receipts.ts";

const FORMAT = /^(?:[a-z2-7]{4}-){6}[a-z2-7]{2}$/;

describe("generateReceipt", () => {
  it("is 26 lower-case base32 characters in groups of 4 joined by dashes", () => {
    for (let i = 0; i < 200; i++) {
      const receipt = generateReceipt();
      expect(receipt).toMatch(FORMAT);
      expect(receipt.replaceAll("-", "")).toHaveLength(26);
    }
  });

  it("encodes exactly 16 random bytes (128 bits)", () => {
    for (let i = 0; i < 50; i++) {
      const bytes = decodeBase32IgnorePadding(normalizeReceipt(generateReceipt()).toUpperCase());
      expect(bytes).toHaveLength(16);
    }
  });

  it("varies in every one of its 128 bits", () => {
    const seenOne = new Array<boolean>(128).fill(false);
    const seenZero = new Array<boolean>(128).fill(false);
    for (let i = 0; i < 500; i++) {
      const bytes = decodeBase32IgnorePadding(normalizeReceipt(generateReceipt()).toUpperCase());
      for (let bit = 0; bit < 128; bit++) {
        const set = ((bytes[bit >> 3]! >> (7 - (bit & 7))) & 1) === 1;
        if (set) seenOne[bit] = true;
        else seenZero[bit] = true;
      }
    }
    expect(seenOne.every(Boolean)).toBe(true);
    expect(seenZero.every(Boolean)).toBe(true);
  });

  it("never repeats", () => {
    const receipts = new Set(Array.from({ length: 5000 }, () => generateReceipt()));
    expect(receipts.size).toBe(5000);
    expect(generateReceipt()).not.toBe(generateReceipt());
  });

  it("passes the API's receipt schema", () => {
    const receipt = generateReceipt();
    expect(receiptSchema.parse(receipt)).toBe(normalizeReceipt(receipt));
  });
});

describe("normalizeReceipt", () => {
  it("lower-cases and removes spaces and dashes", () => {
    expect(normalizeReceipt("ABCD EFGH-ijkl")).toBe("abcdefghijkl");
    expect(normalizeReceipt("  abcd-efgh  ")).toBe("abcdefgh");
    expect(normalizeReceipt("abcd\tefgh\nijkl")).toBe("abcdefghijkl");
  });

  it("maps the upper-case, spaced and bare forms of a receipt to one code", () => {
    const receipt = generateReceipt();
    const bare = receipt.replaceAll("-", "");
    expect(normalizeReceipt(receipt)).toBe(bare);
    expect(normalizeReceipt(receipt.toUpperCase())).toBe(bare);
    expect(normalizeReceipt(receipt.replaceAll("-", " "))).toBe(bare);
    expect(normalizeReceipt(bare)).toBe(bare);
  });
});

describe("receiptHash", () => {
  it("is the SHA-256 hex of the normalized code", () => {
    const receipt = generateReceipt();
    const expected = createHash("sha256").update(normalizeReceipt(receipt), "utf8").digest("hex");
    expect(receiptHash(receipt)).toBe(expected);
    expect(receiptHash(receipt)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is the same for every way of writing the receipt", () => {
    const receipt = generateReceipt();
    const hash = receiptHash(receipt);
    expect(receiptHash(receipt.toUpperCase())).toBe(hash);
    expect(receiptHash(receipt.replaceAll("-", " "))).toBe(hash);
    expect(receiptHash(receipt.replaceAll("-", ""))).toBe(hash);
  });

  it("differs between receipts and does not contain the code", () => {
    const a = generateReceipt();
    const b = generateReceipt();
    expect(receiptHash(a)).not.toBe(receiptHash(b));
    expect(receiptHash(a)).not.toContain(normalizeReceipt(a));
  });
});

describe("randomId", () => {
  it("is random text, never sequential", () => {
    const ids = Array.from({ length: 2000 }, () => randomId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) {
      expect(id).toMatch(/^[a-z2-7]{16}$/);
      expect(id).not.toMatch(/^\d+$/);
    }
    const sorted = [...ids].sort();
    expect(sorted).not.toEqual(ids);
  });
});
