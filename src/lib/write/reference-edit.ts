// Moderators' changes to reference data, each written with its audit line in one transaction.
import { eq } from "drizzle-orm";
import { cptCodes, medicareRates, payers, platforms } from "../../../db/schema.ts";
import type { CptEdit, MedicareEdit, PayerEdit, PlatformEdit } from "../schemas/reference.ts";
import { audit, type Actor } from "./auth/audit.ts";
import type { Db } from "../server/db.ts";
import { dollarsToCents } from "../shared/money.ts";

export function savePlatform(db: Db, edit: PlatformEdit, actor: Actor): void {
  db.transaction((tx) => {
    const existed = tx.select({ slug: platforms.slug }).from(platforms).where(eq(platforms.slug, edit.slug)).get() !== undefined;
    tx.insert(platforms).values(edit).onConflictDoUpdate({ target: platforms.slug, set: { ...edit, slug: undefined } }).run();
    audit(tx, actor, existed ? "platform.updated" : "platform.added", { platform: edit.slug });
  });
}

export function savePayer(db: Db, edit: PayerEdit, actor: Actor): void {
  db.transaction((tx) => {
    const existed = tx.select({ slug: payers.slug }).from(payers).where(eq(payers.slug, edit.slug)).get() !== undefined;
    tx.insert(payers).values(edit).onConflictDoUpdate({ target: payers.slug, set: { ...edit, slug: undefined } }).run();
    audit(tx, actor, existed ? "payer.updated" : "payer.added", { payer: edit.slug });
  });
}

/** CPT codes are fixed; only our plain-language label and description change. */
export function saveCptLabel(db: Db, edit: CptEdit, actor: Actor): boolean {
  return db.transaction((tx) => {
    const changed = tx.update(cptCodes).set({ label: edit.label, description: edit.description }).where(eq(cptCodes.code, edit.code)).run().changes === 1;
    if (changed) audit(tx, actor, "cpt.updated", { cpt: edit.code });
    return changed;
  });
}

export function saveMedicareAmount(db: Db, edit: MedicareEdit, actor: Actor): void {
  db.transaction((tx) => {
    const values = { cpt: edit.cpt, year: edit.year, amountCents: dollarsToCents(edit.amount), source: edit.source, sourceUrl: edit.sourceUrl };
    tx.insert(medicareRates).values(values)
      .onConflictDoUpdate({ target: [medicareRates.cpt, medicareRates.year], set: { amountCents: values.amountCents, source: values.source, sourceUrl: values.sourceUrl } })
      .run();
    audit(tx, actor, "medicare.updated", { cpt: edit.cpt, year: edit.year, amount: edit.amount });
  });
}
