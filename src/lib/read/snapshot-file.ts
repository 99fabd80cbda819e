// The file format of one published snapshot: columns of small integers with their dictionaries.
// Writing 2 million cells this way takes a fraction of a second (SQLite rows took ~10 s), and a
// reader scans a CPT's cells in memory. The file holds published cells and shares and nothing else.
import type { PublishedCell } from "../rules/cells.ts";
import type { PublishedPayerRate } from "../rules/published-rates.ts";
import { dollarsToCents } from "../shared/money.ts";
import { diffCells } from "./cell-diff.ts";

// 02 added the verified and verifiedNBand columns (issue 12); files of 01 read as having no verified rows.
const MAGIC = "RCSNAP02";
const MAGIC_01 = "RCSNAP01";
const NULL_INT = -2147483648;

/** Columns stored as dictionary codes (strings or null). */
const CODED = [
  "cpt", "geoLevel", "geo", "channel", "platform", "payer", "licenseLevel", "license", "modality", "yearWindow",
  "nBand", "p25Band", "p50Band", "p75Band", "verifiedNBand",
] as const;
/** Columns stored as 32-bit integers (null as a sentinel). medicare is in cents, p50ShareInBand in hundredths. */
const INTEGER = [
  "n", "p10", "p25", "p50", "p75", "p90", "p50ShareInBand", "medicare", "p50PctMedicare", "allowedP50",
  "takeP50", "takeLow", "takeHigh", "verified",
] as const;

type CodedColumn = (typeof CODED)[number];
type IntegerColumn = (typeof INTEGER)[number];

export type PublishedShareRow = { platform: string; question: string; n: number; sharePct: number; marginPct: number };

type Header = {
  rows: number;
  dictionaries: Record<CodedColumn, (string | null)[]>;
  columns: { name: string; type: "u16" | "i32"; offset: number }[];
  cptRanges: Record<string, [number, number]>;
  shares: PublishedShareRow[];
  /** Insurer-published rates (issue 11); absent in files written before them. */
  payerRates?: PublishedPayerRate[];
};

export type CellValues = Omit<PublishedCell, "cellKey">;

export type WrittenColumns = {
  rows: number;
  coded: Record<CodedColumn, Uint16Array>;
  integers: Record<IntegerColumn, Int32Array>;
  dictionaries: Header["dictionaries"];
  cptRanges: Header["cptRanges"];
};

export class SnapshotFileWriter {
  #capacity = 4096;
  #rows = 0;
  #coded = Object.fromEntries(CODED.map((c) => [c, new Uint16Array(this.#capacity)])) as Record<CodedColumn, Uint16Array>;
  #integers = Object.fromEntries(INTEGER.map((c) => [c, new Int32Array(this.#capacity)])) as Record<IntegerColumn, Int32Array>;
  #codes = Object.fromEntries(CODED.map((c) => [c, new Map<string | null, number>()])) as Record<CodedColumn, Map<string | null, number>>;
  #cptRanges: Record<string, [number, number]> = {};
  #codesBySlot = CODED.map((c) => this.#codes[c]);
  /** Per column, the last value coded and its code (undefined matches no value). */
  #lastValue: (string | null | undefined)[] = CODED.map(() => undefined);
  #lastCode: number[] = CODED.map(() => 0);

  get rows(): number {
    return this.#rows;
  }

