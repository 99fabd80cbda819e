import { describe, expect, it } from "vitest";
import { compareQuerySchema, offerFormSchema, parseFields } from "../../src/lib/schemas/page-filters.ts";

describe("page filters", () => {
  it("reads a shared /compare URL, leaving out only what it does not know", () => {
    const { data, problems } = parseFields(compareQuerySchema, { cpt: "90837", state: "ZZ", license: "lpc", modality: "", year: "2025-2026" });
    expect(data).toEqual({ cpt: "90837", license: "lpc", year: "2025-2026" });
    expect(Object.keys(problems)).toEqual(["state"]);
  });

  it("reads an offer with dollar signs and an optional insurer amount", () => {
    const { data, problems } = parseFields(offerFormSchema, { source: "platform:alma", cpt: "90837", amount: "$95", allowed: "151.74", payer: "" });
    expect(problems).toEqual({});
    expect(data).toMatchObject({ source: "platform:alma", amount: 95, allowed: 151.74 });
    expect(data.payer).toBeUndefined();
  });

  it("says what is wrong with an offer", () => {
    const { problems } = parseFields(offerFormSchema, { source: "alma", cpt: "90837", amount: "ninety" });
    expect(problems.source).toMatch(/who makes the offer/);
    expect(problems.amount).toMatch(/in dollars/);
    expect(parseFields(offerFormSchema, { source: "platform:alma", cpt: "90837", amount: "0" }).problems.amount).toMatch(/more than \$0/);
  });
});
