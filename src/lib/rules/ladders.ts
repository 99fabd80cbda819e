// Rule "Generalize, don't hide": the ladders a too-small cell climbs, in the order they are tried.

import type { GeoLevel, LicenseLevel } from "../schemas/codes.ts";
export const NATIONAL = "US";

export type GeoStep = { geoLevel: GeoLevel; geo: string };
export type LicenseStep = { licenseLevel: LicenseLevel; license: string | null };
export type ModalityStep = { modality: string };

export function geographyLadder(start: GeoStep, divisionOfState: (state: string) => string | undefined): GeoStep[] {
  if (start.geoLevel === "national") return [{ geoLevel: "national", geo: NATIONAL }];
  if (start.geoLevel === "division") return [start, { geoLevel: "national", geo: NATIONAL }];
  const division = divisionOfState(start.geo);
  const steps: GeoStep[] = [start];
  if (division) steps.push({ geoLevel: "division", geo: division });
  steps.push({ geoLevel: "national", geo: NATIONAL });
  return steps;
}

export function licenseLadder(start: LicenseStep, groupOfLicense: (license: string) => string | undefined): LicenseStep[] {
  if (start.licenseLevel === "all") return [{ licenseLevel: "all", license: null }];
  if (start.licenseLevel === "group") return [start, { licenseLevel: "all", license: null }];
  const group = start.license === null ? undefined : groupOfLicense(start.license);
  const steps: LicenseStep[] = [start];
  if (group) steps.push({ licenseLevel: "group", license: group });
  steps.push({ licenseLevel: "all", license: null });
  return steps;
}

export function modalityLadder(modality: string): ModalityStep[] {
  return modality === "all" ? [{ modality: "all" }] : [{ modality }, { modality: "all" }];
}

export type LadderStep = GeoStep & LicenseStep & ModalityStep;

/**
 * Every step in the order tried: geography varies first (state → division → nation), then
 * license (license → group → all), then modality (one → all).
 */
export function fallbackLadder(geo: GeoStep[], license: LicenseStep[], modality: ModalityStep[]): LadderStep[] {
  const steps: LadderStep[] = [];
  for (const m of modality) for (const l of license) for (const g of geo) steps.push({ ...g, ...l, ...m });
  return steps;
}

/** Where a state's division and a license's group are looked up (reference data). */
export type LadderLookups = { divisionOfState: (state: string) => string | undefined; groupOfLicense: (license: string) => string | undefined };

/** The one ladder of a request: its geography, license and modality, generalized in that order. */
export function requestLadder(request: { geo: GeoStep; license: LicenseStep; modality: string }, lookups: LadderLookups): LadderStep[] {
  return fallbackLadder(
    geographyLadder(request.geo, lookups.divisionOfState),
    licenseLadder(request.license, lookups.groupOfLicense),
    modalityLadder(request.modality),
  );
}
