// Computes a snapshot's cells on one thread, or on two for large snapshots: CPTs are claimed from
// opposite ends (cpt-claims.ts) and the file is byte-identical either way (decision 0007).
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { computeCells, type SuppressionTally } from "../rules/cells.ts";
import type { SnapshotFileWriter, WrittenColumns } from "../read/snapshot-file.ts";
import { claimFromFront, cptClaims } from "./cpt-claims.ts";
import type { Loaded } from "./snapshot-loader.ts";

/** From this many rates, a second thread computes part of the cells. */
export const PARALLEL_FROM_RATES = 200_000;

function addTallies(a: SuppressionTally, b: SuppressionTally): SuppressionTally {
  return { kReports: a.kReports + b.kReports, takeKReports: a.takeKReports + b.takeKReports, tailPercentiles: a.tailPercentiles + b.tailPercentiles };
}

/**
 * Computes every cell into the writer. With `parallel`, CPTs are split in order into two runs and
 * a worker thread computes the second while this thread computes the first; cells keep CPT order,
 * so the file is the same either way.
 */
export function computeInto<T>(writer: SnapshotFileWriter, loaded: Loaded, k: number, parallel: boolean, meanwhile: () => T): [SuppressionTally, T] {
  const { rates, dims } = loaded;
  if (!parallel || dims.cpts.length < 2) {
    const extra = meanwhile();
    return [computeCells(rates, dims, k, (cell) => writer.add(cell)), extra];
  }
  const claims = cptClaims(dims.cpts.length);
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL("./snapshot-worker.ts", import.meta.url), {
    workerData: { rates, dims, k, port: port2, done, claims },
    transferList: [port2],
  });
  try {
    // Other work of this thread (the shares query) runs while the worker starts computing.
    const extra = meanwhile();
    const first = computeCells(rates, dims, k, (cell) => writer.add(cell), claimFromFront(claims));
    // Synchronous wait keeps buildSnapshot synchronous; the worker always signals, even on error.
    if (Atomics.wait(done, 0, 0, 30 * 60_000) === "timed-out") throw new Error("snapshot worker timed out");
    const message = receiveMessageOnPort(port1)?.message as
      | { ok: true; columns: WrittenColumns; tally: SuppressionTally }
      | { ok: false; message: string }
      | undefined;
    if (!message) throw new Error("snapshot worker sent nothing");
    if (!message.ok) throw new Error(`snapshot worker failed: ${message.message}`);
    writer.append(message.columns, dims.cpts);
    return [addTallies(first, message.tally), extra];
  } finally {
    port1.close();
    void worker.terminate();
  }
}
