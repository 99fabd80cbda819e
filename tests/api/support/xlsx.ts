// Reads an .xlsx back without exceljs: a minimal ZIP reader (central directory, stored or
// deflated entries) and the few SpreadsheetML elements the tests look at.
import { inflateRawSync } from "node:zlib";

/** Every entry of a ZIP archive, by name. */
export function unzip(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error("no end of central directory: not a ZIP file");
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressed);
    if (method !== 0 && method !== 8) throw new Error(`${name}: compression method ${method}`);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

export type SheetCell = { ref: string; type: "number" | "text" | "shared" | "boolean"; value: string };

const unescapeXml = (text: string) =>
  text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** The rows of a worksheet's XML, each its cells in order (empty cells are absent). */
export function sheetRows(xml: string): SheetCell[][] {
  return [...xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>|<row\b[^>]*\/>/g)].map((row) =>
    [...(row[1] ?? "").matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((cell) => {
      const attributes = cell[1]!;
      const ref = /\br="([A-Z]+\d+)"/.exec(attributes)?.[1] ?? "";
      const t = /\bt="(\w+)"/.exec(attributes)?.[1];
      const inner = cell[2] ?? "";
      if (t === "inlineStr" || t === "str") return { ref, type: "text" as const, value: unescapeXml(/<t[^>]*>([\s\S]*?)<\/t>/.exec(inner)?.[1] ?? /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1] ?? "") };
      if (t === "b") return { ref, type: "boolean" as const, value: /<v>1<\/v>/.test(inner) ? "true" : "false" };
      if (t === "s") return { ref, type: "shared" as const, value: /<v>(\d+)<\/v>/.exec(inner)?.[1] ?? "" };
      return { ref, type: "number" as const, value: /<v>([^<]*)<\/v>/.exec(inner)?.[1] ?? "" };
    }).filter((cell) => cell.value !== "" || cell.type === "text"),
  );
}

/** Column letters of a cell reference as a 0-based index (A → 0, AB → 27). */
export function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)![0];
  return [...letters].reduce((n, letter) => n * 26 + letter.charCodeAt(0) - 64, 0) - 1;
}
