import { defineConfig } from "drizzle-kit";

// Snapshot files have a schema of their own (db/published-schema.ts), migrated when each is written.
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/published-schema.ts",
  out: "./db/published-migrations",
});
