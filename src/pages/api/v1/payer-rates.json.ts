import type { APIRoute } from "astro";
import { methodNotAllowed } from "../../../lib/server/api-response.ts";
import { payerRates, READ_METHODS } from "../../../lib/read/api/endpoints.ts";

export const GET: APIRoute = ({ request, url }) => payerRates({ request, url }, "json");
export const HEAD: APIRoute = (context) => GET(context);
export const ALL: APIRoute = () => methodNotAllowed(READ_METHODS);
