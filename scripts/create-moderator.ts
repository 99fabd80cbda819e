// `npm run moderator:create -- --email you@example.org [--reset]`: creates a moderator (or, with
// --reset, clears a lost password and second factor) and prints a one-time set-up link.
import { parseArgs } from "node:util";
import { z } from "zod";
import { createModerator, findModeratorByEmail, resetModerator, setupToken, SETUP_LINK_HOURS } from "../src/lib/write/auth/moderators.ts";
import { config } from "../src/lib/server/config.ts";
import { closeDatabase, database, migrateDatabase } from "../src/lib/server/db.ts";

const { values } = parseArgs({ options: { email: { type: "string" }, reset: { type: "boolean", default: false } } });
const email = z.email().safeParse(values.email ?? "");
if (!email.success) {
  console.error("Give the moderator's email: npm run moderator:create -- --email you@example.org");
  process.exit(2);
}
const settings = config();
const connection = database();
migrateDatabase(connection);
const existing = findModeratorByEmail(connection.db, email.data);
if (existing && !values.reset) {
  console.error(`${existing.email} is already a moderator; add --reset to clear their password and second factor and issue a new link.`);
  process.exit(1);
}
const moderator = existing ? resetModerator(connection.db, existing) : createModerator(connection.db, email.data);
const host = settings.HOST === "0.0.0.0" ? "localhost" : settings.HOST;
if (existing) console.log(`Cleared ${moderator.email}'s password, second factor and sessions; earlier set-up links no longer work.`);
console.log(`Set-up link for ${moderator.email} (valid ${SETUP_LINK_HOURS} hours, once):`);
console.log(`http://${host}:${settings.PORT}/mod/setup?token=${setupToken(moderator, settings.RATECARD_SECRET)}`);
closeDatabase();
