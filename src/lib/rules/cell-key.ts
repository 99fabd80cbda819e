// A cell's stable name across snapshots: cpt|geoLevel:geo|channel|platform|payer|licenseLevel:license|modality|window.
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

export function cellKeyOf(d: CellDimensions): string {
  return `${d.cpt}|${d.geoLevel}:${d.geo}|${d.channel ?? "all"}|${d.platform ?? "all"}|${d.payer ?? "all"}|${d.licenseLevel}:${d.license ?? "all"}|${d.modality}|${d.yearWindow}`;
}

const isGeoLevel = (value: string): value is GeoLevel => (GEO_LEVELS as readonly string[]).includes(value);
const isLicenseLevel = (value: string): value is LicenseLevel => (LICENSE_LEVELS as readonly string[]).includes(value);

/** The dimensions a key names, or null when it is not a cell key. */
export function parseCellKey(key: string): CellDimensions | null {
  const parts = key.split("|");
  if (parts.length !== 8) return null;
  const [cpt, place, channel, platform, payer, licensePart, modality, yearWindow] = parts as [string, string, string, string, string, string, string, string];
  const [geoLevel, geo] = place.split(":");
  const [licenseLevel, license] = licensePart.split(":");
  if (!geoLevel || !geo || !isGeoLevel(geoLevel) || !licenseLevel || license === undefined || !isLicenseLevel(licenseLevel)) return null;
  const orNull = (value: string) => (value === "all" ? null : value);
  return {
    cpt, geoLevel, geo, channel: orNull(channel), platform: orNull(platform), payer: orNull(payer),
    licenseLevel, license: orNull(license), modality, yearWindow,
  };
}
