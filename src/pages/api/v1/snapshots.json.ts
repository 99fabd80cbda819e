import type { APIRoute } from "astro";
import { methodNotAllowed } from "../../../lib/server/api-response.ts";
import { READ_METHODS, snapshots } from "../../../lib/read/api/endpoints.ts";

export const GET: APIRoute = ({ request, url }) => snapshots({ request, url });
export const HEAD: APIRoute = (context) => GET(context);
export const ALL: APIRoute = () => methodNotAllowed(READ_METHODS);
