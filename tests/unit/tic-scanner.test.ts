import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { JsonScanner, TicFormatError } from "../../src/lib/write/tic/scanner.ts";

function chunked(text: string, cuts: number[]): AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  return (async function* () {
    let at = 0;
    for (const point of [...points, bytes.length]) {
      if (point > at) yield bytes.subarray(at, point);
      at = Math.max(at, point);
    }
  })();
}

async function readObject(text: string, cuts: number[], decodeKeys: (key: string) => boolean): Promise<Record<string, unknown>> {
  const scanner = new JsonScanner(chunked(text, cuts));
  const cursor = await scanner.openObject("the document");
  const out: Record<string, unknown> = {};
  for (let key = await scanner.nextKey(cursor); key !== null; key = await scanner.nextKey(cursor)) {
    if (decodeKeys(key)) out[key] = await scanner.decode(1 << 20);
    else await scanner.skip();
  }
  expect(await scanner.atEnd()).toBe(true);
  return out;
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });

describe("the byte scanner", () => {
  it("decodes kept values exactly as JSON.parse does, wherever the chunks are cut", async () => {
    await fc.assert(fc.asyncProperty(
      fc.dictionary(fc.string({ unit: "binary", maxLength: 8 }), jsonValue, { maxKeys: 6 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.boolean(),
      async (object, cuts, pretty) => {
        const text = JSON.stringify(object, null, pretty ? 2 : undefined);
        const parsed = JSON.parse(text) as Record<string, unknown>;
        const keep = (key: string) => key.length % 2 === 0;
        const expected = Object.fromEntries(Object.entries(parsed).filter(([key]) => keep(key)));
        expect(await readObject(text, cuts, keep)).toEqual(expected);
      },
    ), { numRuns: 300 });
  });

  it("skips strings with escaped quotes and backslashes split across chunks", async () => {
    const text = String.raw`{"a":"x\\\"y\\","b":[1,{"c":"]}\""}],"d":2}`;
    for (let cut = 0; cut <= text.length; cut++) {
      expect(await readObject(text, [cut, cut + 1], (key) => key === "d")).toEqual({ d: 2 });
    }
  });

  it("reports the byte offset of a bracket that does not match", async () => {
    const text = `{"a":[1,2}`;
    await expect(readObject(text, [], () => false)).rejects.toMatchObject({ byte: 9, message: expect.stringMatching(/unexpected "}"/) });
  });

  it("reports a file that ends inside a string", async () => {
    await expect(readObject(`{"a":"never closed`, [3], () => false)).rejects.toBeInstanceOf(TicFormatError);
    await expect(readObject(`{"a":"never closed`, [3], () => false)).rejects.toThrow(/ends early inside a string/);
  });

  it("refuses a decoded value longer than its limit, without holding it", async () => {
    const scanner = new JsonScanner(chunked(`{"a":"${"x".repeat(5000)}"}`, [100, 2000]));
    const cursor = await scanner.openObject("the document");
    await scanner.nextKey(cursor);
    await expect(scanner.decode(1000)).rejects.toThrow(/longer than 1,000 bytes/);
  });

  it("reports a missing comma between members", async () => {
    await expect(readObject(`{"a":1 "b":2}`, [], () => true)).rejects.toThrow(/expected "," or "}"/);
  });
});
