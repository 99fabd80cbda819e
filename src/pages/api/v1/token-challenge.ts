// RFC 9577: the origin's one Privacy Pass challenge, as WWW-Authenticate and as JSON. Not cached by the read API.
import type { APIRoute } from "astro";
import { apiJson, methodNotAllowed } from "../../../lib/server/api-response.ts";
import { challengeAnswer } from "../../../lib/write/tokens/privacy-pass.ts";

export const GET: APIRoute = async () => {
  const answer = await challengeAnswer();
  return apiJson(answer.json, 200, { "WWW-Authenticate": answer.header });
};

export const HEAD: APIRoute = (context) => GET(context);

export const ALL: APIRoute = () => methodNotAllowed(["GET"]);
