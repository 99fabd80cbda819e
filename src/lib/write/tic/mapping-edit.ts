// Moderators' TIN → platform mappings at /mod/reference, each change audited in its transaction.
import { asc, eq } from "drizzle-orm";
import { platformTins } from "../../../../db/schema.ts";
import type { TinMappingEdit } from "../../schemas/tic-mapping.ts";
import type { Db } from "../../server/db.ts";
import { audit, type Actor } from "../auth/audit.ts";
import { saveTinMapping } from "./store.ts";

export type PlatformTinRow = typeof platformTins.$inferSelect;

export function listPlatformTins(db: Db): PlatformTinRow[] {
  return db.select().from(platformTins).orderBy(asc(platformTins.platform), asc(platformTins.tin)).all();
}

/** Adds or changes a mapping; returns a message for the form when the platform or state is unknown. */
export function saveModeratorTinMapping(db: Db, edit: TinMappingEdit, actor: Actor): string | null {
  return db.transaction((tx) => {
    const before = tx.select().from(platformTins).where(eq(platformTins.tin, edit.tin)).get();
    const problem = saveTinMapping(tx, edit);
    if (problem) return problem;
    // Short enough for the audit page's table; the source itself is on /mod/reference.
    audit(tx, actor, before ? "platform_tin.updated" : "platform_tin.added", { tin: edit.tin, platform: edit.platform, state: edit.state });
    return null;
  });
}

/** Removes a mapping; false when there was none. Imported rates stay, and are not published under a platform without one. */
export function removeModeratorTinMapping(db: Db, tin: string, actor: Actor): boolean {
  return db.transaction((tx) => {
    const before = tx.select().from(platformTins).where(eq(platformTins.tin, tin)).get();
    if (!before) return false;
    tx.delete(platformTins).where(eq(platformTins.tin, tin)).run();
    audit(tx, actor, "platform_tin.removed", { tin, platform: before.platform, state: before.state });
    return true;
  });
}
