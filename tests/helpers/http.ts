// The one raw-HTTP helper of the tests and benchmarks: a request with exactly the bytes given
// (any method, path and headers), answered as status, headers, body and text.
import { request as httpRequest, type Agent, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";

export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer; text: string };

export type RawRequest = {
  method: string;
  /** Sent as is on the request line (not normalised by URL), so traversal and bad encodings reach the server. */
  path: string;
  headers?: OutgoingHttpHeaders | undefined;
  body?: string | Buffer | undefined;
  /** Default: a fresh connection per request (a kept-alive socket may be closed by the server's
   *  keep-alive timeout just as it is reused: "socket hang up"). */
  agent?: Agent | false | undefined;
  timeoutMs?: number | undefined;
  /** Send the body in 1 KB chunks with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean | undefined;
};

/** One request with exactly the bytes given (node:http adds only Host and Connection, and Content-Length when a body is sent). */
export function rawRequest(base: string, options: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  const headers: OutgoingHttpHeaders = { ...options.headers };
  if (options.body !== undefined && !options.chunked) headers["content-length"] = Buffer.byteLength(options.body);
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
      req = httpRequest({ host: hostname, port, method: options.method, path: options.path, headers, agent: options.agent ?? false, timeout: options.timeoutMs ?? 30_000 }, onResponse);
    } catch (error) {
      reject(error);
      return;
    }
    req.on("timeout", () => req.destroy(new Error(`timed out: ${options.method} ${options.path.slice(0, 120)}`)));
    // The server may answer (413) and close before the whole body is written.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    if (options.chunked && options.body !== undefined) {
      const body = Buffer.from(options.body);
      for (let offset = 0; offset < body.length; offset += 1024) req.write(body.subarray(offset, offset + 1024));
      req.end();
    } else {
      req.end(options.body);
    }
  });
}
