// The append-only audit log of moderator actions: who, what, when to the minute.
import { desc } from "drizzle-orm";
import { auditLog } from "../../../../db/schema.ts";
import type { Db } from "../../server/db.ts";

export type AuditEntry = typeof auditLog.$inferSelect;
export type Actor = { id: string; email: string } | null;

export function minuteOf(date: Date): string {
  return date.toISOString().slice(0, 16);
}

/** Writes one line; accepts a transaction too, so an action and its line commit together. */
export function audit(db: Pick<Db, "insert">, actor: Actor, action: string, detail: Record<string, unknown> = {}, now = new Date()): void {
  db.insert(auditLog).values({
    at: minuteOf(now),
    moderatorId: actor?.id ?? null,
    moderatorEmail: actor?.email ?? null,
    action,
    detail: Object.keys(detail).length === 0 ? "" : JSON.stringify(detail),
  }).run();
}

export function recentAudit(db: Db, limit = 200, offset = 0): AuditEntry[] {
  return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit).offset(offset).all();
}
