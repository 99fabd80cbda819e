// `npm run tic:import`: reads files in worker threads (--jobs N at once) and writes each, in the main
// thread, in its own transaction. A failed file imports nothing; the others still do.
import { dirname, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { cptCodes, payerTicAliases } from "../../../../db/schema.ts";
import { migrateDatabase, type Connection } from "../../server/db.ts";
import { loadReferenceData } from "../reference-seed.ts";
import type { ReadRequest, ReadResult } from "./read-file.ts";
import { ImportProgress, type ProgressSink } from "./progress.ts";
import { importedHashes, mappedTins, payerExists, saveTinMapping, storeInNetworkFile, type TinMapping } from "./store.ts";
import { isUrl, sourceName } from "./source.ts";
import type { WorkerMessage } from "./worker.ts";

export type ImportRunOptions = {
  sources: string[];
  payer?: string | undefined;
  tins?: TinMapping[];
  /** Picks the plans of a table of contents (matched against plan_name and plan_id). */
  plan?: RegExp | undefined;
  jobs?: number;
  progress: ProgressSink;
};

export type FileOutcome = { source: string; status: "imported" | "skipped" | "listed" | "failed"; message: string };

type Job = { source: string; plan?: { planId: string | null; planName: string | null; planMarketType: string | null } | undefined };

/** One line per failed file, as the command prints it to stderr: `FILE: byte N: problem`. */
export function failureLine(source: string, byte: number, problem: string): string {
  return `${source}: byte ${byte}: ${problem}`;
}

/** Where a table of contents' in-network file is: its URL, or a path beside a local table of contents. */
function resolveLocation(location: string, tocSource: string): string {
  if (isUrl(location)) return location;
  return isUrl(tocSource) ? new URL(location, tocSource).href : resolve(dirname(tocSource), location);
}

const WORKER_URL = new URL("./worker.ts", import.meta.url);

export async function runTicImport(connection: Connection, options: ImportRunOptions): Promise<{ outcomes: FileOutcome[]; failures: string[] }> {
  migrateDatabase(connection);
  const { db } = connection;
  // The CPT codes, platforms and payer aliases an import checks against (idempotent, never overwrites edits).
  loadReferenceData(db);
  const failures: string[] = [];
  const outcomes: FileOutcome[] = [];
  if (options.payer !== undefined && !payerExists(db, options.payer)) {
    return { outcomes, failures: [`--payer ${options.payer}: unknown payer (see db/seed/payers.json)`] };
  }
  for (const mapping of options.tins ?? []) {
    const problem = saveTinMapping(db, mapping);
    if (problem) return { outcomes, failures: [`--tin ${mapping.platform}=${mapping.tin}: ${problem}`] };
  }
  const cpts = db.select({ code: cptCodes.code }).from(cptCodes).all().map((row) => row.code);
  const aliases = Object.fromEntries(db.select().from(payerTicAliases).all().map((row) => [row.alias, row.payer]));
  const tins = [...mappedTins(db)];

  const progress = new ImportProgress(options.progress);
  const queue: Job[] = options.sources.map((source) => ({ source }));
  progress.files = queue.length;
  const seen = new Set(options.sources);
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, 16));
  let nextJobId = 0;
  let spawnWorkers = (): void => {};

  const record = (source: string, result: ReadResult, job: Job): void => {
    const name = sourceName(source);
    if (result.status === "failed") {
      failures.push(failureLine(name, result.byte, result.problem));
      outcomes.push({ source, status: "failed", message: result.problem });
      return;
    }
    if (result.status === "known") {
      outcomes.push({ source, status: "skipped", message: "already imported (same SHA-256)" });
      progress.log(`${name}: already imported (same SHA-256), skipped`);
      return;
    }
    const { parsed } = result;
    if (parsed.kind === "table-of-contents") {
      let added = 0;
      for (const structure of parsed.structures) {
        const plans = structure.reporting_plans.filter((p) => !options.plan || options.plan.test(p.plan_name) || options.plan.test(p.plan_id ?? ""));
        if (plans.length === 0) continue;
        const only = structure.reporting_plans.length === 1 ? structure.reporting_plans[0]! : undefined;
        for (const file of structure.in_network_files ?? []) {
          const location = resolveLocation(file.location, source);
          if (seen.has(location)) continue;
          seen.add(location);
          queue.push({ source: location, plan: only ? { planId: only.plan_id ?? null, planName: only.plan_name, planMarketType: only.plan_market_type ?? null } : undefined });
          added++;
        }
      }
      progress.files += added;
      spawnWorkers();
      outcomes.push({ source, status: "listed", message: `table of contents: ${added} in-network files to read` });
      progress.log(`${name}: table of contents, ${added} in-network file${added === 1 ? "" : "s"} to read`);
      return;
    }
    const stored = storeInNetworkFile(db, { parsed, payer: result.payer, sha256: result.sha256, sourceFile: name, plan: job.plan });
    if (stored.status === "skipped") {
      outcomes.push({ source, status: "skipped", message: "already imported (same SHA-256)" });
      progress.log(`${name}: already imported (same SHA-256), skipped`);
      return;
    }
    progress.ratesKept += stored.ratesKept;
    const notes = [
      stored.replacedFiles.length > 0 ? `replaces the rates of file${stored.replacedFiles.length === 1 ? "" : "s"} ${stored.replacedFiles.join(", ")}` : "",
      stored.supersededBy !== null ? `older than file ${stored.supersededBy} of the same plan: recorded, rates not kept` : "",
      parsed.nonDollarRates > 0 ? `${parsed.nonDollarRates} percentage, per diem or derived ${parsed.nonDollarRates === 1 ? "rate" : "rates"} counted, not kept` : "",
    ].filter(Boolean);
    const message = `imported as file ${stored.fileId} (${result.payer}): ${stored.ratesKept} ${stored.ratesKept === 1 ? "rate" : "rates"} kept${notes.length ? `; ${notes.join("; ")}` : ""}`;
    outcomes.push({ source, status: "imported", message });
    progress.log(`${name}: ${message}`);
  };

  const knownHashes = () => [...importedHashes(db)];
  const runWorker = async (): Promise<void> => {
    const worker = new Worker(WORKER_URL);
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const id = nextJobId++;
        const request: ReadRequest = { source: job.source, cpts, tins, knownHashes: knownHashes(), payer: options.payer ?? null, aliases };
        const result = await new Promise<ReadResult>((resolveResult, reject) => {
          const onMessage = (message: WorkerMessage) => {
            if (message.type === "progress") progress.update(id, message);
            else {
              worker.off("message", onMessage);
              worker.off("error", reject);
              resolveResult(message.result);
            }
          };
          worker.on("message", onMessage);
          worker.once("error", reject);
          worker.postMessage(request);
        }).catch((error: Error): ReadResult => ({ status: "failed", byte: 0, problem: `the reader stopped (${error.message})` }));
        progress.finish(id);
        record(job.source, result, job);
      }
    } finally {
      await worker.terminate();
    }
  };
  // Tables of contents add files while others run: more workers start, each takes files until none is left.
  const running: Promise<void>[] = [];
  let active = 0;
  spawnWorkers = () => {
    for (let n = Math.min(jobs - active, queue.length); n > 0; n--) {
      active++;
      running.push(runWorker().finally(() => { active--; }));
    }
  };
  try {
    spawnWorkers();
    for (let i = 0; i < running.length; i++) await running[i];
  } finally {
    progress.stop();
  }
  return { outcomes, failures };
}