  /** How many of the rows are verified rows (issue 12). */
  get verifiedRows(): number {
    let count = 0;
    const column = this.#integers.verified;
    for (let row = 0; row < this.#rows; row++) count += column[row]!;
    return count;
  }

  /** Cells must arrive grouped by CPT (computeCells emits them so). A cellKey, if present, is not stored. */
  add(cell: CellValues): void {
    if (this.#rows === this.#capacity) this.#grow();
    const row = this.#rows++;
    // One line per column (a loop over the column names costs a lookup by name per value), in
    // CODED order; each value is most often the previous row's, whose code is kept.
    const coded = this.#coded;
    coded.cpt[row] = this.#codeOf(0, cell.cpt);
    coded.geoLevel[row] = this.#codeOf(1, cell.geoLevel);
    coded.geo[row] = this.#codeOf(2, cell.geo);
    coded.channel[row] = this.#codeOf(3, cell.channel);
    coded.platform[row] = this.#codeOf(4, cell.platform);
    coded.payer[row] = this.#codeOf(5, cell.payer);
    coded.licenseLevel[row] = this.#codeOf(6, cell.licenseLevel);
    coded.license[row] = this.#codeOf(7, cell.license);
    coded.modality[row] = this.#codeOf(8, cell.modality);
    coded.yearWindow[row] = this.#codeOf(9, cell.yearWindow);
    coded.nBand[row] = this.#codeOf(10, cell.nBand);
    coded.p25Band[row] = this.#codeOf(11, cell.p25Band);
    coded.p50Band[row] = this.#codeOf(12, cell.p50Band);
    coded.p75Band[row] = this.#codeOf(13, cell.p75Band);
    coded.verifiedNBand[row] = this.#codeOf(14, cell.verifiedNBand);
    const ints = this.#integers;
    ints.n[row] = cell.n ?? NULL_INT;
    ints.p10[row] = cell.p10 ?? NULL_INT;
    ints.p25[row] = cell.p25;
    ints.p50[row] = cell.p50;
    ints.p75[row] = cell.p75;
    ints.p90[row] = cell.p90 ?? NULL_INT;
    ints.p50ShareInBand[row] = Math.round(cell.p50ShareInBand * 100);
    ints.medicare[row] = cell.medicare === null ? NULL_INT : dollarsToCents(cell.medicare);
    ints.p50PctMedicare[row] = cell.p50PctMedicare ?? NULL_INT;
    ints.allowedP50[row] = cell.allowedP50 ?? NULL_INT;
    ints.takeP50[row] = cell.takeP50 ?? NULL_INT;
    ints.takeLow[row] = cell.takeLow ?? NULL_INT;
    ints.takeHigh[row] = cell.takeHigh ?? NULL_INT;
    ints.verified[row] = cell.verified ? 1 : 0;
    const range = this.#cptRanges[cell.cpt];
    if (range && range[1] !== row) throw new Error("cells must arrive grouped by CPT");
    if (range) range[1] = row + 1;
    else this.#cptRanges[cell.cpt] = [row, row + 1];
  }

  /** The dictionary code of a value of column CODED[slot], given a new one on first sight. */
  #codeOf(slot: number, value: string | null): number {
    if (value === this.#lastValue[slot]) return this.#lastCode[slot]!;
    const codes = this.#codesBySlot[slot]!;
    let code = codes.get(value);
    if (code === undefined) {
      code = codes.size;
      if (code > 0xffff) throw new RangeError(`too many distinct values in ${CODED[slot]}`);
      codes.set(value, code);
    }
    this.#lastValue[slot] = value;
    this.#lastCode[slot] = code;
    return code;
  }

  /** The written columns, to move to another thread and append there. */
  exportColumns(): WrittenColumns {
    const rows = this.#rows;
    return {
      rows,
      coded: Object.fromEntries(CODED.map((c) => [c, this.#coded[c].slice(0, rows)])) as Record<CodedColumn, Uint16Array>,
      integers: Object.fromEntries(INTEGER.map((c) => [c, this.#integers[c].slice(0, rows)])) as Record<IntegerColumn, Int32Array>,
      dictionaries: Object.fromEntries(CODED.map((c) => [c, [...this.#codes[c].keys()]])) as Header["dictionaries"],
      cptRanges: this.#cptRanges,
    };
  }

  /**
   * Appends columns written elsewhere (CPTs this writer has not seen, or more rows of its last
   * CPT), recoding their dictionaries, with their CPTs in the order given.
   */
  append(other: WrittenColumns, cptOrder: readonly string[]): void {
    while (this.#capacity < this.#rows + other.rows) this.#grow();
    const ranges = cptOrder.flatMap((cpt) => (other.cptRanges[cpt] ? [[cpt, other.cptRanges[cpt]] as const] : []));
    if (ranges.length !== Object.keys(other.cptRanges).length) throw new Error("appended columns have a CPT outside the order");
    for (const column of CODED) {
      // New values get codes in the order their rows arrive, as if this writer had added them,
      // so the file is byte-identical to a one-thread build.
      const codes = this.#codes[column];
      const values = other.dictionaries[column];
      const remap = new Int32Array(values.length).fill(-1);
      const target = this.#coded[column];
      const source = other.coded[column];
      let at = this.#rows;
      // Most often every value is known here already: no new code, a fixed remap, often the same codes.
      if (values.every((value, original) => (remap[original] = codes.get(value ?? null) ?? -1) >= 0)) {
        const same = remap.every((code, original) => code === original);
        for (const [, [from, to]] of ranges) {
          if (same) target.set(source.subarray(from, to), at);
          else for (let row = from; row < to; row++) target[at + row - from] = remap[source[row]!]!;
          at += to - from;
        }
        continue;
      }
      remap.fill(-1);
      for (const [, [from, to]] of ranges) {
        for (let row = from; row < to; row++) {
          const original = source[row]!;
          let code = remap[original]!;
          if (code < 0) {
            const value = values[original] ?? null;
            code = codes.get(value) ?? codes.size;
            if (code === codes.size) codes.set(value, code);
            remap[original] = code;
          }
          target[at++] = code;
        }
      }
    }
    let at = this.#rows;
    for (const [cpt, [from, to]] of ranges) {
      const continued = this.#cptRanges[cpt];
      // Only the first CPT appended may continue this writer's last one (a CPT split in jobs).
      if (continued && !(at === this.#rows && continued[1] === at)) throw new Error(`CPT ${cpt} written twice`);
      for (const column of INTEGER) this.#integers[column].set(other.integers[column].subarray(from, to), at);
      if (continued) continued[1] = at + (to - from);
      else this.#cptRanges[cpt] = [at, at + (to - from)];
      at += to - from;
    }
    this.#rows = at;
  }

  #grow(): void {
    this.#capacity *= 4; // fewer copies of columns that reach a million rows
    for (const column of CODED) {
      const next = new Uint16Array(this.#capacity);
      next.set(this.#coded[column]);
      this.#coded[column] = next;
    }
    for (const column of INTEGER) {
      const next = new Int32Array(this.#capacity);
      next.set(this.#integers[column]);
      this.#integers[column] = next;
    }
  }

  /** The file as a list of byte ranges, to write without first copying them into one buffer. */
  toParts(shares: PublishedShareRow[], payerRates: PublishedPayerRate[] = []): Uint8Array[] {
    const rows = this.#rows;
    const parts: Uint8Array[] = [];
    const columns: Header["columns"] = [];
    let offset = 0;
    for (const column of CODED) {
      const bytes = new Uint8Array(this.#coded[column].buffer, 0, rows * 2);
      columns.push({ name: column, type: "u16", offset });
      parts.push(bytes);
      offset += bytes.byteLength;
      const pad = (4 - (offset % 4)) % 4;
      if (pad) { parts.push(new Uint8Array(pad)); offset += pad; }
    }
    for (const column of INTEGER) {
      const bytes = new Uint8Array(this.#integers[column].buffer, 0, rows * 4);
      columns.push({ name: column, type: "i32", offset });
      parts.push(bytes);
      offset += bytes.byteLength;
    }
    const header: Header = {
      rows,
      dictionaries: Object.fromEntries(CODED.map((c) => [c, [...this.#codes[c].keys()]])) as Header["dictionaries"],
      columns,
      cptRanges: this.#cptRanges,
      shares,
      payerRates,
    };
    let headerBytes = Buffer.from(JSON.stringify(header), "utf8");
    const headerPad = (8 - ((MAGIC.length + 4 + headerBytes.length) % 8)) % 8;
    headerBytes = Buffer.concat([headerBytes, Buffer.alloc(headerPad, 0x20)]);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(headerBytes.length);
    return [Buffer.from(MAGIC, "ascii"), length, headerBytes, ...parts];
  }

  toBuffer(shares: PublishedShareRow[]): Buffer {
    return Buffer.concat(this.toParts(shares));
  }
}

export type SnapshotFile = {
  rows: number;
  dictionaries: Header["dictionaries"];
  coded: Record<CodedColumn, Uint16Array>;
  integers: Record<IntegerColumn, Int32Array>;
  cptRanges: Header["cptRanges"];
  shares: PublishedShareRow[];
  payerRates: PublishedPayerRate[];
};

export function readSnapshotFile(buffer: Buffer): SnapshotFile {
  const magic = buffer.toString("ascii", 0, MAGIC.length);
  if (magic !== MAGIC && magic !== MAGIC_01) throw new Error("not a Ratecard snapshot file");
  const headerLength = buffer.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  const header = JSON.parse(buffer.toString("utf8", headerStart, headerStart + headerLength)) as Header;
  const dataStart = buffer.byteOffset + headerStart + headerLength;
  // Copy into an aligned buffer when the file's bytes do not start on a 4-byte boundary.
  const source = dataStart % 4 === 0 ? buffer.buffer : new Uint8Array(buffer.subarray(headerStart + headerLength)).buffer;
  const base = dataStart % 4 === 0 ? dataStart : 0;
  const coded = {} as Record<CodedColumn, Uint16Array>;
  const integers = {} as Record<IntegerColumn, Int32Array>;
  for (const column of header.columns) {
    if (column.type === "u16") coded[column.name as CodedColumn] = new Uint16Array(source, base + column.offset, header.rows);
    else integers[column.name as IntegerColumn] = new Int32Array(source, base + column.offset, header.rows);
  }
  if (magic === MAGIC_01) {
    integers.verified = new Int32Array(header.rows);
    coded.verifiedNBand = new Uint16Array(header.rows);
    header.dictionaries.verifiedNBand = [null];
  }
  return { rows: header.rows, dictionaries: header.dictionaries, coded, integers, cptRanges: header.cptRanges, shares: header.shares, payerRates: header.payerRates ?? [] };
}

const nullable = (value: number) => (value === NULL_INT ? null : value);

/** One stored row as the published cell it is. */
export function cellAt(file: SnapshotFile, row: number): CellValues {
  const d = file.dictionaries;
  const c = file.coded;
  const i = file.integers;
  const text = (column: CodedColumn) => d[column][c[column][row]!] as string;
  const textOrNull = (column: CodedColumn) => d[column][c[column][row]!] ?? null;
  const medicare = nullable(i.medicare[row]!);
  return {
    cpt: text("cpt"),
    geoLevel: text("geoLevel") as CellValues["geoLevel"],
    geo: text("geo"),
    channel: textOrNull("channel"),
    platform: textOrNull("platform"),
    payer: textOrNull("payer"),
    licenseLevel: text("licenseLevel") as CellValues["licenseLevel"],
    license: textOrNull("license"),
    modality: text("modality"),
    yearWindow: text("yearWindow"),
    n: nullable(i.n[row]!),
    nBand: text("nBand"),
    p10: nullable(i.p10[row]!),
    p25: i.p25[row]!,
    p50: i.p50[row]!,
    p75: i.p75[row]!,
    p90: nullable(i.p90[row]!),
    p25Band: text("p25Band"),
    p50Band: text("p50Band"),
    p75Band: text("p75Band"),
    p50ShareInBand: i.p50ShareInBand[row]! / 100,
    medicare: medicare === null ? null : medicare / 100,
    p50PctMedicare: nullable(i.p50PctMedicare[row]!),
    allowedP50: nullable(i.allowedP50[row]!),
    takeP50: nullable(i.takeP50[row]!),
    takeLow: nullable(i.takeLow[row]!),
    takeHigh: nullable(i.takeHigh[row]!),
    verified: i.verified[row] === 1,
    verifiedNBand: textOrNull("verifiedNBand"),
  };
}

/** Coded column values, and `verified` (absent: both kinds of row). */
export type CodedFilter = Partial<Record<CodedColumn, string | null>> & { verified?: boolean };

/**
 * Rows matching every given column value, in stored order; a value absent from a column's
 * dictionary matches nothing.
 */
export function* matchingRows(file: SnapshotFile, filter: CodedFilter): Generator<number> {
  const checks: [Uint16Array, number][] = [];
  const { verified, ...coded } = filter;
  for (const [column, value] of Object.entries(coded) as [CodedColumn, string | null | undefined][]) {
    if (value === undefined) continue;
    const code = file.dictionaries[column].indexOf(value);
    if (code < 0) return;
    checks.push([file.coded[column], code]);
  }
  let [from, to] = [0, file.rows];
  if (filter.cpt !== undefined) {
    const range = filter.cpt === null ? undefined : file.cptRanges[filter.cpt];
    if (!range) return;
    [from, to] = range;
  }
  const verifiedColumn = file.integers.verified;
  const wantVerified = verified === undefined ? -1 : verified ? 1 : 0;
  rows: for (let row = from; row < to; row++) {
    if (wantVerified >= 0 && verifiedColumn[row] !== wantVerified) continue;
    for (const [column, code] of checks) if (column[row] !== code) continue rows;
    yield row;
  }
}

export type FileDiff = { added: number; removed: number; changed: number; unchanged: number };

function* cellsOf(file: SnapshotFile | null): Generator<CellValues> {
  if (file) for (let row = 0; row < file.rows; row++) yield cellAt(file, row);
}

/** How the cells of `after` differ from those of `before`, by cell key (the one diff, cell-diff.ts). */
export function diffSnapshotFiles(before: SnapshotFile | null, after: SnapshotFile, keyOf: (cell: CellValues) => string): FileDiff {
  const { added, removed, changed, unchanged } = diffCells(cellsOf(before), cellsOf(after), keyOf, (cell) => JSON.stringify(cell));
  return { added, removed, changed, unchanged };
}
