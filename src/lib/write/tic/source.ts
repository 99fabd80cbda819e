// Opens a TiC file given as a local path or an http(s) URL: a stream of its decompressed JSON
// chunks (gzip detected by its magic bytes), with the SHA-256 and byte count of what was read.
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { TicFormatError } from "./scanner.ts";

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** What tic_files.source_file records: a URL without its query string, or a file's base name (never a local path). */
export function sourceName(source: string): string {
  if (isUrl(source)) {
    const url = new URL(source);
    return `${url.origin}${url.pathname}`;
  }
  return basename(source);
}

export type OpenedSource = {
  /** Decompressed JSON. */
  chunks: AsyncIterable<Uint8Array>;
  /** Bytes of the file (compressed) read so far, and in all when known. */
  progress: { read: number; total: number | null; decoded: number };
  /** Resolves once the whole file has been read. */
  sha256: () => string;
};

const READ_CHUNK = 256 << 10;

async function rawStream(source: string): Promise<{ stream: AsyncIterable<Uint8Array>; total: number | null }> {
  if (isUrl(source)) {
    const response = await fetch(source, { redirect: "follow" });
    if (!response.ok || !response.body) throw new TicFormatError(0, `HTTP ${response.status} ${response.statusText}`.trim());
    const length = Number(response.headers.get("content-length"));
    return { stream: Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>), total: Number.isFinite(length) && length > 0 ? length : null };
  }
  let total: number;
  try {
    total = statSync(source).size;
  } catch (error) {
    throw new TicFormatError(0, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { stream: createReadStream(source, { highWaterMark: READ_CHUNK }), total };
}

/** The SHA-256 of a local file, read once before importing so an imported file is skipped at once. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  // One buffer reused: hashing a multi-GB file allocates nothing per chunk.
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  const handle = await open(path, "r");
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

/** `knownSha256`: a local file hashed beforehand (hashFile) is not hashed a second time while read. */
export async function openSource(source: string, knownSha256?: string): Promise<OpenedSource> {
  const { stream, total } = await rawStream(source);
  const hash = knownSha256 === undefined ? createHash("sha256") : null;
  const progress = { read: 0, total, decoded: 0 };
  let finished = false;

  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of stream) {
      hash?.update(chunk);
      progress.read += chunk.length;
      yield chunk;
    }
    finished = true;
  }

  async function* decoded(): AsyncGenerator<Uint8Array> {
    const raw = counted();
    const first = await raw.next();
    if (first.done) return;
    const head = first.value;
    const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    if (!gzip) {
      progress.decoded += head.length;
      yield head;
      for await (const chunk of raw) {
        progress.decoded += chunk.length;
        yield chunk;
      }
      return;
    }
    // Inflating runs ahead of the scanner (zlib works on the thread pool while JavaScript scans).
    const gunzip = createGunzip({ chunkSize: 256 << 10 });
    async function* again(): AsyncGenerator<Uint8Array> {
      yield head;
      yield* raw;
    }
    const input = Readable.from(again());
    input.on("error", (error) => gunzip.destroy(error));
    input.pipe(gunzip);
    try {
      for await (const chunk of gunzip) {
        progress.decoded += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    } catch (error) {
      if (error instanceof TicFormatError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const problem = code === "Z_BUF_ERROR" ? "truncated gzip (the file ends early)" : `not valid gzip (${(error as Error).message})`;
      throw new TicFormatError(progress.decoded, problem);
    } finally {
      input.destroy();
      gunzip.destroy();
    }
  }

  return {
    chunks: decoded(),
    progress,
    sha256: () => {
      if (!finished) throw new Error("the file has not been read to its end");
      return hash === null ? knownSha256! : hash.digest("hex");
    },
  };
}
