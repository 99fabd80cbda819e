// Issue 13, items 12 and 22: the receipt routes' answers, and a storage failure while viewing is a 503.
import Database from "better-sqlite3";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Connection } from "../../src/lib/server/db.ts";
import { openDatabase, removeStaleReadOnlyCopies } from "../../src/lib/server/db.ts";
import { forwardedProtoIsHttps } from "../../src/lib/server/request.ts";
import { deleteAnswer, receiptOfBody, viewAnswer } from "../../src/lib/write/receipt-answers.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";

const RECEIPT = "abcd-efgh-ijkl-mnop-qrst-uvwx-yz";

/** A connection whose every query fails as a failing disk does. */
function failingDisk(code: string): Connection {
  const fail = () => {
    throw new Database.SqliteError("disk I/O error", code);
  };
  return { db: new Proxy({}, { get: () => fail }), sqlite: new Proxy({}, { get: () => fail }) } as unknown as Connection;
}

describe("answers by receipt", () => {
  it("answers 503 with Retry-After, never 500, when storage fails while viewing or deleting", async () => {
    for (const code of ["SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_CORRUPT"]) {
      for (const answer of [viewAnswer(RECEIPT, failingDisk(code)), deleteAnswer(RECEIPT, failingDisk(code))]) {
        expect(answer.status).toBe(503);
        expect(answer.headers.get("retry-after")).toBe("300");
        expect(await answer.json()).toMatchObject({ ok: false, status: 503 });
      }
    }
  });

  it("answers 404 for an unknown code and 400 for something that is not one", async () => {
    const connection = openDatabase(":memory:");
    prepareDatabase(connection, { demo: false, k: 5 });
    expect(viewAnswer(RECEIPT, connection).status).toBe(404);
    expect(viewAnswer("nope", connection).status).toBe(400);
    expect(viewAnswer(undefined, connection).status).toBe(400);
    expect(receiptOfBody({ receipt: RECEIPT })).toBe(RECEIPT);
    expect(receiptOfBody([RECEIPT])).toBeUndefined();
  });
});

describe("the read-only-disk copy (item 17)", () => {
  it("is removed at the next start when the process that made it is gone", () => {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-stale-"));
    try {
      mkdirSync(join(dir, "ratecard-readonly-999999999-abc"));
      mkdirSync(join(dir, `ratecard-readonly-${process.ppid}-def`));
      mkdirSync(join(dir, "unrelated"));
      expect(removeStaleReadOnlyCopies(dir)).toBe(1);
      expect(readdirSync(dir).sort()).toEqual([`ratecard-readonly-${process.ppid}-def`, "unrelated"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("X-Forwarded-Proto (item 21)", () => {
  it("is read at the same hop as X-Forwarded-For: the N-th entry from the right with N trusted proxies", () => {
    expect(forwardedProtoIsHttps("https", 1)).toBe(true);
    expect(forwardedProtoIsHttps("https, http", 1)).toBe(false);
    expect(forwardedProtoIsHttps("http, https", 1)).toBe(true);
    expect(forwardedProtoIsHttps("https, http", 2)).toBe(true);
    expect(forwardedProtoIsHttps("https", 0)).toBe(false);
    expect(forwardedProtoIsHttps(null, 1)).toBe(false);
  });
});
