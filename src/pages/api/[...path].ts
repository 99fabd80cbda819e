import type { APIRoute } from "astro";
import { apiError } from "../../lib/server/api-response.ts";

export const ALL: APIRoute = ({ url }) => apiError(404, `No API route at ${url.pathname}`);
