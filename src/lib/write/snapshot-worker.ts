// A second thread for large snapshots: takes CPTs from the back while the main thread takes them
// from the front (src/lib/write/cpt-claims.ts). Receives banded rates only, in shared memory.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { computeCells, type BandedRates, type Dimensions } from "../rules/cells.ts";
import { claimFromBack } from "./cpt-claims.ts";
import { SnapshotFileWriter } from "../read/snapshot-file.ts";

type Job = { rates: BandedRates; dims: Dimensions; k: number; port: MessagePort; done: Int32Array; claims: Int32Array };

const { rates, dims, k, port, done, claims } = workerData as Job;
try {
  const writer = new SnapshotFileWriter();
  const tally = computeCells(rates, dims, k, (cell) => writer.add(cell), claimFromBack(claims));
  port.postMessage({ ok: true, columns: writer.exportColumns(), tally });
} catch (error) {
  port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  parentPort?.close();
}
