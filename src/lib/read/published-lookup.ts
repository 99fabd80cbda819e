// Many rows of one comparison (every platform, every payer…) looked up along the generalization
// ladder at once. It gives what cellWithFallback gives for each row (tests/unit/published-lookup.test.ts
// checks that), but reads each place of the ladder once instead of once per row and step.
import type { Db } from "../server/db.ts";
import { findCells, generalizationNote, notPublishedNote, type CellFilter, type CellRow, type Names, type Snapshot } from "./published.ts";
import { requestLadder, type GeoStep, type LadderLookups, type LadderStep, type LicenseStep } from "../rules/ladders.ts";

/** Where and what is compared: the same for every row. */
export type Place = { cpt: string; geo: GeoStep; license: LicenseStep; modality: string; yearWindow: string };

/** Who pays: what differs from row to row (null = all). */
export type Payee = { channel: string | null; platform: string | null; payer: string | null };


export type Lookup =
  | { cell: CellRow; step: LadderStep; note: string | null }
  | { cell: null; step: null; note: string };

const PAGE = 1000;

function key(payee: Payee, step: LadderStep): string {
  return [payee.channel, payee.platform, payee.payer, step.geoLevel, step.geo, step.licenseLevel, step.license, step.modality]
    .map((part) => part ?? "∅").join("|");
}

/** The one value every payee shares in a dimension, as a filter; undefined when they differ. */
function shared(payees: Payee[], dimension: keyof Payee): string | null | undefined {
  const values = new Set(payees.map((p) => p[dimension]));
  return values.size === 1 ? [...values][0] : undefined;
}


/**
 * `accept` narrows what counts as found (e.g. a cell that publishes the payer amount); without it,
 * the first published cell along the ladder is taken, exactly as cellWithFallback does.
 */
export function lookUpRows(
  db: Db, snapshot: Snapshot, place: Place, payees: Payee[], lookups: LadderLookups, names: Names,
  accept: (cell: CellRow) => boolean = () => true,
): Lookup[] {
  if (payees.length === 0) return [];
  const ladder = requestLadder(place, lookups);
  const wanted = ladder[0]!;
  // Narrow the reads by whatever every row has in common (e.g. payer = all).
  const base: CellFilter = { cpt: place.cpt, yearWindow: place.yearWindow };
  for (const dimension of ["channel", "platform", "payer"] as const) {
    const value = shared(payees, dimension);
    if (value !== undefined) base[dimension] = value;
  }
  const cells = new Map<string, CellRow>();
  const places = new Map<string, GeoStep>(ladder.map((step) => [`${step.geoLevel}:${step.geo}`, { geoLevel: step.geoLevel, geo: step.geo }]));
  for (const geo of places.values()) {
    for (let offset = 0; ; offset += PAGE) {
      const page = findCells(db, snapshot.id, { ...base, geoLevel: geo.geoLevel, geo: geo.geo }, { limit: PAGE, offset });
      for (const cell of page) {
        const step = { geoLevel: cell.geoLevel as GeoStep["geoLevel"], geo: cell.geo, licenseLevel: cell.licenseLevel as LicenseStep["licenseLevel"], license: cell.license, modality: cell.modality };
        cells.set(key({ channel: cell.channel, platform: cell.platform, payer: cell.payer }, step), cell);
      }
      if (page.length < PAGE) break;
    }
  }
  return payees.map((payee) => {
    for (const step of ladder) {
      const cell = cells.get(key(payee, step));
      if (cell && accept(cell)) return { cell, step, note: step === wanted ? null : generalizationNote(wanted, step, snapshot.k, names) };
    }
    return { cell: null, step: null, note: notPublishedNote(snapshot.k) };
  });
}
