// What `npm start` and `npm run seed` do to a database before serving: migrate, load reference
// data, add demo reports to an empty database, and make sure a snapshot exists.
import { count, eq } from "drizzle-orm";
import { demoVerifiedFlags, generateDemoReports, seededUniform } from "../../../db/seed/demo.ts";
import { reports } from "../../../db/schema.ts";
import { migrateDatabase, type Connection } from "../server/db.ts";
import { medicareAmounts } from "../read/reference.ts";
import { loadReferenceData } from "../write/reference-seed.ts";
import { receiptHash } from "./receipts.ts";
import { submitReport } from "./reports.ts";
import { latestSnapshot } from "../read/published.ts";
import { buildSnapshot, type SnapshotSummary } from "./snapshot.ts";
import { recordMissingChanges } from "./snapshot-changes.ts";

export type PreparedDatabase = { demoReportsAdded: number; snapshot: SnapshotSummary; snapshotBuilt: boolean };

export function reportCount(connection: Connection): number {
  return connection.db.select({ n: count() }).from(reports).get()?.n ?? 0;
}

/** Adds the generated demo reports, all in one transaction. Returns how many were added. */
export function addDemoReports(connection: Connection): number {
  const demo = generateDemoReports(medicareAmounts(connection.db));
  const uniform = seededUniform(7);
  const verified = demoVerifiedFlags(demo.length);
  connection.sqlite.transaction(() => {
    demo.forEach((report, i) => {
      const { receipt } = submitReport(connection, report, { source: "demo", uniform });
      if (verified[i]) connection.db.update(reports).set({ verified: true }).where(eq(reports.receiptHash, receiptHash(receipt))).run();
    });
  })();
  return demo.length;
}

export function prepareDatabase(connection: Connection, options: { demo: boolean; k: number }): PreparedDatabase {
  if (connection.readOnlyDisk) {
    // Nothing can be written: serve what is published, as it is.
    const snapshot = latestSnapshot(connection.db);
    if (!snapshot) throw new Error("The database is on a read-only disk and has no snapshot to serve.");
    return { demoReportsAdded: 0, snapshot, snapshotBuilt: false };
  }
  migrateDatabase(connection);
  loadReferenceData(connection.db);
  // Snapshots published before changes were recorded at build time (issue 15) are recorded once.
  recordMissingChanges(connection, (done, total) => {
    if (done === total || done % 25 === 0) console.log(`Recorded the changes of ${done} of ${total} earlier snapshots`);
  });
  const demoReportsAdded = options.demo && reportCount(connection) === 0 ? addDemoReports(connection) : 0;
  const existing = latestSnapshot(connection.db);
  if (existing && demoReportsAdded === 0) return { demoReportsAdded, snapshot: existing, snapshotBuilt: false };
  return { demoReportsAdded, snapshot: buildSnapshot(connection, { k: options.k, trigger: "start" }), snapshotBuilt: true };
}
