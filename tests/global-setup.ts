// Vitest global setup: build the site once before any test file starts a server, so that
// parallel test files never run `astro build` at the same time.
import { buildIfNeeded } from "../scripts/lib/build.ts";

export default function setup(): void {
  buildIfNeeded();
}
