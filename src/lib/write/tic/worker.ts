// A worker thread of `npm run tic:import --jobs N`: reads one file at a time and posts what it kept;
// the main thread is the only writer.
import { parentPort } from "node:worker_threads";
import { mappedGroupMatcher } from "./parse.ts";
import { readTicSource, type ReadRequest } from "./read-file.ts";
import type { OpenedSource } from "./source.ts";

export type WorkerMessage =
  | { type: "progress"; read: number; total: number | null; decoded: number }
  | { type: "result"; result: import("./read-file.ts").ReadResult };

const port = parentPort;
if (!port) throw new Error("worker.ts runs only as a worker thread");

port.on("message", async (request: ReadRequest) => {
  let opened: OpenedSource | undefined;
  const timer = setInterval(() => {
    if (opened) port.postMessage({ type: "progress", ...opened.progress } satisfies WorkerMessage);
  }, 250);
  try {
    const result = await readTicSource(request, mappedGroupMatcher(new Set(request.tins)), (o) => { opened = o; });
    if (opened) port.postMessage({ type: "progress", ...opened.progress } satisfies WorkerMessage);
    port.postMessage({ type: "result", result } satisfies WorkerMessage);
  } finally {
    clearInterval(timer);
  }
});
