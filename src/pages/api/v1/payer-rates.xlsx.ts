import type { APIRoute } from "astro";
import { methodNotAllowed } from "../../../lib/server/api-response.ts";
import { READ_METHODS } from "../../../lib/read/api/endpoints.ts";
import { payerRatesXlsx } from "../../../lib/read/api/release-endpoints.ts";

export const GET: APIRoute = ({ request, url }) => payerRatesXlsx({ request, url });
export const HEAD: APIRoute = (context) => GET(context);
export const ALL: APIRoute = () => methodNotAllowed(READ_METHODS);
