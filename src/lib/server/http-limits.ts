// Limits of the outer HTTP server (scripts/start.ts) that hold before Astro runs: request body
// size, and how long a slow client may take, so that one client cannot hold the server.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { API_CSP, COMMON_SECURITY_HEADERS } from "./security-headers.ts";

/** The largest request body on any route; the biggest form (a report with many rates) is a few KiB. */
export const MAX_BODY_BYTES = 64 * 1024;
/** How much of a too-large body is read and thrown away, so that the client gets to read the 413. */
export const DRAIN_BODY_BYTES = 1024 * 1024;

export const SERVER_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  // Node checks the two timeouts above only this often (30 s by default).
  connectionsCheckingInterval: 1_000,
  keepAliveTimeout: 5_000,
  maxConnections: 512,
} as const;

/** Applies the timeouts and the connection bound to a server that was created with them too. */
export function limitServer(server: Server): Server {
  server.headersTimeout = SERVER_TIMEOUTS.headersTimeout;
  server.requestTimeout = SERVER_TIMEOUTS.requestTimeout;
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeout;
  server.maxConnections = SERVER_TIMEOUTS.maxConnections;
  return server;
}

/** Options for createServer: connectionsCheckingInterval can only be set there. */
export const SERVER_OPTIONS = {
  headersTimeout: SERVER_TIMEOUTS.headersTimeout,
  requestTimeout: SERVER_TIMEOUTS.requestTimeout,
  connectionsCheckingInterval: SERVER_TIMEOUTS.connectionsCheckingInterval,
  keepAliveTimeout: SERVER_TIMEOUTS.keepAliveTimeout,
} as const;

function tooLarge(res: ServerResponse): void {
  if (res.headersSent) return;
  const body = JSON.stringify({
    ok: false,
    status: 413,
    error: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`,
    errors: [{ path: "body", message: `At most ${MAX_BODY_BYTES} bytes` }],
  });
  res.writeHead(413, {
    ...COMMON_SECURITY_HEADERS,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Security-Policy": API_CSP,
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Access-Control-Allow-Origin": "*",
    Connection: "close",
  });
  res.end(body);
}

/** Reads and discards up to DRAIN_BODY_BYTES, then answers 413 and closes the connection. */
function drainThenRefuse(req: IncomingMessage, res: ServerResponse, alreadyRead: number): void {
  let read = alreadyRead;
  const refuse = () => {
    tooLarge(res);
    res.once("finish", () => req.socket.destroy());
  };
  if (read > DRAIN_BODY_BYTES) return refuse();
  req.on("data", (chunk: Buffer) => {
    read += chunk.length;
    if (read > DRAIN_BODY_BYTES) {
      req.removeAllListeners("data");
      req.pause();
      refuse();
    }
  });
  req.once("end", refuse);
  req.once("error", () => req.socket.destroy());
}

/**
 * Passes the request on when its body fits, else answers 413 itself. A declared Content-Length
 * is judged at once (Node refuses a body longer than it declares); a chunked body is read here,
 * counting, and handed on whole as `req.body`, which Astro's adapter reads instead of the stream.
 */
export function withBodyLimit(
  req: IncomingMessage,
  res: ServerResponse,
  next: (req: IncomingMessage, res: ServerResponse) => void,
): void {
  const declared = req.headers["content-length"];
  if (declared !== undefined) {
    const length = Number(declared);
    if (Number.isFinite(length) && length > MAX_BODY_BYTES) {
      if (length > DRAIN_BODY_BYTES) {
        tooLarge(res);
        res.once("finish", () => req.socket.destroy());
        return;
      }
      drainThenRefuse(req, res, 0);
      return;
    }
    next(req, res);
    return;
  }
  if (req.headers["transfer-encoding"] === undefined) {
    next(req, res);
    return;
  }
  const chunks: Buffer[] = [];
  let read = 0;
  const onData = (chunk: Buffer) => {
    read += chunk.length;
    if (read > MAX_BODY_BYTES) {
      req.off("data", onData);
      req.off("end", onEnd);
      chunks.length = 0;
      drainThenRefuse(req, res, read);
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    (req as IncomingMessage & { body?: Buffer }).body = Buffer.concat(chunks);
    next(req, res);
  };
  req.on("data", onData);
  req.once("end", onEnd);
}
