// Grants: codes good for a number of tokens. Only a SHA-256 of a code is stored; each token
// issued takes one from the grant in a single UPDATE, so two requests cannot spend the same one.
import { and, eq, gt, sql } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { issuanceGrants } from "../../../../db/schema.ts";
import type { Connection, Db } from "../../server/db.ts";
import { randomId } from "../receipts.ts";

/** 32 random bytes, base64url without padding (43 characters, 256 bits). */
export function generateGrantCode(): string {
  return randomBytes(32).toString("base64url");
}

export function grantCodeHash(code: string): string {
  return createHash("sha256").update(code.trim(), "utf8").digest("hex");
}

/** A grant code or request code as typed: base64url, 43 characters. */
export const GRANT_CODE = /^[A-Za-z0-9_-]{43}$/;

const monthOf = (date: Date) => date.toISOString().slice(0, 7);

export type GrantKind = "partner" | "license";

/**
 * Stores a grant for the code of `codeHash` (the caller makes the code, so an approved
 * verification's request code becomes its grant). Takes a transaction too.
 */
export function createGrant(db: Pick<Db, "insert">, options: { codeHash: string; tokens: number; kind: GrantKind; note?: string | null; now?: Date }): string {
  const id = randomId();
  db.insert(issuanceGrants).values({
    id,
    codeHash: options.codeHash,
    kind: options.kind,
    tokensGranted: options.tokens,
    tokensLeft: options.tokens,
    note: options.note ?? null,
    month: monthOf(options.now ?? new Date()),
  }).run();
  return id;
}

export type GrantTake = "taken" | "unknown" | "exhausted" | "revoked";

/** Takes one token from the grant of `code`, atomically. */
export function takeGrantToken(connection: Connection, code: string): GrantTake {
  const hash = grantCodeHash(code);
  const result = connection.db.update(issuanceGrants)
    .set({ tokensLeft: sql`${issuanceGrants.tokensLeft} - 1` })
    .where(and(eq(issuanceGrants.codeHash, hash), gt(issuanceGrants.tokensLeft, 0), eq(issuanceGrants.revoked, false)))
    .run();
  if (result.changes === 1) return "taken";
  const grant = connection.db.select({ revoked: issuanceGrants.revoked }).from(issuanceGrants).where(eq(issuanceGrants.codeHash, hash)).get();
  if (!grant) return "unknown";
  return grant.revoked ? "revoked" : "exhausted";
}

/** Gives back a token taken for a request that then failed to be signed. */
export function returnGrantToken(connection: Connection, code: string): void {
  connection.db.update(issuanceGrants)
    .set({ tokensLeft: sql`${issuanceGrants.tokensLeft} + 1` })
    .where(eq(issuanceGrants.codeHash, grantCodeHash(code)))
    .run();
}

/** Tokens the grant of `code` still gives (0 once revoked) and gave in all; null when no grant has the code. */
export function grantTokens(connection: Connection, code: string): { left: number; granted: number } | null {
  const grant = connection.db.select({ left: issuanceGrants.tokensLeft, granted: issuanceGrants.tokensGranted, revoked: issuanceGrants.revoked })
    .from(issuanceGrants).where(eq(issuanceGrants.codeHash, grantCodeHash(code))).get();
  if (!grant) return null;
  return { left: grant.revoked ? 0 : grant.left, granted: grant.granted };
}

export type GrantListing = { id: string; kind: string; note: string | null; month: string; granted: number; left: number; revoked: boolean };

export function listGrants(connection: Connection): GrantListing[] {
  return connection.db.select({
    id: issuanceGrants.id, kind: issuanceGrants.kind, note: issuanceGrants.note, month: issuanceGrants.month,
    granted: issuanceGrants.tokensGranted, left: issuanceGrants.tokensLeft, revoked: issuanceGrants.revoked,
  }).from(issuanceGrants).where(eq(issuanceGrants.kind, "partner")).orderBy(issuanceGrants.month, issuanceGrants.id).all();
}

export function revokeGrant(connection: Connection, id: string): boolean {
  return connection.db.update(issuanceGrants).set({ revoked: true }).where(eq(issuanceGrants.id, id)).run().changes === 1;
}
