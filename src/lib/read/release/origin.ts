// The one place that says where the site is published, for absolute URLs in citations and data
// packages: the configured RATECARD_PUBLIC_ORIGIN (config.ts falls back to HOST and PORT).
import { config } from "../../server/config.ts";

export function publicOrigin(): string {
  return config().RATECARD_PUBLIC_ORIGIN;
}
