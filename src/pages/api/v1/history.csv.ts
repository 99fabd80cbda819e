import type { APIRoute } from "astro";
import { methodNotAllowed } from "../../../lib/server/api-response.ts";
import { READ_METHODS } from "../../../lib/read/api/endpoints.ts";
import { historyCsv } from "../../../lib/read/api/csv-twins.ts";

export const GET: APIRoute = ({ request, url }) => historyCsv({ request, url });
export const HEAD: APIRoute = (context) => GET(context);
export const ALL: APIRoute = () => methodNotAllowed(READ_METHODS);
