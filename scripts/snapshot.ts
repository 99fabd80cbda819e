// `npm run snapshot`: publish a new snapshot from DATABASE_PATH; a running server serves it at once.
import { config } from "../src/lib/server/config.ts";
import { closeDatabase, database, migrateDatabase } from "../src/lib/server/db.ts";
import { buildSnapshot } from "../src/lib/write/snapshot.ts";
import { publicOrigin } from "../src/lib/read/release/origin.ts";
import { sqliteDownload } from "../src/lib/read/release/sqlite-download.ts";

const settings = config();
migrateDatabase(database());
const started = performance.now();
const snapshot = buildSnapshot(database(), { k: settings.RATECARD_K, trigger: "script" });
console.log(
  `Snapshot ${snapshot.id}${snapshot.isDemo ? " (demo data)" : ""}: ${snapshot.cellsPublished} cells from ${snapshot.reportsUsed} reports in ${((performance.now() - started) / 1000).toFixed(2)} s; withheld: ${JSON.stringify(snapshot.cellsSuppressed)}`,
);
// The SQLite download is built from the published snapshot, after it is published (issue 15).
const downloadStarted = performance.now();
const download = sqliteDownload(database().db, snapshot, publicOrigin());
console.log(`SQLite download of snapshot ${snapshot.id}: ${download} in ${((performance.now() - downloadStarted) / 1000).toFixed(2)} s`);
closeDatabase();
