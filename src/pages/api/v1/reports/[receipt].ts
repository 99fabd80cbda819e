// Discouraged (the code lands in logged URLs): POST /api/v1/reports/lookup and …/delete take it in the body.
import type { APIRoute } from "astro";
import { methodNotAllowed } from "../../../../lib/server/api-response.ts";
import { deleteAnswer, viewAnswer } from "../../../../lib/write/receipt-answers.ts";

export const GET: APIRoute = ({ params }) => viewAnswer(params.receipt);

export const HEAD: APIRoute = (context) => GET(context);

export const DELETE: APIRoute = ({ params }) => deleteAnswer(params.receipt);

export const ALL: APIRoute = () => methodNotAllowed(["GET", "HEAD", "DELETE"]);
