// @ts-check
import { defineConfig } from "astro/config";
import node from "@astrojs/node";

export default defineConfig({
  output: "server",
  // 64 KiB, the same bound as the outer server's 413 (src/lib/server/http-limits.ts).
  adapter: node({ mode: "standalone", bodySizeLimit: 64 * 1024 }),
  // No telemetry, no prefetch to third parties: nothing leaves the machine.
  devToolbar: { enabled: false },
  // No image endpoint: /_image is an unknown page (src/lib/server/no-image-endpoint.ts).
  image: { endpoint: { route: "/_image", entrypoint: "./src/lib/server/no-image-endpoint.ts" } },
  markdown: { syntaxHighlight: false },
  security: {
    // Astro's origin check answers a plain-text 403 before our middleware runs, which
    // breaks the API's 415 and `curl -X DELETE`. src/middleware.ts checks the origin of
    // form posts and /mod itself and answers in the API's error shape.
    checkOrigin: false,
    actionBodySizeLimit: 64 * 1024,
    csp: {
      algorithm: "SHA-256",
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
      ],
    },
  },
  vite: {
    build: { assetsInlineLimit: 0 },
  },
});
