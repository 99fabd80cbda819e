// Attestation (issue 12): a request waits for a moderator; a decision erases the name and number,
// keeps only an HMAC of state + license number to cap tokens per license and year; undecided
// requests expire; each January the key is replaced and last year's rows are deleted.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { takeGrantToken } from "../../src/lib/write/tokens/grants.ts";
import { licenseLookup } from "../../src/lib/write/tokens/license-lookups.ts";
import {
  decideVerification, expireVerifications, licenseKey, normalizeLicenseNumber, pendingVerifications, requestVerification, verificationStatus,
} from "../../src/lib/write/tokens/verifications.ts";

let dir: string;
let connection: Connection;
const at = (iso: string) => new Date(iso);
const june = at("2026-06-10T12:34:56Z");
const license = { state: "CA" as const, license_number: "LMFT 123456", license_name: "Dana Example" };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-verify-"));
  connection = openDatabase(join(dir, "ratecard.db"));
  migrateDatabase(connection);
});

afterEach(() => {
  connection.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () => connection.sqlite.prepare("SELECT * FROM verification_requests").all() as Record<string, unknown>[];
const decide = (id: string, decision: "approved" | "rejected", reason = "", now = june, cap = 12) =>
  decideVerification(connection, id, { decision, reason }, { keyDir: dir, cap, now });

describe("verification requests", () => {
  it("wait for a moderator, who sees the state board's lookup; the code is kept only as a hash", () => {
    const code = requestVerification(connection, license, june);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(rows())).not.toContain(code);
    expect(verificationStatus(connection, code, june)).toEqual({ status: "pending", expiresOn: "2026-07-10" });
    const [pending] = pendingVerifications(connection, june);
    expect(pending).toMatchObject({ state: "CA", licenseNumber: "LMFT 123456", licenseName: "Dana Example", lookup: { url: "https://search.dca.ca.gov/", generic: false } });
  });

  it("erase the name, number and state on approval, leaving an HMAC and a grant of the license's tokens", () => {
    const code = requestVerification(connection, license, june);
    const [pending] = pendingVerifications(connection, june);
    expect(decide(pending!.id, "approved")).toEqual({ ok: true, tokens: 12 });
    const [row] = rows();
    expect(row).toMatchObject({ state: null, license_number: null, license_name: null, requested_on: null, status: "approved", tokens_granted: 12 });
    expect(row!.license_hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toMatch(/123456|Dana/);
    expect(verificationStatus(connection, code, june)).toEqual({ status: "approved", tokensLeft: 12, tokensGranted: 12 });
    expect(takeGrantToken(connection, code)).toBe("taken");
    expect(pendingVerifications(connection, june)).toEqual([]);
  });

  it("cap a license at its tokens per year, however it is written and however often it asks", () => {
    requestVerification(connection, license, june);
    decide(pendingVerifications(connection, june)[0]!.id, "approved", "", june, 12);
    const again = requestVerification(connection, { ...license, license_number: "lmft-123456" }, june);
    expect(decide(pendingVerifications(connection, june)[0]!.id, "approved")).toEqual({ ok: true, tokens: 0 });
    expect(verificationStatus(connection, again, june)).toEqual({ status: "approved", tokensLeft: 0, tokensGranted: 0 });
    requestVerification(connection, { ...license, state: "NY" as const }, june);
    expect(decide(pendingVerifications(connection, june)[0]!.id, "approved")).toEqual({ ok: true, tokens: 12 });
  });

  it("share one cap between spellings of one license number", () => {
    for (const spelling of ["LPC-01234", "lpc1234", "lpc 01234", "L.P.C./1234"]) expect(normalizeLicenseNumber(spelling)).toBe("LPC1234");
    expect(normalizeLicenseNumber("0012-0034")).toBe("120034");
    expect(normalizeLicenseNumber("LPC1230")).toBe("LPC1230");
    requestVerification(connection, { state: "TX", license_number: "LPC-01234", license_name: "Kim Example" }, june);
    expect(decide(pendingVerifications(connection, june)[0]!.id, "approved", "", june, 12)).toEqual({ ok: true, tokens: 12 });
    requestVerification(connection, { state: "TX", license_number: "lpc1234", license_name: "Kim Example" }, june);
    expect(decide(pendingVerifications(connection, june)[0]!.id, "approved", "", june, 12)).toEqual({ ok: true, tokens: 0 });
  });

  it("show the therapist the moderator's reason on a rejection, and erase the license", () => {
    const code = requestVerification(connection, license, june);
    decide(pendingVerifications(connection, june)[0]!.id, "rejected", "The board lists no such license.");
    expect(verificationStatus(connection, code, june)).toEqual({ status: "rejected", reason: "The board lists no such license." });
    expect(rows()[0]).toMatchObject({ state: null, license_number: null, license_name: null, license_hmac: null });
    expect(takeGrantToken(connection, code)).toBe("unknown");
  });

  it("write audit lines with the decision and the minute only", () => {
    requestVerification(connection, license, june);
    decide(pendingVerifications(connection, june)[0]!.id, "approved");
    const lines = connection.sqlite.prepare("SELECT * FROM audit_log").all();
    expect(lines).toEqual([{ id: 1, at: "2026-06-10T12:34", moderator_id: null, moderator_email: null, action: "verification.approved", detail: "" }]);
  });

  it("expire after 30 days undecided", () => {
    const code = requestVerification(connection, license, june);
    expect(expireVerifications(connection, at("2026-07-10T00:00:00Z"))).toBe(0);
    expect(expireVerifications(connection, at("2026-07-11T00:00:00Z"))).toBe(1);
    expect(rows()).toEqual([]);
    expect(verificationStatus(connection, code, june)).toEqual({ status: "unknown" });
  });

  it("leave nothing of an erasure in the WAL", () => {
    requestVerification(connection, license, june);
    decide(pendingVerifications(connection, june)[0]!.id, "approved");
    expect(statSync(join(dir, "ratecard.db-wal")).size).toBe(0);
    expect(readFileSync(join(dir, "ratecard.db")).includes("123456")).toBe(false);
  });
});

describe("the license key", () => {
  it("is a file of its own in the data folder (mode 0600), replaced in January when last year's rows are deleted", () => {
    requestVerification(connection, license, june);
    decide(pendingVerifications(connection, june)[0]!.id, "approved");
    const file = join(dir, "license-hmac-key.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const before = readFileSync(file, "utf8");
    licenseKey(connection, dir, at("2027-01-02T00:00:00Z"));
    expect(readFileSync(file, "utf8")).not.toBe(before);
    expect(rows()).toEqual([]);
    expect(existsSync(file)).toBe(true);
  });
});

describe("license lookups", () => {
  it("falls back to a search for a state without a board lookup on file", () => {
    expect(licenseLookup("WY", "Wyoming")).toMatchObject({ generic: true, url: expect.stringContaining("Wyoming") });
  });
});

describe("a partner's code at /verify", () => {
  it("shows as approved with the tokens it still gives and gave in all", async () => {
    const { createGrant, generateGrantCode, grantCodeHash } = await import("../../src/lib/write/tokens/grants.ts");
    const code = generateGrantCode();
    createGrant(connection.db, { codeHash: grantCodeHash(code), tokens: 5, kind: "partner", note: "Association", now: june });
    takeGrantToken(connection, code);
    expect(verificationStatus(connection, code, june)).toEqual({ status: "approved", tokensLeft: 4, tokensGranted: 5 });
  });
});
