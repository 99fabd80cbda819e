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

/** Whether the client reached us over HTTPS: directly, or through a trusted proxy that says so. */
export function requestIsHttps(context: Pick<APIContext, "url" | "request">): boolean {
  if (context.url.protocol === "https:") return true;
  if (config().RATECARD_TRUST_PROXY === 0) return false;
  return context.request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
