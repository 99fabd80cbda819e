// One TiC source read to its end: opened, hashed, parsed. Runs in a worker thread for the importer,
// in-process for discovery and tests.
import { gunzipSync } from "node:zlib";
import { normalizeAlias } from "./alias.ts";
import { parseTicFile, type ParseOptions, type ParsedTicFile } from "./parse.ts";
import { TicFormatError } from "./scanner.ts";
import { hashFile, isUrl, openSource, type OpenedSource } from "./source.ts";

const REMOTE_REFERENCE_LIMIT = 64 << 20;

export type ReadRequest = {
  source: string;
  cpts: string[];
  /** Normalized TINs and type-2 NPIs mapped to a platform. */
  tins: string[];
  /** SHA-256 of files already imported: a local file among them is not read. */
  knownHashes: string[];
  /** The payer named on the command line; otherwise `aliases` must know the reporting entity. */
  payer: string | null;
  aliases: Record<string, string>;
};

export type ReadResult =
  | { status: "parsed"; sha256: string; payer: string; parsed: ParsedTicFile; bytes: number }
  | { status: "known"; sha256: string }
  | { status: "failed"; byte: number; problem: string };

/** Fetches a schema 1.x provider reference file (JSON or gzip), at most 64 MB. */
export async function fetchProviderReference(url: string, base: string): Promise<unknown> {
  const resolved = new URL(url, isUrl(base) ? base : undefined);
  if (resolved.protocol !== "http:" && resolved.protocol !== "https:") throw new Error("not an http(s) URL");
  const response = await fetch(resolved);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > REMOTE_REFERENCE_LIMIT) throw new Error("larger than 64 MB");
  const json = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes, { maxOutputLength: REMOTE_REFERENCE_LIMIT }) : bytes;
  return JSON.parse(new TextDecoder().decode(json));
}

export class UnknownPayerError extends TicFormatError {}

export async function readTicSource(
  request: ReadRequest,
  matchGroup: ParseOptions["matchGroup"],
  onOpen: (opened: OpenedSource) => void = () => {},
): Promise<ReadResult> {
  try {
    let localSha256: string | undefined;
    if (!isUrl(request.source)) {
      localSha256 = await hashFile(request.source).catch((error: NodeJS.ErrnoException) => {
        throw new TicFormatError(0, `cannot be read (${error.code ?? error.message})`);
      });
      if (request.knownHashes.includes(localSha256)) return { status: "known", sha256: localSha256 };
    }
    const opened = await openSource(request.source, localSha256);
    onOpen(opened);
    let payer = request.payer;
    const parsed = await parseTicFile(opened.chunks, {
      cpts: new Set(request.cpts),
      matchGroup,
      fetchProviderReference: (url) => fetchProviderReference(url, request.source),
      onReportingEntity: (name) => {
        payer ??= request.aliases[normalizeAlias(name)] ?? null;
        if (payer === null) {
          throw new UnknownPayerError(0, `unknown reporting entity "${name}": pass --payer SLUG, or add the name to db/seed/payer-tic-aliases.json`);
        }
      },
    });
    return { status: "parsed", sha256: opened.sha256(), payer: payer!, parsed, bytes: opened.progress.decoded };
  } catch (error) {
    if (error instanceof TicFormatError) return { status: "failed", byte: error.byte, problem: error.message };
    return { status: "failed", byte: 0, problem: (error as Error).message };
  }
}
