// Attestation: who gets a grant. A therapist asks with a license; a moderator checks the state
// board's lookup and decides. The decision erases the name and number; an approval keeps an HMAC
// of state + license number (a key of its own, replaced each January) to cap tokens per license.
import { and, eq, lt, sql } from "drizzle-orm";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { states, verificationRequests } from "../../../../db/schema.ts";
import { VERIFICATION_EXPIRY_DAYS, type VerificationRequestInput } from "../../schemas/verification.ts";
import { config } from "../../server/config.ts";
import type { Connection } from "../../server/db.ts";
import { audit } from "../auth/audit.ts";
import { randomId } from "../receipts.ts";
import { checkpointErasure } from "../reports.ts";
import { createGrant, generateGrantCode, grantCodeHash, grantTokens } from "./grants.ts";
import { licenseLookup, type LicenseLookup } from "./license-lookups.ts";

export { VERIFICATION_EXPIRY_DAYS };
const LICENSE_KEY_FILE = "license-hmac-key.json";

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** The data folder, beside the database: the license key lives there, outside every backup. */
export function licenseKeyDir(): string {
  return dirname(resolve(config().DATABASE_PATH));
}

/**
 * This year's license key. In a new year: last year's verification rows are deleted first, then
 * the key is replaced, so no HMAC made under the old key outlives it.
 */
export function licenseKey(connection: Connection, dir: string, now: Date = new Date()): Buffer {
  const file = join(dir, LICENSE_KEY_FILE);
  const year = now.getUTCFullYear();
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as { year: number; key: string };
    if (stored.year === year) return Buffer.from(stored.key, "base64url");
  }
  const removed = connection.db.delete(verificationRequests).where(lt(verificationRequests.year, year)).run().changes;
  if (removed > 0) checkpointErasure(connection);
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(32);
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify({ year, key: key.toString("base64url") }) + "\n", { mode: 0o600 });
  renameSync(partial, file);
  return key;
}

/**
 * One spelling per license, so that `LPC-01234`, `lpc 1234` and `LPC1234` share one cap: only
 * letters and digits, upper-case, without the zeros that lead a run of digits.
 */
export function normalizeLicenseNumber(licenseNumber: string): string {
  return licenseNumber.toUpperCase().replace(/[^A-Z0-9]/g, "").replace(/(^|[A-Z])0+(?=\d)/g, "$1");
}

export function licenseHmac(key: Buffer, state: string, licenseNumber: string): string {
  const normalized = normalizeLicenseNumber(licenseNumber);
  return createHmac("sha256", key).update(`${state}\u0000${normalized}`).digest("hex");
}

/** Stores a request waiting for a moderator; returns the request code, shown once. */
export function requestVerification(connection: Connection, input: VerificationRequestInput, now: Date = new Date()): string {
  const code = generateGrantCode();
  connection.db.insert(verificationRequests).values({
    id: randomId(),
    codeHash: grantCodeHash(code),
    state: input.state,
    licenseNumber: input.license_number,
    licenseName: input.license_name,
    status: "pending",
    requestedOn: dayOf(now),
    year: now.getUTCFullYear(),
  }).run();
  return code;
}

export type VerificationStatus =
  | { status: "pending"; expiresOn: string }
  | { status: "approved"; tokensLeft: number; tokensGranted: number }
  | { status: "rejected"; reason: string }
  | { status: "unknown" };

/** What the therapist sees when coming back with the request code (or a partner's grant code). */
export function verificationStatus(connection: Connection, code: string, now: Date = new Date()): VerificationStatus {
  expireVerifications(connection, now);
  const row = connection.db.select().from(verificationRequests).where(eq(verificationRequests.codeHash, grantCodeHash(code))).get();
  if (!row) {
    const partner = grantTokens(connection, code);
    return partner === null ? { status: "unknown" } : { status: "approved", tokensLeft: partner.left, tokensGranted: partner.granted };
  }
  if (row.status === "pending") return { status: "pending", expiresOn: dayOf(new Date(Date.parse(row.requestedOn!) + VERIFICATION_EXPIRY_DAYS * 86_400_000)) };
  if (row.status === "rejected") return { status: "rejected", reason: row.reason ?? "" };
  return { status: "approved", tokensLeft: grantTokens(connection, code)?.left ?? 0, tokensGranted: row.tokensGranted };
}

