// Runs the snapshot loader's rate query on a connection of its own, so that it overlaps the
// report query on the main thread (snapshot-loader.ts). Reads only; sends back the packed
// integers of the rows. Always signals `done`, even when it fails (the caller then reads serially).
import { workerData, type MessagePort } from "node:worker_threads";

type Job = { path: string; sql: string; params: (string | number)[]; port: MessagePort; done: Int32Array };

const { path, sql, params, port, done } = workerData as Job;
try {
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 5000");
    const rows = Float64Array.from(sqlite.prepare(sql).pluck().all(...params) as number[]);
    port.postMessage({ ok: true, rows }, [rows.buffer]);
  } finally {
    sqlite.close();
  }
} catch (error) {
  port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
} finally {
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
  port.close();
}
