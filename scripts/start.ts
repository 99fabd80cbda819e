// `npm start`: build if needed, prepare the database, serve, and publish snapshots on schedule.
import { buildIfNeeded, serverEntry } from "./lib/build.ts";
import { config } from "../src/lib/server/config.ts";
import { closeDatabase, database } from "../src/lib/server/db.ts";
import { prepareDatabase } from "../src/lib/server/setup.ts";
import { scheduleSnapshots } from "../src/lib/server/schedule.ts";
import { buildSnapshot } from "../src/lib/server/snapshot.ts";

const settings = config();
buildIfNeeded();
const prepared = prepareDatabase(database(), { demo: settings.RATECARD_DEMO === "on", k: settings.RATECARD_K });
if (prepared.demoReportsAdded > 0) console.log(`Added ${prepared.demoReportsAdded} demo reports (source = demo).`);
console.log(
  `Snapshot ${prepared.snapshot.id}${prepared.snapshot.isDemo ? " (demo data)" : ""}: ${prepared.snapshot.cellsPublished} cells from ${prepared.snapshot.reportsUsed} reports.`,
);

process.env.HOST = settings.HOST;
process.env.PORT = String(settings.PORT);
await import(serverEntry);

const schedule = scheduleSnapshots(settings.RATECARD_SNAPSHOT_EVERY, () => {
  const snapshot = buildSnapshot(database(), { k: settings.RATECARD_K, trigger: "schedule" });
  console.log(`Snapshot ${snapshot.id} published: ${snapshot.cellsPublished} cells.`);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    schedule.stop();
    closeDatabase();
    process.exit(0);
  });
}
