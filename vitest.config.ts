import { defineConfig } from "vitest/config";

// One run covers unit, API contract, privacy and end-to-end tests (`npm test`).
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // e2e and API tests start real servers; files run in parallel on 2 cores.
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ["tests/global-setup.ts"],
  },
});
