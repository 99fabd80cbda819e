// The one place that says where the site is published, for absolute URLs in citations and data
// packages. When RATECARD_PUBLIC_ORIGIN exists in the configuration (issue 13), return it here.
import { config } from "../../server/config.ts";

export function publicOrigin(): string {
  const { HOST, PORT } = config();
  return `http://${HOST}:${PORT}`;
}
