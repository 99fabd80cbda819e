// Pagination cursors are opaque, signed, and bound to one snapshot and one filter.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/lib/read/api/cursor.ts";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";

describe("pagination cursors", () => {
  it("round-trips a snapshot and an offset for the same filter", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 0, max: 2_000_000_000 }), fc.string(), (snapshot, offset, filter) => {
      expect(decodeCursor(encodeCursor({ snapshot, offset }, filter, SECRET), filter, SECRET)).toEqual({ snapshot, offset });
    }));
  });

  it("is refused with another filter, another secret, or any altered character", () => {
    const token = encodeCursor({ snapshot: 3, offset: 200 }, "cpt=90837", SECRET);
    expect(decodeCursor(token, "cpt=90834", SECRET)).toBeNull();
    expect(decodeCursor(token, "", SECRET)).toBeNull();
    expect(decodeCursor(token, "cpt=90837", `${SECRET}x`)).toBeNull();
    for (let i = 0; i < token.length; i++) {
      for (const replacement of ["A", "B", "C", "D", "z", "0", "-", "_", "."]) {
        if (token[i] === replacement) continue;
        const altered = token.slice(0, i) + replacement + token.slice(i + 1);
        expect(decodeCursor(altered, "cpt=90837", SECRET), altered).toBeNull();
      }
    }
  });

  it("cannot be forged to point at another snapshot or offset", () => {
    const token = encodeCursor({ snapshot: 3, offset: 200 }, "", SECRET);
    const [, mac] = token.split(".");
    for (const payload of ["c1.4.200", "c1.3.0", "c1.3.100000"]) {
      expect(decodeCursor(`${Buffer.from(payload).toString("base64url")}.${mac}`, "", SECRET)).toBeNull();
    }
  });

  it("answers null, never throws, for junk", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (junk) => {
      expect(decodeCursor(junk, "", SECRET)).toBeNull();
    }));
  });
});
