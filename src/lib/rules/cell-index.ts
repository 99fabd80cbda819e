// The dense cell index of one CPT: every combination of geography, channel/platform, payer,
// license, modality and year window is one integer, so that computeCells counts into flat arrays.
// Encoding (every cell a rate belongs to) and decoding (an index back to its dimensions) live
// here together; tests/unit/rules/cell-index.test.ts checks that one undoes the other.
import type { GeoLevel, LicenseLevel } from "../schemas/codes.ts";
import { MODALITIES } from "../schemas/codes.ts";
import type { BandedRates, Dimensions, YearWindow } from "./cells.ts";
import { NATIONAL } from "./ladders.ts";

/**
 * How many values each coordinate takes. Geography: the states, then the divisions, then the
 * nation. Channel/platform: 0 all, then each channel, then each platform. Payer: 0 all, then each
 * payer. License: 0 all, then each group, then each license. Modality: 0 all, then each modality.
 */
export type CellIndexLayout = {
  S: number; D: number; G: number; CP: number; PY: number; LG: number; LC: number; MC: number; W: number;
  /** how many indexes there are */
  size: number;
};

export type CellCoordinates = { geo: number; cp: number; py: number; lc: number; mc: number; w: number };

export function cellIndexLayout(dims: Dimensions, windowCount: number): CellIndexLayout {
  const S = dims.states.length;
  const D = dims.divisions.length;
  const G = S + D + 1;
  const CP = 1 + dims.channels.length + dims.platforms.length;
  const PY = 1 + dims.payers.length;
  const LG = dims.licenseGroups.length;
  const LC = 1 + LG + dims.licenses.length;
  const MC = 1 + MODALITIES.length;
  const W = windowCount;
  const size = G * CP * PY * LC * MC * W;
  if (size > 2 ** 31 - 1) throw new RangeError("too many dimension values for one cell index");
  return { S, D, G, CP, PY, LG, LC, MC, W, size };
}

export function encodeCellIndex(layout: CellIndexLayout, c: CellCoordinates): number {
  return ((((c.geo * layout.CP + c.cp) * layout.PY + c.py) * layout.LC + c.lc) * layout.MC + c.mc) * layout.W + c.w;
}

export function decodeCellIndex(layout: CellIndexLayout, index: number): CellCoordinates {
  let rest = index;
  const w = rest % layout.W; rest = (rest - w) / layout.W;
  const mc = rest % layout.MC; rest = (rest - mc) / layout.MC;
  const lc = rest % layout.LC; rest = (rest - lc) / layout.LC;
  const py = rest % layout.PY; rest = (rest - py) / layout.PY;
  const cp = rest % layout.CP; rest = (rest - cp) / layout.CP;
  return { geo: rest, cp, py, lc, mc, w };
}

export type DecodedCell = {
  geoLevel: GeoLevel; geo: string; channel: string | null; platform: string | null; payer: string | null;
  licenseLevel: LicenseLevel; license: string | null; modality: string; window: YearWindow;
};

/** The dimensions an index names. */
export function cellAtIndex(layout: CellIndexLayout, dims: Dimensions, windows: readonly YearWindow[], index: number): DecodedCell {
  const { geo: geoCode, cp, py, lc, mc, w } = decodeCellIndex(layout, index);
  const { S, D, LG } = layout;
  let geoLevel: GeoLevel;
  let geo: string;
  if (geoCode < S) { geoLevel = "state"; geo = dims.states[geoCode] as string; }
  else if (geoCode < S + D) { geoLevel = "division"; geo = dims.divisions[geoCode - S] as string; }
  else { geoLevel = "national"; geo = NATIONAL; }
  let channel: string | null = null;
  let platform: string | null = null;
  if (cp >= 1 && cp <= dims.channels.length) channel = dims.channels[cp - 1] as string;
  else if (cp > dims.channels.length) { channel = "platform"; platform = dims.platforms[cp - 1 - dims.channels.length] as string; }
  const payer = py === 0 ? null : (dims.payers[py - 1] as string);
  let licenseLevel: LicenseLevel;
  let license: string | null;
  if (lc === 0) { licenseLevel = "all"; license = null; }
  else if (lc <= LG) { licenseLevel = "group"; license = dims.licenseGroups[lc - 1] as string; }
  else { licenseLevel = "license"; license = dims.licenses[lc - 1 - LG] as string; }
  const modality = mc === 0 ? "all" : (MODALITIES[mc - 1] as string);
  return { geoLevel, geo, channel, platform, payer, licenseLevel, license, modality, window: windows[w] as YearWindow };
}

