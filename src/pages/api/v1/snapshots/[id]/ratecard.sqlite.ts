import type { APIRoute } from "astro";
import { methodNotAllowed } from "../../../../../lib/server/api-response.ts";
import { READ_METHODS } from "../../../../../lib/read/api/endpoints.ts";
import { sqliteDownloadAnswer } from "../../../../../lib/read/api/release-endpoints.ts";

export const GET: APIRoute = ({ request, url, params }) => sqliteDownloadAnswer({ request, url }, params.id ?? "");
export const HEAD: APIRoute = (context) => GET(context);
export const ALL: APIRoute = () => methodNotAllowed(READ_METHODS);
