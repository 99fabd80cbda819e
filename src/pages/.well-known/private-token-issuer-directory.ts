// RFC 9578 section 4: the Privacy Pass issuer directory (the one issuing key), never cached long.
import type { APIRoute } from "astro";
import { methodNotAllowed } from "../../lib/server/api-response.ts";
import { ISSUER_DIRECTORY_TYPE, issuerDirectory } from "../../lib/write/tokens/privacy-pass.ts";

export const GET: APIRoute = async () =>
  new Response(JSON.stringify(await issuerDirectory()), {
    headers: {
      "Content-Type": ISSUER_DIRECTORY_TYPE,
      "Cache-Control": "public, max-age=3600",
      "Access-Control-Allow-Origin": "*",
    },
  });

export const HEAD: APIRoute = (context) => GET(context);

export const ALL: APIRoute = () => methodNotAllowed(["GET"]);
