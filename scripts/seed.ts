// `npm run seed`: migrate, load reference data, and (on an empty database, RATECARD_DEMO=on) the demo reports.
import { config } from "../src/lib/server/config.ts";
import { closeDatabase, database } from "../src/lib/server/db.ts";
import { prepareDatabase } from "../src/lib/write/setup.ts";

const settings = config();
const prepared = prepareDatabase(database(), { demo: settings.RATECARD_DEMO === "on", k: settings.RATECARD_K });
console.log(`Reference data loaded; ${prepared.demoReportsAdded} demo reports added; snapshot ${prepared.snapshot.id}.`);
closeDatabase();
