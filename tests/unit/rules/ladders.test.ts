import { describe, it, expect } from "vitest";
import {
  NATIONAL, fallbackLadder, geographyLadder, licenseLadder, modalityLadder,
} from "../../../src/lib/rules/ladders.ts";

const divisionOf = (state: string) => ({ OR: "pacific", WA: "pacific", NY: "middle-atlantic" } as Record<string, string>)[state];
const groupOf = (license: string) => ({ lcsw: "masters", lpc: "masters", psychologist: "doctoral" } as Record<string, string>)[license];

describe("rule Generalize, don't hide: ladders", () => {
  it("climbs geography from state to its census division to the nation", () => {
    expect(geographyLadder({ geoLevel: "state", geo: "OR" }, divisionOf)).toEqual([
      { geoLevel: "state", geo: "OR" }, { geoLevel: "division", geo: "pacific" }, { geoLevel: "national", geo: NATIONAL },
    ]);
    expect(geographyLadder({ geoLevel: "division", geo: "pacific" }, divisionOf)).toEqual([
      { geoLevel: "division", geo: "pacific" }, { geoLevel: "national", geo: "US" },
    ]);
    expect(geographyLadder({ geoLevel: "national", geo: "US" }, divisionOf)).toEqual([{ geoLevel: "national", geo: "US" }]);
    expect(geographyLadder({ geoLevel: "state", geo: "ZZ" }, divisionOf)).toEqual([
      { geoLevel: "state", geo: "ZZ" }, { geoLevel: "national", geo: "US" },
    ]);
  });

  it("climbs license from license to its group to all", () => {
    expect(licenseLadder({ licenseLevel: "license", license: "lpc" }, groupOf)).toEqual([
      { licenseLevel: "license", license: "lpc" }, { licenseLevel: "group", license: "masters" }, { licenseLevel: "all", license: null },
    ]);
    expect(licenseLadder({ licenseLevel: "group", license: "doctoral" }, groupOf)).toEqual([
      { licenseLevel: "group", license: "doctoral" }, { licenseLevel: "all", license: null },
    ]);
    expect(licenseLadder({ licenseLevel: "all", license: null }, groupOf)).toEqual([{ licenseLevel: "all", license: null }]);
  });

  it("climbs modality from one to all", () => {
    expect(modalityLadder("telehealth")).toEqual([{ modality: "telehealth" }, { modality: "all" }]);
    expect(modalityLadder("all")).toEqual([{ modality: "all" }]);
  });

  it("varies geography first, then license, then modality", () => {
    const steps = fallbackLadder(
      geographyLadder({ geoLevel: "state", geo: "OR" }, divisionOf),
      licenseLadder({ licenseLevel: "license", license: "lpc" }, groupOf),
      modalityLadder("telehealth"),
    );
    expect(steps).toHaveLength(18);
    const brief = steps.map((s) => `${s.geo}/${s.license ?? "all"}/${s.modality}`);
    expect(brief).toEqual([
      "OR/lpc/telehealth", "pacific/lpc/telehealth", "US/lpc/telehealth",
      "OR/masters/telehealth", "pacific/masters/telehealth", "US/masters/telehealth",
      "OR/all/telehealth", "pacific/all/telehealth", "US/all/telehealth",
      "OR/lpc/all", "pacific/lpc/all", "US/lpc/all",
      "OR/masters/all", "pacific/masters/all", "US/masters/all",
      "OR/all/all", "pacific/all/all", "US/all/all",
    ]);
    expect(steps[0]).toEqual({ geoLevel: "state", geo: "OR", licenseLevel: "license", license: "lpc", modality: "telehealth" });
    expect(steps[17]).toEqual({ geoLevel: "national", geo: "US", licenseLevel: "all", license: null, modality: "all" });
  });
});
