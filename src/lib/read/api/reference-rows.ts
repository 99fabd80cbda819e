// Reference data as the API publishes it: snake_case rows in the pages' order.
import type { ReferenceRow, ReferenceTable } from "../../schemas/api.ts";
import type { Db } from "../../server/db.ts";
import { listCptCodes, listDivisions, listLicenseGroups, listLicenseTypes, listPayers, listPlatforms, listMedicareRates, listStates } from "../reference.ts";

export function referenceRows(db: Db, table: ReferenceTable): ReferenceRow<ReferenceTable>[] {
  switch (table) {
    case "cpt-codes":
      return listCptCodes(db).map((row): ReferenceRow<"cpt-codes"> => ({
        code: row.code, label: row.label, description: row.description, minutes: row.minutes, is_add_on: row.isAddOn,
      }));
    case "payers":
      return listPayers(db).map((row): ReferenceRow<"payers"> => ({
        slug: row.slug, name: row.name, plan_types: row.planTypes, notes: row.notes, source_url: row.sourceUrl,
      }));
    case "platforms":
      return listPlatforms(db).map((row): ReferenceRow<"platforms"> => ({
        slug: row.slug, name: row.name, website: row.website,
        fee_model: row.feeModel, fee_model_source: row.feeModelSource, fee_model_source_url: row.feeModelSourceUrl,
        contract_holder: row.contractHolder as ReferenceRow<"platforms">["contract_holder"],
        contract_holder_source: row.contractHolderSource, contract_holder_source_url: row.contractHolderSourceUrl,
        owners: row.owners.map((owner) => ({ name: owner.name, relation: owner.relation, source: owner.source, source_url: owner.sourceUrl })),
      }));
    case "states": {
      const divisions = new Map(listDivisions(db).map((d) => [d.slug, d]));
      return listStates(db).map((row): ReferenceRow<"states"> => ({
        code: row.code, name: row.name, division: row.division,
        division_name: divisions.get(row.division)?.name ?? row.division, region: divisions.get(row.division)?.region ?? "",
      }));
    }
    case "license-types": {
      const groups = new Map(listLicenseGroups(db).map((g) => [g.slug, g.name]));
      return listLicenseTypes(db).map((row): ReferenceRow<"license-types"> => ({
        slug: row.slug, name: row.name, description: row.description, group: row.groupSlug, group_name: groups.get(row.groupSlug) ?? row.groupSlug,
      }));
    }
    case "medicare-rates":
      // The source as stored: a moderator's edit to it is published with the next answer.
      return listMedicareRates(db).map((row): ReferenceRow<"medicare-rates"> => ({
        cpt: row.cpt, year: row.year, amount: row.amountCents / 100, source: row.source, source_url: row.sourceUrl,
      }));
  }
}
