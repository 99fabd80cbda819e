// `npm run migrate`: apply the committed drizzle migrations to DATABASE_PATH.
import { config } from "../src/lib/server/config.ts";
import { closeDatabase, database, migrateDatabase } from "../src/lib/server/db.ts";

migrateDatabase(database());
console.log(`Migrated ${config().DATABASE_PATH}`);
closeDatabase();
