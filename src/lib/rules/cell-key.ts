// A cell's stable name across snapshots: cpt|geoLevel:geo|channel|platform|payer|licenseLevel:license|modality|window,
// with a ninth part `verified` for the row computed from verified reports alone (issue 12).
import { GEO_LEVELS, LICENSE_LEVELS, type GeoLevel, type LicenseLevel } from "../schemas/codes.ts";

export type CellDimensions = {
  cpt: string;
  geoLevel: GeoLevel;
  geo: string;
  channel: string | null;
  platform: string | null;
  payer: string | null;
  licenseLevel: LicenseLevel;
  license: string | null;
  modality: string;
  yearWindow: string;
};

export function cellKeyOf(d: CellDimensions & { verified?: boolean }): string {
  return `${d.cpt}|${d.geoLevel}:${d.geo}|${d.channel ?? "all"}|${d.platform ?? "all"}|${d.payer ?? "all"}|${d.licenseLevel}:${d.license ?? "all"}|${d.modality}|${d.yearWindow}${d.verified ? "|verified" : ""}`;
}

const isGeoLevel = (value: string): value is GeoLevel => (GEO_LEVELS as readonly string[]).includes(value);
const isLicenseLevel = (value: string): value is LicenseLevel => (LICENSE_LEVELS as readonly string[]).includes(value);

/** The dimensions a key names, or null when it is not a cell key. */
export function parseCellKey(key: string): (CellDimensions & { verified: boolean }) | null {
  const parts = key.split("|");
  const verified = parts.length === 9 && parts[8] === "verified";
  if (verified) parts.pop();
  if (parts.length !== 8) return null;
  const [cpt, place, channel, platform, payer, licensePart, modality, yearWindow] = parts as [string, string, string, string, string, string, string, string];
  const [geoLevel, geo] = place.split(":");
  const [licenseLevel, license] = licensePart.split(":");
  if (!geoLevel || !geo || !isGeoLevel(geoLevel) || !licenseLevel || license === undefined || !isLicenseLevel(licenseLevel)) return null;
  const orNull = (value: string) => (value === "all" ? null : value);
  return {
    cpt, geoLevel, geo, channel: orNull(channel), platform: orNull(platform), payer: orNull(payer),
    licenseLevel, license: orNull(license), modality, yearWindow, verified,
  };
}
