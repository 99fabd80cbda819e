// Limits of the outer HTTP server (scripts/start.ts) that hold before Astro runs: request body
// size, and how long a slow client may take, so that one client cannot hold the server.
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
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

/**
 * Applies the timeouts and the connection bound to a server that was created with them too, and
 * makes the answers Node gives by itself (a request it cannot parse, headers too large, a slow
 * client, an Expect it does not know) take the one error shape.
 */
export function limitServer(server: Server): Server {
  server.headersTimeout = SERVER_TIMEOUTS.headersTimeout;
  server.requestTimeout = SERVER_TIMEOUTS.requestTimeout;
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeout;
  server.maxConnections = SERVER_TIMEOUTS.maxConnections;
  server.on("clientError", answerClientError);
  server.on("checkExpectation", (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(417, ERROR_HEADERS);
    res.end(errorBody(417, "Only Expect: 100-continue is supported", "expect"));
  });
  return server;
}

const ERROR_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON_SECURITY_HEADERS,
  "Content-Type": "application/json; charset=utf-8",
  "Content-Security-Policy": API_CSP,
  "X-Frame-Options": "DENY",
  "Cache-Control": "no-store",
  "Access-Control-Allow-Origin": "*",
};

function errorBody(status: number, error: string, path: string): string {
  return JSON.stringify({ ok: false, status, error, errors: [{ path, message: error }] });
}

const CLIENT_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  HPE_HEADER_OVERFLOW: [431, "The request's headers are too large", "headers"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "The request took too long to arrive", "request"],
  ERR_HTTP_HEADERS_TIMEOUT: [408, "The request's headers took too long to arrive", "headers"],
};

/** A request Node could not parse: answered in the error shape on the raw socket, then closed. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, message, path] = CLIENT_ERRORS[error.code ?? ""] ?? [400, "The request is not valid HTTP", "request"];
  const body = errorBody(status, message, path);
  const head = Object.entries({ ...ERROR_HEADERS, "Content-Length": String(Buffer.byteLength(body)), Connection: "close" })
    .map(([name, value]) => `${name}: ${value}\r\n`).join("");
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n${head}\r\n${body}`);
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
  res.writeHead(413, { ...ERROR_HEADERS, Connection: "close" });
  res.end(errorBody(413, `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`, "body"));
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
