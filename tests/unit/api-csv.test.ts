// CSV output is RFC 4180: what we write, a strict parser reads back unchanged.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvLine } from "../../src/lib/read/api/csv.ts";
import { parseCsvStrict } from "../api/support/rfc4180.ts";

describe("CSV (RFC 4180)", () => {
  it("quotes only fields that need it and doubles quotes", () => {
    expect(csvField("90837")).toBe("90837");
    expect(csvField(154.29)).toBe("154.29");
    expect(csvField(null)).toBe("");
    expect(csvField("Oregon has fewer than 5 reports; showing the Pacific division, all licenses.")).toBe('"Oregon has fewer than 5 reports; showing the Pacific division, all licenses."');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvLine(["a", 1, null])).toBe("a,1,\r\n");
  });

  it("round-trips any table of strings through a strict parser", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 6 }).chain((width) => fc.array(fc.array(fc.string({ unit: "binary" }), { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })),
      (table) => {
        // A record of one empty field is an empty line, which RFC 4180 cannot tell from no record.
        fc.pre(table.every((row) => row.length > 1 || row[0] !== ""));
        expect(parseCsvStrict(table.map(csvLine).join(""))).toEqual(table);
      },
    ));
  });

  it("the strict parser refuses what RFC 4180 does not allow", () => {
    expect(() => parseCsvStrict("a,b\nc,d\n")).toThrow(/CRLF/);
    expect(() => parseCsvStrict("a,b\r\nc\r\n")).toThrow(/fields/);
    expect(() => parseCsvStrict('a,b"c\r\n')).toThrow(/quote/);
    expect(() => parseCsvStrict('"a"b\r\n')).toThrow(/unexpected/);
    expect(() => parseCsvStrict("\uFEFFa\r\n")).toThrow(/byte-order/);
  });
});
