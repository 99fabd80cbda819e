// Issuer keys over time (issue 12): one issuing key a year, last year's still redeems until the
// grace period ends, then its tokens are refused and its file is gone.
import { publicVerif } from "@cloudflare/privacypass-ts";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { GRACE_UNTIL_MONTH, keyRedeemable, loadIssuerKeys, tokensExpireAt } from "../../src/lib/write/tokens/issuer-keys.ts";
import { b64url, checkToken, originChallenge } from "../../src/lib/write/tokens/privacy-pass.ts";

const { BlindRSAMode, Client, Issuer } = publicVerif;

let dir: string;
let connection: Connection;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-keys-"));
  // checkToken finds the keys beside DATABASE_PATH, as the server does.
  process.env.DATABASE_PATH = join(dir, "ratecard.db");
  connection = openDatabase(":memory:");
  migrateDatabase(connection);
});

afterAll(() => {
  connection.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const at = (iso: string) => new Date(iso);

describe("issuer key rotation", () => {
  it("keeps a year's key redeemable until the end of the grace month of the next year, never longer", () => {
    expect(keyRedeemable(2026, at("2026-01-01T00:00:00Z"))).toBe(true);
    expect(keyRedeemable(2026, at("2027-03-31T23:59:59Z"))).toBe(true);
    expect(keyRedeemable(2026, at("2027-04-01T00:00:00Z"))).toBe(false);
    expect(keyRedeemable(2026, at("2028-01-01T00:00:00Z"))).toBe(false);
    expect(tokensExpireAt(2026).toISOString()).toBe(`2027-${String(GRACE_UNTIL_MONTH + 1).padStart(2, "0")}-01T00:00:00.000Z`);
  });

  it("has exactly one issuing key at a time; a new year brings a new one, mode 0600", async () => {
    const keysDir = join(dir, "rotation");
    const first = await loadIssuerKeys(keysDir, at("2030-06-01T00:00:00Z"));
    expect(first.issuing.year).toBe(2030);
    expect(first.redeeming.map((key) => key.year)).toEqual([2030]);
    const next = await loadIssuerKeys(keysDir, at("2031-02-01T00:00:00Z"));
    expect(next.issuing.year).toBe(2031);
    expect(b64url(next.issuing.publicKeyBytes)).not.toBe(b64url(first.issuing.publicKeyBytes));
    expect(next.redeeming.map((key) => key.year)).toEqual([2031, 2030]);
    expect(statSync(join(keysDir, "privacy-pass-issuer-2031.jwk")).mode & 0o777).toBe(0o600);
    const later = await loadIssuerKeys(keysDir, at("2031-05-01T00:00:00Z"));
    expect(later.redeeming.map((key) => key.year)).toEqual([2031]);
    expect(readdirSync(keysDir)).toEqual(["privacy-pass-issuer-2031.jwk"]);
  });

  it("refuses a token of an expired key, and accepts it in the grace period", async () => {
    const issuedAt = at("2040-06-01T00:00:00Z");
    const keys = await loadIssuerKeys(dir, issuedAt);
    const client = new Client(BlindRSAMode.PSS);
    const request = await client.createTokenRequest(originChallenge(), keys.issuing.publicKeyBytes);
    const issuer = new Issuer(BlindRSAMode.PSS, originChallenge().issuerName, keys.issuing.privateKey, keys.issuing.publicKey);
    const token = b64url((await client.finalize(await issuer.issue(request))).serialize());

    expect((await checkToken(connection, token, issuedAt)).kind).toBe("valid");
    expect((await checkToken(connection, token, at("2041-02-15T00:00:00Z"))).kind).toBe("valid");
    const expired = await checkToken(connection, token, at("2041-05-02T00:00:00Z"));
    expect(expired).toEqual({ kind: "invalid", message: expect.stringMatching(/expired key/) });
    expect(existsSync(join(dir, "privacy-pass-issuer-2040.jwk"))).toBe(false);
  });
});
