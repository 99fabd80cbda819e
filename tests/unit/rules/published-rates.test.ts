import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { band, bandIndexOfCents } from "../../../src/lib/rules/bands.ts";
import {
  matchingPublishedRate, mergeNetworkPrices, modalityOfPlaces, takeFromPublishedRate, type CellForPublishedTake, type PublishedPayerRate,
} from "../../../src/lib/rules/published-rates.ts";
import { cents, publish, rate, report, type ExactReport } from "../../factories.ts";

function published(overrides: Partial<PublishedPayerRate> = {}): PublishedPayerRate {
  return {
    payer: "cigna", platform: "alma", tin: "111111111", state: "OR", cpt: "90837", modifiers: [], placeOfService: [],
    negotiatedType: "negotiated", negotiatedRate: 151.74, rateLow: 151.74, rateHigh: 151.74, networks: ["OAP"],
    expirationDate: "9999-12-31", reportingEntity: "Cigna", lastUpdatedOn: "2025-11-01", sourceFile: "cigna.json.gz",
    sourceSha256: "0".repeat(64), ...overrides,
  };
}

const CELL: CellForPublishedTake = {
  cpt: "90837", geoLevel: "state", geo: "OR", platform: "alma", payer: "cigna", modality: "telehealth", yearWindow: "2025", p50: 105, p50Band: "90-120",
};

describe("place of service → modality", () => {
  it("is telehealth when every code is 02 or 10, in person when none is, both otherwise or when none are listed", () => {
    expect(modalityOfPlaces(["02", "10"])).toBe("telehealth");
    expect(modalityOfPlaces(["11", "22"])).toBe("in_person");
    expect(modalityOfPlaces(["02", "11"])).toBe("both");
    expect(modalityOfPlaces([])).toBe("both");
  });
});

describe("merging networks' prices", () => {
  it("gives the middle price of an odd count and the mean of the two middle ones of an even count, to the cent", () => {
    const imported = (prices: number[]) => prices.map((p, i) => {
      const { negotiatedRate: _n, rateLow: _l, rateHigh: _h, ...rest } = published({ networks: [`N${i}`] });
      return { ...rest, fileId: 1, rateCents: cents(p) };
    });
    expect(mergeNetworkPrices(imported([150, 140, 160]))[0]).toMatchObject({ negotiatedRate: 150, rateLow: 140, rateHigh: 160, networks: ["N0", "N1", "N2"] });
    expect(mergeNetworkPrices(imported([151.74, 151.75]))[0]).toMatchObject({ negotiatedRate: 151.75, rateLow: 151.74, rateHigh: 151.75 });
  });
});

describe("rule Take from medians, published basis", () => {
  it("matches the design's example: Cigna pays Alma $151.74, pay median $105 in $90–$120 → about 31%, between 20% and 41%", () => {
    expect(takeFromPublishedRate(CELL, [published()], false)).toEqual({ publishedRate: 151.74, takePublishedP50: 31, takePublishedLow: 20, takePublishedHigh: 41 });
  });

  it("is null on demo snapshots and on cells over all platforms or all payers", () => {
    const none = { publishedRate: null, takePublishedP50: null, takePublishedLow: null, takePublishedHigh: null };
    expect(takeFromPublishedRate(CELL, [published()], true)).toEqual(none);
    expect(takeFromPublishedRate({ ...CELL, platform: null }, [published()], false)).toEqual(none);
    expect(takeFromPublishedRate({ ...CELL, payer: null }, [published()], false)).toEqual(none);
  });

  it("takes only a rate of the cell's CPT, state (or no state), modality (or both) and year window, preferring the most specific", () => {
    const national = published({ state: null, negotiatedRate: 140, tin: "222222222" });
    const oregon = published({ negotiatedRate: 151.74 });
    expect(matchingPublishedRate(CELL, [national, oregon])).toBe(oregon);
    expect(matchingPublishedRate({ ...CELL, geo: "WA" }, [national, oregon])).toBe(national);
    expect(matchingPublishedRate({ ...CELL, geoLevel: "national", geo: "US" }, [oregon])).toBeNull();
    expect(matchingPublishedRate(CELL, [published({ cpt: "90834" })])).toBeNull();
    expect(matchingPublishedRate(CELL, [published({ placeOfService: ["11"] })])).toBeNull();
    expect(matchingPublishedRate({ ...CELL, modality: "all" }, [published({ placeOfService: ["02"] })])).toBeNull();
    const tele = published({ placeOfService: ["02"], negotiatedRate: 130 });
    expect(matchingPublishedRate(CELL, [oregon, tele])).toBe(tele);
    expect(matchingPublishedRate(CELL, [published({ lastUpdatedOn: "2026-01-05" })])).toBeNull();
    expect(matchingPublishedRate({ ...CELL, yearWindow: "2025-2026" }, [published({ lastUpdatedOn: "2026-01-05" })])).not.toBeNull();
    const older = published({ lastUpdatedOn: "2025-02-01", negotiatedRate: 120 });
    expect(matchingPublishedRate(CELL, [older, oregon])).toBe(oregon);
  });

  it("has a range from the paid median's band only: any median in the band gives the same range (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 14 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 100, max: 500_000 }), (i, f, rateCents) => {
      const { lo, hi } = band(i);
      const rate = published({ negotiatedRate: rateCents / 100 });
      const a = takeFromPublishedRate({ ...CELL, p50: lo, p50Band: `${lo}-${hi}` }, [rate], false);
      const b = takeFromPublishedRate({ ...CELL, p50: Math.round(lo + f * (hi - lo)), p50Band: `${lo}-${hi}` }, [rate], false);
      expect([a.takePublishedLow, a.takePublishedHigh]).toEqual([b.takePublishedLow, b.takePublishedHigh]);
      expect(b.takePublishedLow!).toBeLessThanOrEqual(b.takePublishedP50!);
      expect(b.takePublishedP50!).toBeLessThanOrEqual(b.takePublishedHigh!);
    }), { numRuns: 1000 });
  });

  it("changes nothing published when a report's pay moves within its band (property)", () => {
    const rates = [published({ state: null, lastUpdatedOn: "2025-06-01" }), published({ lastUpdatedOn: "2025-06-01", negotiatedRate: 160 })];
    const everything = (reports: ExactReport[]) => JSON.stringify(publish(reports, 5).cells.map((cell) => ({ ...cell, ...takeFromPublishedRate(cell, rates, false) })));
    const payInBand = (bandIndex: number) => fc.double({ min: 0, max: 1, noNaN: true }).map((f) => {
      const { lo, hi } = band(bandIndex);
      return Math.min(hi * 100 - 1, Math.round(lo * 100 + f * (hi - lo) * 100));
    });
    fc.assert(fc.property(
      fc.array(fc.record({ band: fc.integer({ min: 2, max: 5 }), state: fc.constantFrom("OR", "WA"), channel: fc.constantFrom("platform", "direct") }), { minLength: 5, maxLength: 14 }),
      fc.nat(),
      fc.integer({ min: 2, max: 5 }).chain((b) => fc.tuple(fc.constant(b), payInBand(b), payInBand(b))),
      (others, which, [targetBand, before, after]) => {
        const build = (paidCents: number) => others.map((o, i) => report({
          state: o.state, channel: o.channel as "platform" | "direct",
          rates: [rate({ year: 2025, paidCents: i === which % others.length ? paidCents : cents((band(o.band).lo + band(o.band).hi) / 2) })],
        }));
        expect(bandIndexOfCents(before)).toBe(targetBand);
        expect(everything(build(before))).toEqual(everything(build(after)));
      },
    ), { numRuns: 200 });
  });
});
