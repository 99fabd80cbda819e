// Issue 12's promise: nothing stored at issuance (grants, verification rows, audit lines, what the
// issuer saw) can be joined to anything stored at redemption (spent tokens, verified reports).
// Both records are held side by side: the only value they share is the month, which every
// record of that month shares.
import { publicVerif } from "@cloudflare/privacypass-ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { loadReferenceData } from "../../src/lib/write/reference-seed.ts";
import { submitReport } from "../../src/lib/write/reports.ts";
import { createGrant, generateGrantCode, grantCodeHash } from "../../src/lib/write/tokens/grants.ts";
import { b64url, checkToken, issueToken, originChallenge } from "../../src/lib/write/tokens/privacy-pass.ts";
import { currentIssuerKeys } from "../../src/lib/write/tokens/privacy-pass.ts";
import { decideVerification, pendingVerifications, requestVerification } from "../../src/lib/write/tokens/verifications.ts";

const { BlindRSAMode, Client } = publicVerif;

let dir: string;
let connection: Connection;
/** Every byte string the issuer received or sent while issuing. */
const issuerSaw: Uint8Array[] = [];
const now = new Date();
const month = now.toISOString().slice(0, 7);

const tableRows = (table: string) => connection.sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];

/** Every value of the rows, as bytes, besides those too short to single anything out (flags, counts). */
function values(rows: Record<string, unknown>[]): string[] {
  return rows.flatMap((row) => Object.values(row))
    .map((value) => (Buffer.isBuffer(value) ? value.toString("hex") : value === null ? "" : String(value)))
    .filter((value) => value.length >= 4);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-unlink-"));
  process.env.DATABASE_PATH = join(dir, "ratecard.db");
  connection = openDatabase(process.env.DATABASE_PATH);
  migrateDatabase(connection);
  loadReferenceData(connection.db);

  const requestCode = requestVerification(connection, { state: "OR", license_number: "C1234", license_name: "Sam Example" }, now);
  decideVerification(connection, pendingVerifications(connection, now)[0]!.id, { decision: "approved", reason: "" }, { keyDir: dir, cap: 12, now });
  const partnerCode = generateGrantCode();
  createGrant(connection.db, { codeHash: grantCodeHash(partnerCode), tokens: 5, kind: "partner", note: "State association", now });

  const keys = await currentIssuerKeys(now);
  const tokens: string[] = [];
  for (const code of [requestCode, requestCode, partnerCode]) {
    const client = new Client(BlindRSAMode.PSS);
    const request = (await client.createTokenRequest(originChallenge(), keys.issuing.publicKeyBytes)).serialize();
    const outcome = await issueToken(connection, { contentType: "application/private-token-request", grantCode: code, body: request }, now);
    if (outcome.kind !== "issued") throw new Error(outcome.message);
    issuerSaw.push(request, outcome.body, new TextEncoder().encode(code));
    tokens.push(b64url((await client.finalize(client.deserializeTokenResponse(outcome.body))).serialize()));
  }
  for (const token of tokens) {
    const checked = await checkToken(connection, token, now);
    if (checked.kind !== "valid") throw new Error(checked.message);
    submitReport(connection, {
      state: "OR", license: "lpc", years_licensed: "5-9", channel: "direct", employment: "1099",
      rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 120 }],
    } as Parameters<typeof submitReport>[1], { spentTokenHash: checked.spentHash, now });
  }
});

afterAll(() => {
  connection.sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("issuance and redemption records", () => {
  it("hold three verified reports and three spent tokens, and a grant and an approved verification", () => {
    expect(tableRows("spent_tokens")).toHaveLength(3);
    expect(tableRows("reports").filter((row) => row.verified === 1)).toHaveLength(3);
    expect(tableRows("issuance_grants")).toHaveLength(2);
    expect(tableRows("verification_requests")).toHaveLength(1);
  });

  it("share no value but the month (or year), which every record of the month shares", () => {
    const issuance = values([...tableRows("issuance_grants"), ...tableRows("verification_requests"), ...tableRows("audit_log")]);
    const redemption = values([...tableRows("spent_tokens"), ...tableRows("reports"), ...tableRows("rates")]);
    const common = issuance.filter((value) => redemption.includes(value));
    expect(common).toContain(month);
    expect(common.every((value) => value === month || value === String(now.getUTCFullYear()))).toBe(true);
    for (const row of [...tableRows("spent_tokens"), ...tableRows("reports"), ...tableRows("issuance_grants")]) expect(row.month).toBe(month);
  });

  it("contain nothing the issuer saw, in any form", () => {
    const redemption = values([...tableRows("spent_tokens"), ...tableRows("reports"), ...tableRows("rates")]).join("|");
    for (const bytes of issuerSaw) {
      const hex = Buffer.from(bytes).toString("hex");
      for (let start = 0; start + 16 <= hex.length; start += 16) expect(redemption).not.toContain(hex.slice(start, start + 16));
      expect(redemption).not.toContain(Buffer.from(bytes).toString("base64url").slice(0, 16));
    }
  });

  it("keep no time finer than the month on either side, and no order of spending", () => {
    const spent = connection.sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'spent_tokens'").get() as { sql: string };
    expect(spent.sql).toMatch(/WITHOUT ROWID/);
    const columns = (table: string) => (connection.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns("spent_tokens")).toEqual(["token_hash", "month"]);
    expect(columns("issuance_grants").filter((name) => /time|date|at$|_on$/.test(name))).toEqual([]);
    // requested_on (a day) exists only until the decision, which erases it.
    expect(tableRows("verification_requests")[0]!.requested_on).toBeNull();
  });
});
