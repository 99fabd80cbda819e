// Facts about the incoming request that several routes need, read the same way everywhere.
import type { APIContext } from "astro";
import { config } from "./config.ts";
import { clientAddress } from "./rate-limit.ts";

/** The client's address for rate limiting only; it is never stored or logged. */
export function requestClientAddress(context: Pick<APIContext, "clientAddress" | "request">): string {
  let socket: string | undefined;
  try {
    socket = context.clientAddress;
  } catch {
    socket = undefined;
  }
  return clientAddress(socket, context.request.headers.get("x-forwarded-for"), config().RATECARD_TRUST_PROXY);
}

/**
 * Whether the client reached us over HTTPS: directly, or through a trusted proxy that says so.
 * X-Forwarded-Proto is read at the same hop as X-Forwarded-For (the N-th entry from the right
 * with N trusted proxies): entries further left were written by the client.
 */
export function requestIsHttps(context: Pick<APIContext, "url" | "request">): boolean {
  if (context.url.protocol === "https:") return true;
  return forwardedProtoIsHttps(context.request.headers.get("x-forwarded-proto"), config().RATECARD_TRUST_PROXY);
}

export function forwardedProtoIsHttps(forwardedProto: string | null, trustedProxies: number): boolean {
  if (trustedProxies === 0 || !forwardedProto) return false;
  const hops = forwardedProto.split(",").map((hop) => hop.trim().toLowerCase()).filter(Boolean);
  return hops[hops.length - trustedProxies] === "https";
}
