// Shared by the hardening tests and the submit benchmark: a valid submission, raw HTTP requests
// with exact bytes, and a bounded-concurrency runner.
import { Agent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";

/** The submission example of DESIGN.md "Contract details" (plausible, so it is accepted). */
export function validReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    state: "OR", license: "lpc", years_licensed: "5-9",
    channel: "platform", platform: "alma", employment: "1099",
    rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 95, allowed: 151.74 }],
    platform_experience: {
      told_of_fee_split: false, rate_cut_12m: true, can_export_records: false,
      monthly_fee: 125, percent_fee: null, non_compete: false,
      caseload_pressure: 3, equity_offered: false,
    },
    ...overrides,
  };
}

export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; text: string };

export type RawRequest = {
  method: string;
  /** Sent as is on the request line (not normalised by URL), so traversal and bad encodings reach the server. */
  path: string;
  headers?: OutgoingHttpHeaders | undefined;
  body?: string | Buffer | undefined;
  agent?: Agent | undefined;
  timeoutMs?: number | undefined;
};

/** One request with exactly the bytes given (node:http adds only Host and Connection, and Content-Length when a body is sent). */
export function rawRequest(base: string, options: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  const headers: OutgoingHttpHeaders = { ...options.headers };
  if (options.body !== undefined) headers["content-length"] = Buffer.byteLength(options.body);
  return new Promise((resolveResponse, reject) => {
    let answered = false;
    const onResponse = (res: IncomingMessage) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolveResponse({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
      });
      res.on("error", reject);
    };
    let req: ReturnType<typeof httpRequest>;
    try {
      // Throws at once for a method, path or header value that node:http will not send.
      req = httpRequest({ host: hostname, port, method: options.method, path: options.path, headers, agent: options.agent, timeout: options.timeoutMs ?? 30_000 }, onResponse);
    } catch (error) {
      reject(error);
      return;
    }
    req.on("timeout", () => req.destroy(new Error(`timed out: ${options.method} ${options.path.slice(0, 120)}`)));
    // The server may answer (413) and close before the whole body is written.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.end(options.body);
  });
}

/** Runs task(0..count-1) with at most `limit` in flight; resolves when all have settled. */
export async function runBounded(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/** The q-quantile (0..1) of sorted numbers, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
