// Every request passes here: preflight for the public API, our own origin check for forms and
// /mod (Astro's is off; see astro.config.mjs), and the security headers on every response.
import { defineMiddleware, sequence } from "astro:middleware";
import { apiError } from "./lib/server/api-response.ts";
import { API_CSP, COMMON_SECURITY_HEADERS } from "./lib/server/security-headers.ts";
import { ACTION_NAME, accessForRequest, actionName, isModerationAction } from "./lib/write/auth/guard.ts";
import { STORAGE_RETRY_AFTER_SECONDS, STORAGE_UNAVAILABLE_MESSAGE } from "./lib/server/storage-errors.ts";
import { SESSION_COOKIE, sessionCookieOptions, sessionForRequest } from "./lib/write/auth/sessions.ts";
import { database } from "./lib/server/db.ts";
import { requestIsHttps } from "./lib/server/request.ts";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const apiPreflight = defineMiddleware(({ request, url }, next) => {
  if (request.method === "OPTIONS" && url.pathname.startsWith("/api/")) {
    return new Response(null, {
      status: 204,
      headers: {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD, POST, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, If-None-Match",
        "Access-Control-Max-Age": "86400",
      },
    });
  }
  return next();
});

/**
 * Every action of ours takes a form: a request for an action with a malformed name, or with
 * another body type, is refused here, before Astro's action loader can fail on it.
 */
const actionRequests = defineMiddleware(({ request, url }, next) => {
  const name = actionName(url);
  const isAction = url.pathname.startsWith("/_actions/") || (request.method === "POST" && name !== null);
  if (!isAction) return next();
  if (name === null || !ACTION_NAME.test(name)) return apiError(404, "No such action");
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" && type !== "multipart/form-data") {
    return apiError(415, "Send the form as application/x-www-form-urlencoded or multipart/form-data");
  }
  return next();
});

/**
 * Refuses a state-changing form post or /mod request that does not come from this site.
 * Browsers send Sec-Fetch-Site; with our no-referrer policy they send "Origin: null" on form
 * posts, so the Origin header is only the fallback for clients without fetch metadata.
 */
const originCheck = defineMiddleware(({ request, url }, next) => {
  // Issue 12 item 5: a request that names an action is guarded whatever its path and content
  // type, before anything looks at the type (a cross-site action post gets 403, not 415).
  const namesAction = url.pathname.startsWith("/_actions/") || url.searchParams.has("_action");
  if (!UNSAFE_METHODS.has(request.method) && !(namesAction && request.method !== "GET" && request.method !== "HEAD")) return next();
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const isForm = type === "" || FORM_TYPES.includes(type);
  const guarded = namesAction || url.pathname.startsWith("/mod") || (isForm && !url.pathname.startsWith("/api/"));
  if (!guarded || isSameSite(request)) return next();
  return apiError(403, "Cross-site form submissions are refused", [{ path: "origin", message: "The request must come from this site's own pages" }]);
});

function isSameSite(request: Request): boolean {
  const fetchSite = request.headers.get("sec-fetch-site");
  if (fetchSite) return fetchSite === "same-origin";
  const origin = request.headers.get("origin");
  // Neither header: not a browser (curl, scripts), so no cookie of a visitor rides along.
  if (origin === null) return true;
  const host = request.headers.get("host");
  if (origin === "null" || !host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

const securityHeaders = defineMiddleware(async (context, next) => {
  const { url } = context;
  const response = await next();
  const headers = response.headers;
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) headers.set(name, value);
  const embeddable = url.pathname.startsWith("/embed/");
  if (!embeddable) headers.set("X-Frame-Options", "DENY");
  if (url.pathname.startsWith("/api/")) {
    headers.set("Content-Security-Policy", API_CSP);
  } else if (!embeddable) {
    // Astro puts the hashed script/style policy in a meta tag; frame-ancestors only works as a header.
    headers.append("Content-Security-Policy", "frame-ancestors 'none'");
  }
  if (requestIsHttps(context)) headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  return response;
});

/**
 * Resolves the moderator session once onto locals, and refuses /mod pages (redirect) and
 * moderation actions (401 in the error shape) without a session and a verified second factor.
 */
const moderatorSession = defineMiddleware(async (context, next) => {
  const { url, cookies, locals, request } = context;
  const action = actionName(url);
  const moderation = url.pathname.startsWith("/mod") || isModerationAction(action);
  if (!moderation) return next();
  const { db } = database();
  const token = cookies.get(SESSION_COOKIE)?.value;
  const validated = sessionForRequest(db, token);
  if (validated === "unavailable") {
    // The idle-limit write failed (full or read-only disk): a 503, never a 500.
    return apiError(503, STORAGE_UNAVAILABLE_MESSAGE, [], { "Retry-After": String(STORAGE_RETRY_AFTER_SECONDS), "Cache-Control": "no-store" });
  }
  if (validated) {
    locals.moderator = validated.moderator;
    locals.session = validated.session;
    cookies.set(SESSION_COOKIE, token!, sessionCookieOptions(requestIsHttps(context), validated.session.expiresAt));
  } else if (token) {
    cookies.delete(SESSION_COOKIE, { path: "/mod" });
  }
  // Issue 13 item 8: decided from the action the request names as well as its page.
  const access = accessForRequest(url.pathname, action);
  const isAction = action !== null || request.method !== "GET";
  const allowed = access === "public" || (validated !== null && (access === "password" || validated.session.twoFactorVerified));
  if (!allowed) {
    if (isAction || request.method !== "GET") return apiError(401, "Sign in as a moderator, with your second factor, first");
    const to = validated ? (validated.moderator.totpKey ? "/mod/2fa" : "/mod/2fa/setup") : "/mod/login";
    return context.redirect(to, 302);
  }
  const response = await next();
  response.headers.set("Cache-Control", "no-store");
  return response;
});

export const onRequest = sequence(securityHeaders, apiPreflight, originCheck, actionRequests, moderatorSession);
