// Computes a snapshot's cells on one thread, or on two for large snapshots: CPTs are claimed from
// opposite ends (cpt-claims.ts) and the file is byte-identical either way (decision 0007).
import { MessageChannel, Worker, receiveMessageOnPort } from "node:worker_threads";
import { cellJobCount, computeCells, type SuppressionTally } from "../rules/cells.ts";
import { SnapshotFileWriter, type WrittenColumns } from "../read/snapshot-file.ts";
import { claimFromFront, cptClaims } from "./cpt-claims.ts";
import type { Loaded } from "./snapshot-loader.ts";
import { workerFile } from "./worker-file.ts";

const WORKER = workerFile("snapshot-worker.ts", import.meta.url);

/** From this many rates, a second thread computes part of the cells. */
export const PARALLEL_FROM_RATES = 200_000;

function addTallies(a: SuppressionTally, b: SuppressionTally): SuppressionTally {
  return { kReports: a.kReports + b.kReports, takeKReports: a.takeKReports + b.takeKReports, tailPercentiles: a.tailPercentiles + b.tailPercentiles };
}

/** Cells computed by the back thread: one writer's columns per job, in the order they were done. */
export type BackRun = { segments: { job: number; columns: WrittenColumns }[]; tally: SuppressionTally };

/**
 * Computes the jobs `nextJob` claims (the back thread claims them in descending order) each into
 * a writer of its own, so that they can be appended in file order.
 */
export function computeBackRun(rates: Loaded["rates"], dims: Loaded["dims"], k: number, nextJob: () => number): BackRun {
  const writers: { job: number; writer: SnapshotFileWriter }[] = [];
  let current: SnapshotFileWriter | null = null;
  const claim = () => {
    const job = nextJob();
    if (job >= 0) writers.push({ job, writer: (current = new SnapshotFileWriter()) });
    return job;
  };
  const tally = computeCells(rates, dims, k, (cell) => current!.add(cell), claim);
  return { segments: writers.map(({ job, writer }) => ({ job, columns: writer.exportColumns() })), tally };
}

/** Appends a back run after the front run's cells in `writer`. */
export function appendBackRun(writer: SnapshotFileWriter, run: BackRun, cpts: readonly string[]): void {
  for (const { columns } of [...run.segments].sort((a, b) => a.job - b.job)) writer.append(columns, cpts);
}

/** The buffers of a back run, to transfer rather than copy to the other thread. */
export function backRunBuffers(run: BackRun): ArrayBuffer[] {
  return run.segments.flatMap(({ columns }) => [...Object.values(columns.coded), ...Object.values(columns.integers)].map((a) => a.buffer as ArrayBuffer));
}

/**
 * Computes every cell into the writer. With `parallel`, CPTs are split in order into two runs and
 * a worker thread computes the second while this thread computes the first; cells keep CPT order,
 * so the file is the same either way.
 */
export function computeInto<T>(writer: SnapshotFileWriter, loaded: Loaded, k: number, parallel: boolean, meanwhile: () => T): [SuppressionTally, T] {
  const { rates, dims } = loaded;
  // The worker runs from the sources (worker-file.ts); where they are absent, one thread does it
  // all rather than waiting on a worker that cannot start.
  if (!parallel || dims.cpts.length < 2 || WORKER === null) {
    const extra = meanwhile();
    return [computeCells(rates, dims, k, (cell) => writer.add(cell)), extra];
  }
  const claims = cptClaims(cellJobCount(rates, dims));
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER, {
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
      | ({ ok: true } & BackRun)
      | { ok: false; message: string }
      | undefined;
    if (!message) throw new Error("snapshot worker sent nothing");
    if (!message.ok) throw new Error(`snapshot worker failed: ${message.message}`);
    appendBackRun(writer, message, dims.cpts);
    return [addTallies(first, message.tally), extra];
  } finally {
    port1.close();
    void worker.terminate();
  }
}
