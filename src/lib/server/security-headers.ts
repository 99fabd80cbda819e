// The headers every response carries (src/middleware.ts), also used by the outer HTTP server
// for the few answers it gives before Astro runs.
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
