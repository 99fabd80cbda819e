// Builds an immutable snapshot: loads accepted reports with pay already banded in SQL, computes
// the cells with the pure rules (on two threads when large), writes them to a snapshot file and
// publishes it by renaming it into place as the snapshot is indexed (decisions 0007, 0009).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writevSync } from "node:fs";
import { join } from "node:path";
import { snapshots } from "../../../db/schema.ts";
import { BAND_EDGES } from "../rules/bands.ts";
import type { SuppressionTally } from "../rules/cells.ts";
import { assertValidK } from "../rules/eligibility.ts";
import { snapshotSource, type SnapshotSource } from "../rules/sources.ts";
import { RULES_VERSION } from "../rules/version.ts";
import { cellKeyOf } from "../rules/cell-key.ts";
import { snapshotsDirOf, type Connection } from "../server/db.ts";
import { latestSnapshot, readPublishedFile, snapshotFileName } from "../read/published.ts";
import { SnapshotFileWriter, diffSnapshotFiles, readSnapshotFile, type FileDiff, type PublishedShareRow } from "../read/snapshot-file.ts";
import { randomId } from "./receipts.ts";
import { acceptedCrowdReports, loadBandedRates, type Loaded } from "./snapshot-loader.ts";
import { experienceShares } from "./snapshot-shares.ts";
import { publishedPayerRates } from "./snapshot-payer-rates.ts";
import type { PublishedPayerRate } from "../rules/published-rates.ts";
import { PARALLEL_FROM_RATES, computeInto } from "./snapshot-threads.ts";
import { nextSnapshotId, publishedDay } from "./snapshot-ids.ts";
import { writeReferenceCopy } from "./snapshot-reference.ts";
import { referenceCopyFileName } from "../read/release/reference-copy.ts";
import { clearSinceLastSnapshot } from "./bursts.ts";
import { changesAgainst, insertChanges } from "./snapshot-changes.ts";

export type SnapshotTrigger = "start" | "schedule" | "script" | "moderator";
export type SnapshotSummary = typeof snapshots.$inferSelect;

export type BuildOptions = {
  k: number;
  trigger: SnapshotTrigger;
  now?: Date;
  /** Use a second thread; by default from PARALLEL_FROM_RATES rates on. */
  parallel?: boolean;
};

type FileResult = { published: number; tally: SuppressionTally };

/** Writes a snapshot's cells and shares into a new file (src/lib/read/snapshot-file.ts) and syncs it. */
function writeSnapshotFile(path: string, loaded: Loaded, shares: () => PublishedShareRow[], k: number, parallel: boolean, payerRates: PublishedPayerRate[]): FileResult {
  const writer = new SnapshotFileWriter();
  const [tally, published] = computeInto(writer, loaded, k, parallel, shares);
  const fd = openSync(path, "wx");
  try {
    writevSync(fd, writer.toParts(published, payerRates));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // Cells are counted as before verified rows existed: the rows from all reports (issue 12).
  return { published: writer.rows - writer.verifiedRows, tally };
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Temporary files of builds that crashed more than an hour ago. */
function removeAbandonedBuilds(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith("building-")) continue;
    const path = join(dir, name);
    if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
  }
}

/**
 * Builds and publishes a new snapshot: its file is written and synced, then renamed into place in
 * the same transaction that adds it to the index, so readers see a snapshot only when it is
 * complete. Earlier snapshots are never changed.
 */
export function buildSnapshot(connection: Connection, options: BuildOptions): SnapshotSummary {
  assertValidK(options.k);
  const source = snapshotSource(acceptedCrowdReports(connection));
  const loaded = loadBandedRates(connection, source);
  const { sqlite, db } = connection;
  const dir = snapshotsDirOf(sqlite);
  mkdirSync(dir, { recursive: true });
  removeAbandonedBuilds(dir);
  const temporary = join(dir, `building-${randomId()}.snapshot`);
  const temporaryReference = `${temporary}.reference.json`;
  try {
    const parallel = options.parallel ?? loaded.rates.length >= PARALLEL_FROM_RATES;
    const { published, tally } = writeSnapshotFile(temporary, loaded, () => experienceShares(connection, source), options.k, parallel, publishedPayerRates(connection));
    writeReferenceCopy(db, temporaryReference);
    // Issue 15: what this snapshot changes against the latest one, recorded as it is published.
    const previous = latestSnapshot(db);
    const changes = changesAgainst(connection, previous, () => readSnapshotFile(readFileSync(temporary)), source === "demo");
    return sqlite.transaction((): SnapshotSummary => {
      // Another build published first: leave this one's changes to recordMissingChanges.
      const recorded = latestSnapshot(db)?.id === previous?.id;
      const summary = db.insert(snapshots).values({
        id: nextSnapshotId(connection),
        createdAt: publishedDay(options.now ?? new Date()),
        rulesVersion: RULES_VERSION,
        k: options.k,
        bandEdges: [...BAND_EDGES],
        isDemo: source === "demo",
        reportsUsed: loaded.reportsUsed,
        cellsPublished: published,
        cellsSuppressed: {
          k_reports: tally.kReports,
          take_k_reports: tally.takeKReports,
          tail_percentiles_below_20: tally.tailPercentiles,
          rates_above_top_band: loaded.aboveTopBand,
        },
        trigger: options.trigger,
        changesRecorded: recorded,
      }).returning().get();
      if (recorded) insertChanges(connection, summary.id, changes);
      clearSinceLastSnapshot(connection); // issue 12: a new period for bursts starts with this snapshot
      renameSync(temporaryReference, join(dir, referenceCopyFileName(summary.id)));
      renameSync(temporary, join(dir, snapshotFileName(summary.id)));
      fsyncPath(dir);
      return summary;
    })();
  } finally {
    rmSync(temporary, { force: true });
    rmSync(temporaryReference, { force: true });
  }
}

export type SnapshotPreview = {
  source: SnapshotSource;
  reportsUsed: number;
  published: number;
  tally: SuppressionTally;
  diff: FileDiff;
};

/** What publishing now would change against the current snapshot, without publishing anything. */
export function previewSnapshot(connection: Connection, k: number): SnapshotPreview {
  assertValidK(k);
  const source = snapshotSource(acceptedCrowdReports(connection));
  const loaded = loadBandedRates(connection, source);
  const writer = new SnapshotFileWriter();
  const [tally] = computeInto(writer, loaded, k, loaded.rates.length >= PARALLEL_FROM_RATES, () => undefined);
  const draft = readSnapshotFile(writer.toBuffer([]));
  const current = latestSnapshot(connection.db);
  const before = current ? readPublishedFile(connection.db, current.id) : null;
  return { source, reportsUsed: loaded.reportsUsed, published: writer.rows, tally, diff: diffSnapshotFiles(before, draft, cellKeyOf) };
}
