// Reference names and lookups for pages: what a slug is called, which division a state is in, and
// the names the generalization note uses ("Oregon has fewer than 5 reports; showing the Pacific division").
import type { Db } from "../server/db.ts";
import type { Names } from "./published.ts";
import { listCptCodes, listDivisions, listLicenseGroups, listLicenseTypes, listPayers, listPlatforms, listStates, type CptCodeRow, type LicenseTypeRow, type PayerRow, type PlatformRow, type StateRow } from "../read/reference.ts";
import type { GeoStep, LicenseStep } from "../rules/ladders.ts";

export type ReferenceContext = {
  states: StateRow[];
  licenses: LicenseTypeRow[];
  platforms: PlatformRow[];
  payers: PayerRow[];
  cptCodes: CptCodeRow[];
  lookups: { divisionOfState: (state: string) => string | undefined; groupOfLicense: (license: string) => string | undefined };
  names: Names;
  stateName: (code: string) => string;
  licenseName: (slug: string) => string;
  platformName: (slug: string) => string;
  payerName: (slug: string) => string;
  cptLabel: (code: string) => string;
  /** "Oregon", "the Pacific division", "the whole nation" */
  placeName: (step: GeoStep) => string;
};

export function referenceContext(db: Db): ReferenceContext {
  const states = listStates(db);
  const licenses = listLicenseTypes(db);
  const platforms = listPlatforms(db);
  const payers = listPayers(db);
  const cptCodes = listCptCodes(db);
  const divisionName = new Map(listDivisions(db).map((d) => [d.slug, d.name]));
  const groupName = new Map(listLicenseGroups(db).map((g) => [g.slug, g.name]));
  const stateByCode = new Map(states.map((s) => [s.code, s]));
  const licenseBySlug = new Map(licenses.map((l) => [l.slug, l]));
  const platformName = new Map(platforms.map((p) => [p.slug, p.name]));
  const payerName = new Map(payers.map((p) => [p.slug, p.name]));
  const cptLabel = new Map(cptCodes.map((c) => [c.code, c.label]));

  const geoName = (step: GeoStep) => {
    if (step.geoLevel === "national") return "The United States";
    if (step.geoLevel === "division") return divisionName.get(step.geo) ?? step.geo;
    return stateByCode.get(step.geo)?.name ?? step.geo;
  };
  const licenseName = (step: LicenseStep) => {
    if (step.license === null) return "all";
    return step.licenseLevel === "group" ? (groupName.get(step.license) ?? step.license) : (licenseBySlug.get(step.license)?.name ?? step.license);
  };

  return {
    states, licenses, platforms, payers, cptCodes,
    lookups: {
      divisionOfState: (state) => stateByCode.get(state)?.division,
      groupOfLicense: (license) => licenseBySlug.get(license)?.groupSlug,
    },
    names: { geo: geoName, license: licenseName },
    stateName: (code) => stateByCode.get(code)?.name ?? code,
    licenseName: (slug) => licenseBySlug.get(slug)?.name ?? slug,
    platformName: (slug) => platformName.get(slug) ?? slug,
    payerName: (slug) => payerName.get(slug) ?? slug,
    cptLabel: (code) => cptLabel.get(code) ?? code,
    placeName: (step) => {
      if (step.geoLevel === "national") return "the whole nation";
      if (step.geoLevel === "division") return `the ${geoName(step)} division`;
      return geoName(step);
    },
  };
}
