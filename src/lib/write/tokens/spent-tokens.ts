// Spent Privacy Pass tokens: a hash and the month, in a WITHOUT ROWID table (no insertion order
// kept). The insert happens in the report's own transaction, so a refused report spends nothing.
import type { Connection } from "../../server/db.ts";

export class TokenSpentError extends Error {
  constructor() {
    super("This token was already spent");
  }
}

/** Whether a token hash was spent already (the insert in the report's transaction is what decides). */
export function tokenSpent(connection: Connection, spentHash: Buffer): boolean {
  return connection.sqlite.prepare("SELECT 1 FROM spent_tokens WHERE token_hash = ?").get(spentHash) !== undefined;
}

/** Inserts the spent token (call inside the report's transaction). A second spend throws TokenSpentError. */
export function recordSpentToken(connection: Connection, spentHash: Buffer, now: Date): void {
  try {
    connection.sqlite.prepare("INSERT INTO spent_tokens (token_hash, month) VALUES (?, ?)").run(spentHash, now.toISOString().slice(0, 7));
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY") throw new TokenSpentError();
    throw error;
  }
}
