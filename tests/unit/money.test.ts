// The one money parser and the one dollars→cents.
import { describe, expect, it } from "vitest";
import { dollarsToCents, hasWholeCents, parseMoney } from "../../src/lib/shared/money.ts";

describe("money", () => {
  it("reads amounts as typed, with an optional $ and thousands commas", () => {
    expect(parseMoney("95")).toBe(95);
    expect(parseMoney("$151.74")).toBe(151.74);
    expect(parseMoney("$1,234.50")).toBe(1234.5);
    expect(parseMoney("-5")).toBe(-5);
  });

  it("gives undefined for what is not a number, so the schema can say what is wrong", () => {
    for (const text of ["", "$", ",", "abc", "12$", "1.2.3", "Infinity"]) expect(parseMoney(text)).toBeUndefined();
  });

  it("turns every amount of whole cents up to $5,000 into exactly its cents", () => {
    for (let cents = 0; cents <= 500_000; cents++) {
      const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
      if (dollarsToCents(Number(text)) !== cents) expect(`${text} → ${dollarsToCents(Number(text))}`).toBe(`${text} → ${cents}`);
      if (!hasWholeCents(Number(text))) expect(`${text} has whole cents`).toBe(false);
    }
  });

  it("refuses amounts with fractions of a cent", () => {
    expect(hasWholeCents(1.005)).toBe(false);
    expect(hasWholeCents(0.001)).toBe(false);
    expect(hasWholeCents(151.74)).toBe(true);
  });
});
