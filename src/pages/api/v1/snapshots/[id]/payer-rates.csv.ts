import type { APIRoute } from "astro";
import { methodNotAllowed } from "../../../../../lib/server/api-response.ts";
import { payerRates, READ_METHODS } from "../../../../../lib/read/api/endpoints.ts";

export const GET: APIRoute = ({ request, url, params }) => payerRates({ request, url }, "csv", params.id ?? "");
export const HEAD: APIRoute = (context) => GET(context);
export const ALL: APIRoute = () => methodNotAllowed(READ_METHODS);