/**
 * The encoder of the hot loop: `cellsOf(i)` writes the index of every cell rate i belongs to
 * (its state, division and the nation; all, its channel and its platform; all and its payer; all,
 * its group and its license; all and its modality; each window holding its year) into `scratch`
 * and returns how many. The same arithmetic as encodeCellIndex, unrolled.
 */
export function cellIndexer(layout: CellIndexLayout, dims: Dimensions, rates: BandedRates, windowsOfYear: readonly (readonly number[])[]) {
  const { S, D, CP, PY, LG, LC, MC, W } = layout;
  const scratch = new Int32Array(3 * 3 * 2 * 3 * 2 * Math.max(1, W));
  const geoOpts = [0, 0, 0];
  const cpOpts = [0, 0, 0];
  const pyOpts = [0, 0];
  const lcOpts = [0, 0, 0];
  const mcOpts = [0, 0];
  /** Only the geographic levels [firstLevel, endLevel) (0 states, 1 divisions, 2 the nation), when given. */
  /** Rate i's places, payers and modalities (the options both encoders share); returns its payer options' count. */
  const placesPayersModalities = (i: number): number => {
    const s = rates.state[i] as number;
    geoOpts[0] = s;
    geoOpts[1] = S + (dims.divisionOfState[s] as number);
    geoOpts[2] = S + D;
    const payer = rates.payer[i] as number;
    pyOpts[0] = 0;
    let pyCount = 1;
    if (payer >= 0) pyOpts[pyCount++] = 1 + payer;
    mcOpts[0] = 0;
    mcOpts[1] = 1 + (rates.modality[i] as number);
    return pyCount;
  };
  const cellsOf = (i: number, firstLevel = 0, endLevel = 3): number => {
    const pyCount = placesPayersModalities(i);
    const channel = rates.channel[i] as number;
    const platform = rates.platform[i] as number;
    cpOpts[0] = 0;
    cpOpts[1] = 1 + channel;
    let cpCount = 2;
    if (platform >= 0) cpOpts[cpCount++] = 1 + dims.channels.length + platform;
    const license = rates.license[i] as number;
    lcOpts[0] = 0;
    lcOpts[1] = 1 + (dims.groupOfLicense[license] as number);
    lcOpts[2] = 1 + LG + license;
    const ws = windowsOfYear[rates.yearIndex[i] as number] as readonly number[];
    let count = 0;
    for (let g = firstLevel; g < endLevel; g++) {
      const dg = (geoOpts[g] as number) * CP;
      for (let c = 0; c < cpCount; c++) {
        const dc = (dg + (cpOpts[c] as number)) * PY;
        for (let p = 0; p < pyCount; p++) {
          const dp = (dc + (pyOpts[p] as number)) * LC;
          for (let l = 0; l < 3; l++) {
            const dl = (dp + (lcOpts[l] as number)) * MC;
            for (let m = 0; m < 2; m++) {
              const dm = (dl + (mcOpts[m] as number)) * W;
              for (let w = 0; w < ws.length; w++) scratch[count++] = dm + (ws[w] as number);
            }
          }
        }
      }
    }
    return count;
  };
  /**
   * Only the cells of rate i at its license and at its channel and its platform (with, as in
   * cellsOf, each of its places, all and its payer, all and its modality, each window holding its
   * year), for the levels [firstLevel, endLevel). The cells of all licenses, of a license group and
   * of all channels are sums of these (see computeCells).
   */
  const finestCellsOf = (i: number, firstLevel = 0, endLevel = 3): number => {
    const pyCount = placesPayersModalities(i);
    const platform = rates.platform[i] as number;
    cpOpts[0] = 1 + (rates.channel[i] as number);
    let cpCount = 1;
    if (platform >= 0) cpOpts[cpCount++] = 1 + dims.channels.length + platform;
    const lc = 1 + LG + (rates.license[i] as number);
    const ws = windowsOfYear[rates.yearIndex[i] as number] as readonly number[];
    let count = 0;
    for (let g = firstLevel; g < endLevel; g++) {
      const dg = (geoOpts[g] as number) * CP;
      for (let c = 0; c < cpCount; c++) {
        const dc = (dg + (cpOpts[c] as number)) * PY;
        for (let p = 0; p < pyCount; p++) {
          const dl = ((dc + (pyOpts[p] as number)) * LC + lc) * MC;
          for (let m = 0; m < 2; m++) {
            const dm = (dl + (mcOpts[m] as number)) * W;
            for (let w = 0; w < ws.length; w++) scratch[count++] = dm + (ws[w] as number);
          }
        }
      }
    }
    return count;
  };
  return { scratch, cellsOf, finestCellsOf };
}