/** Deletes undecided requests older than 30 days, and checkpoints the WAL when any went. */
export function expireVerifications(connection: Connection, now: Date = new Date()): number {
  const cutoff = dayOf(new Date(now.getTime() - VERIFICATION_EXPIRY_DAYS * 86_400_000));
  const removed = connection.db.delete(verificationRequests)
    .where(and(eq(verificationRequests.status, "pending"), lt(verificationRequests.requestedOn, cutoff))).run().changes;
  if (removed > 0) checkpointErasure(connection);
  return removed;
}

export type PendingVerification = {
  id: string;
  state: string;
  stateName: string;
  licenseNumber: string;
  licenseName: string;
  requestedOn: string;
  lookup: LicenseLookup;
};

export function pendingVerifications(connection: Connection, now: Date = new Date()): PendingVerification[] {
  expireVerifications(connection, now);
  return connection.db.select({
    id: verificationRequests.id, state: verificationRequests.state, stateName: states.name,
    licenseNumber: verificationRequests.licenseNumber, licenseName: verificationRequests.licenseName, requestedOn: verificationRequests.requestedOn,
  }).from(verificationRequests).leftJoin(states, eq(states.code, verificationRequests.state))
    .where(eq(verificationRequests.status, "pending")).orderBy(verificationRequests.requestedOn, verificationRequests.id).all()
    .map((row) => ({
      id: row.id, state: row.state!, stateName: row.stateName ?? row.state!, licenseNumber: row.licenseNumber!, licenseName: row.licenseName!,
      requestedOn: row.requestedOn!, lookup: licenseLookup(row.state!, row.stateName ?? row.state!),
    }));
}

export type Decision = { decision: "approved" | "rejected"; reason: string };
export type DecisionOutcome = { ok: true; tokens: number } | { ok: false; message: string };

/**
 * Decides a pending request in one transaction: erases the name, number and state, grants up to
 * the license's remaining tokens for the year, and writes an audit line with the decision and
 * the minute only. The request's own code becomes the grant code.
 */
export function decideVerification(connection: Connection, id: string, decision: Decision, options: { keyDir: string; cap: number; now?: Date }): DecisionOutcome {
  const now = options.now ?? new Date();
  const key = licenseKey(connection, options.keyDir, now);
  const year = now.getUTCFullYear();
  const outcome = connection.db.transaction((tx): DecisionOutcome => {
    const row = tx.select().from(verificationRequests).where(and(eq(verificationRequests.id, id), eq(verificationRequests.status, "pending"))).get();
    if (!row) return { ok: false, message: "That request is no longer waiting for a decision." };
    let tokens = 0;
    let hmac: string | null = null;
    if (decision.decision === "approved") {
      hmac = licenseHmac(key, row.state!, row.licenseNumber!);
      const used = tx.select({ total: sql<number>`coalesce(sum(${verificationRequests.tokensGranted}), 0)` }).from(verificationRequests)
        .where(and(eq(verificationRequests.licenseHmac, hmac), eq(verificationRequests.year, year))).get()!.total;
      tokens = Math.max(0, options.cap - used);
    }
    tx.update(verificationRequests).set({
      state: null, licenseNumber: null, licenseName: null, requestedOn: null,
      status: decision.decision,
      reason: decision.decision === "rejected" ? decision.reason : (tokens === 0 ? "This license has received its tokens for this year already." : null),
      licenseHmac: hmac,
      year,
      tokensGranted: tokens,
    }).where(eq(verificationRequests.id, id)).run();
    if (tokens > 0) createGrant(tx, { codeHash: row.codeHash, tokens, kind: "license", now });
    audit(tx, null, `verification.${decision.decision}`, {}, now);
    return { ok: true, tokens };
  });
  if (outcome.ok) checkpointErasure(connection);
  return outcome;
}

/**
 * The hourly housekeeping of the server: undecided requests past 30 days go, and in January last
 * year's rows go and the license key is replaced, even when nobody visits /verify.
 */
export function maintainVerifications(connection: Connection, dir: string, now: Date = new Date()): void {
  expireVerifications(connection, now);
  licenseKey(connection, dir, now);
}
