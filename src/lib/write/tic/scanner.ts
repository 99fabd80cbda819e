// A byte-level JSON scanner over a stream of chunks: it decodes only the values asked for and skips
// the rest by counting brackets outside strings, so a multi-GB file is read in flat memory.
// Skipped values are checked for balanced brackets and terminated strings, not for full JSON grammar.

/** A problem at a byte offset of the uncompressed JSON. */
export class TicFormatError extends Error {
  readonly byte: number;
  constructor(byte: number, problem: string) {
    super(problem);
    this.name = "TicFormatError";
    this.byte = byte;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Values decoded whole (keys, scalars) may not exceed this; a longer one is a broken file, not data. */
export const SCALAR_LIMIT = 1 << 20;

/** Bytes that end a run inside a string (quote, backslash) and outside one (quote, brackets). */
const IN_STRING = new Uint8Array(256);
IN_STRING[QUOTE] = 1;
IN_STRING[BACKSLASH] = 1;
const OUTSIDE_STRING = new Uint8Array(256);
for (const c of [QUOTE, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY]) OUTSIDE_STRING[c] = 1;

const decoder = new TextDecoder("utf-8", { fatal: false });

function describeByte(c: number): string {
  if (c === -1) return "the end of the file";
  return c >= 0x20 && c < 0x7f ? `"${String.fromCharCode(c)}"` : `byte 0x${c.toString(16).padStart(2, "0")}`;
}

/** Where an object or array being iterated stands: before its first member or after one. */
export type Cursor = { first: boolean };

export class JsonScanner {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private base = 0;
  private ended = false;
  private readonly chunks: AsyncIterator<Uint8Array>;

  constructor(chunks: AsyncIterable<Uint8Array>) {
    this.chunks = chunks[Symbol.asyncIterator]();
  }

  /** Bytes of JSON consumed so far. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(problem: string, at: number = this.offset): never {
    throw new TicFormatError(at, problem);
  }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      this.base += this.buf.length;
      this.buf = new Uint8Array(0);
      this.pos = 0;
      return false;
    }
    this.base += this.buf.length;
    this.buf = next.value;
    this.pos = 0;
    return true;
  }

  /** The next byte that is not white space, without consuming it; -1 at the end of the file. */
  async peek(): Promise<number> {
    for (;;) {
      const b = this.buf;
      const n = b.length;
      let p = this.pos;
      while (p < n) {
        const c = b[p]!;
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          this.pos = p;
          return c;
        }
        p++;
      }
      this.pos = p;
      if (!(await this.more())) return -1;
    }
  }

  async expect(c: number, what: string): Promise<void> {
    const got = await this.peek();
    if (got !== c) this.fail(got === -1 ? `the file ends early, expected ${what}` : `expected ${what}, found ${describeByte(got)}`);
    this.pos++;
  }

  /** Consumes `{`; then call nextKey until it returns null. */
  async openObject(what: string): Promise<Cursor> {
    await this.expect(OPEN_OBJECT, `${what} (an object)`);
    return { first: true };
  }

  /** Consumes `[`; then call nextItem until it returns false. */
  async openArray(what: string): Promise<Cursor> {
    await this.expect(OPEN_ARRAY, `${what} (an array)`);
    return { first: true };
  }

  /** The next key of an object (its `:` consumed), or null after its closing `}`. */
  async nextKey(cursor: Cursor): Promise<string | null> {
    let c = await this.peek();
    if (c === CLOSE_OBJECT) {
      this.pos++;
      return null;
    }
    if (!cursor.first) {
      if (c !== COMMA) this.fail(c === -1 ? "the file ends early inside an object" : `expected "," or "}", found ${describeByte(c)}`);
      this.pos++;
      c = await this.peek();
    }
    cursor.first = false;
    if (c !== QUOTE) this.fail(c === -1 ? "the file ends early inside an object" : `expected a key, found ${describeByte(c)}`);
    const key = await this.value(true, SCALAR_LIMIT);
    await this.expect(COLON, '":"');
    return key as string;
  }

  /** True when another item of an array follows (positioned at it), false after its closing `]`. */
  async nextItem(cursor: Cursor): Promise<boolean> {
    let c = await this.peek();
    if (c === CLOSE_ARRAY) {
      this.pos++;
      return false;
    }
    if (!cursor.first) {
      if (c !== COMMA) this.fail(c === -1 ? "the file ends early inside an array" : `expected "," or "]", found ${describeByte(c)}`);
      this.pos++;
      c = await this.peek();
    }
    cursor.first = false;
    if (c === -1) this.fail("the file ends early inside an array");
    return true;
  }

  /** Skips one value without decoding it. */
  async skip(): Promise<void> {
    await this.value(false, 0);
  }

  /** Decodes one value; a value longer than `limit` bytes is an error. */
  async decode(limit: number = SCALAR_LIMIT): Promise<unknown> {
    return this.value(true, limit);
  }

  /** True when only white space is left. */
  async atEnd(): Promise<boolean> {
    return (await this.peek()) === -1;
  }

  private async value(keep: boolean, limit: number): Promise<unknown> {
    const first = await this.peek();
    if (first === -1) this.fail("the file ends early, expected a value");
    const startOffset = this.offset;
    if (first !== QUOTE && first !== OPEN_OBJECT && first !== OPEN_ARRAY) return this.scalar(first, startOffset);
    const parts: Uint8Array[] = [];
    let size = 0;
    const stack: number[] = [];
    let depth = 0;
    let inString = false;
    /** Bytes still to pass at the start of the next chunk: an escape split across chunks. */
    let carry = 0;
    for (;;) {
      const b = this.buf;
      const n = b.length;
      const from = this.pos;
      let p = from + carry;
      carry = 0;
      let done = false;
      while (p < n) {
        if (inString) {
          while (p < n && IN_STRING[b[p]!] === 0) p++;
          if (p >= n) break;
          if (b[p] === BACKSLASH) {
            p += 2;
            continue;
          }
          p++;
          inString = false;
          if (depth === 0) {
            done = true;
            break;
          }
          continue;
        }
        while (p < n && OUTSIDE_STRING[b[p]!] === 0) p++;
        if (p >= n) break;
        const ch = b[p++]!;
        if (ch === QUOTE) inString = true;
        else if (ch === OPEN_OBJECT || ch === OPEN_ARRAY) stack[depth++] = ch;
        else {
          const open = ch === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY;
          if (depth === 0 || stack[depth - 1] !== open) this.fail(`unexpected ${describeByte(ch)}`, this.base + p - 1);
          if (--depth === 0) {
            done = true;
            break;
          }
        }
      }
      if (p > n) {
        carry = p - n;
        p = n;
      }
      this.pos = p;
      if (keep) {
        size += p - from;
        if (size > limit) this.fail(`a value longer than ${limit.toLocaleString("en-US")} bytes`, startOffset);
        parts.push(b.subarray(from, p));
      }
      if (done) break;
      if (!(await this.more())) {
        this.fail(inString ? "the file ends early inside a string" : "the file ends early inside a value");
      }
    }
    if (!keep) return undefined;
    const text = parts.length === 1 ? decoder.decode(parts[0]) : decoder.decode(concat(parts, size));
    try {
      return JSON.parse(text);
    } catch (error) {
      return this.fail(`not valid JSON (${(error as Error).message})`, startOffset);
    }
  }

  /** A number, true, false or null: read to the next delimiter and decoded. */
  private async scalar(first: number, startOffset: number): Promise<unknown> {
    let text = "";
    for (;;) {
      const b = this.buf;
      const n = b.length;
      const from = this.pos;
      let p = from;
      while (p < n) {
        const c = b[p]!;
        if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
        p++;
      }
      text += decoder.decode(b.subarray(from, p));
      this.pos = p;
      if (text.length > 64) this.fail("a number or literal longer than 64 characters", startOffset);
      if (p < n || !(await this.more())) break;
    }
    try {
      return JSON.parse(text);
    } catch {
      return this.fail(`expected a value, found ${describeByte(first)}`, startOffset);
    }
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
