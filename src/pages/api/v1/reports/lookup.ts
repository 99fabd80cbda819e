// POST {"receipt": "…"}: your own report, with the code in the body rather than the URL.
import type { APIRoute } from "astro";
import { methodNotAllowed, readJsonBody } from "../../../../lib/server/api-response.ts";
import { receiptOfBody, viewAnswer } from "../../../../lib/write/receipt-answers.ts";

export const POST: APIRoute = async ({ request }) => {
  const body = await readJsonBody(request);
  return body.ok ? viewAnswer(receiptOfBody(body.value)) : body.response;
};

export const ALL: APIRoute = () => methodNotAllowed(["POST"]);
