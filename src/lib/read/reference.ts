// Reference data read back for pages, forms, the API and the snapshot builder (public data; the
// seed loader is src/lib/write/reference-seed.ts).
import { asc, sql } from "drizzle-orm";
import {
  censusDivisions, cptCodes, licenseGroups, licenseTypes, medicareRates, payers, platforms, states,
} from "../../../db/schema.ts";
import { DIVISIONS } from "../schemas/codes.ts";
import type { Db } from "../server/db.ts";

export type StateRow = typeof states.$inferSelect;
export type CptCodeRow = typeof cptCodes.$inferSelect;
export type PayerRow = typeof payers.$inferSelect;
export type PlatformRow = typeof platforms.$inferSelect;
export type LicenseTypeRow = typeof licenseTypes.$inferSelect;
export type LicenseGroupRow = typeof licenseGroups.$inferSelect;
export type DivisionRow = typeof censusDivisions.$inferSelect;

/** States and DC, by name. */
export function listStates(db: Db): StateRow[] {
  return db.select().from(states).orderBy(asc(states.name)).all();
}

/** CPT codes in display order (90837, 90834, 90832, 90791 first). */
export function listCptCodes(db: Db): CptCodeRow[] {
  return db.select().from(cptCodes).orderBy(asc(cptCodes.sort), asc(cptCodes.code)).all();
}

/** Payers by name, with "other" last. */
export function listPayers(db: Db): PayerRow[] {
  return db.select().from(payers).orderBy(sql`${payers.slug} = 'other'`, asc(payers.name)).all();
}

/** Platforms by name. */
export function listPlatforms(db: Db): PlatformRow[] {
  return db.select().from(platforms).orderBy(asc(platforms.name)).all();
}

export function listLicenseTypes(db: Db): LicenseTypeRow[] {
  return db.select().from(licenseTypes).orderBy(asc(licenseTypes.sort), asc(licenseTypes.slug)).all();
}

export function listLicenseGroups(db: Db): LicenseGroupRow[] {
  return db.select().from(licenseGroups).orderBy(asc(licenseGroups.sort), asc(licenseGroups.slug)).all();
}

/** Census divisions in the Census Bureau's order (New England … Pacific). */
export function listDivisions(db: Db): DivisionRow[] {
  const order = (slug: string) => {
    const index = (DIVISIONS as readonly string[]).indexOf(slug);
    return index === -1 ? DIVISIONS.length : index;
  };
  return db.select().from(censusDivisions).all()
    .sort((a, b) => order(a.slug) - order(b.slug) || a.slug.localeCompare(b.slug));
}

/** Medicare national non-facility amounts: CPT → year → integer cents. */
export function medicareAmounts(db: Db): Map<string, Map<number, number>> {
  const amounts = new Map<string, Map<number, number>>();
  const rows = db.select({ cpt: medicareRates.cpt, year: medicareRates.year, amountCents: medicareRates.amountCents })
    .from(medicareRates).orderBy(asc(medicareRates.cpt), asc(medicareRates.year)).all();
  for (const row of rows) {
    let byYear = amounts.get(row.cpt);
    if (!byYear) {
      byYear = new Map();
      amounts.set(row.cpt, byYear);
    }
    byYear.set(row.year, row.amountCents);
  }
  return amounts;
}

export type MedicareRateRow = typeof medicareRates.$inferSelect;

/** Medicare rows with their source as stored (moderators may edit the source). */
export function listMedicareRates(db: Db): MedicareRateRow[] {
  return db.select().from(medicareRates).orderBy(asc(medicareRates.cpt), asc(medicareRates.year)).all();
}
