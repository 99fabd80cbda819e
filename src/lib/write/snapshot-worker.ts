// A second thread for large snapshots: takes CPTs from the back while the main thread takes them
// from the front (src/lib/write/cpt-claims.ts). Receives banded rates only, in shared memory.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import type { BandedRates, Dimensions } from "../rules/cells.ts";
import { claimFromBack } from "./cpt-claims.ts";
import { backRunBuffers, computeBackRun } from "./snapshot-threads.ts";

type Job = { rates: BandedRates; dims: Dimensions; k: number; port: MessagePort; done: Int32Array; claims: Int32Array };

const { rates, dims, k, port, done, claims } = workerData as Job;
try {
  const run = computeBackRun(rates, dims, k, claimFromBack(claims));
  port.postMessage({ ok: true, ...run }, backRunBuffers(run));
} catch (error) {
  port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  parentPort?.close();
}
