// Erasure that reaches the disk: after a report is deleted, its bytes must leave the WAL too.
// A checkpoint cannot reset the WAL while another connection reads (a snapshot build, a backup,
// an export), so an unfinished one is retried until the reader is gone.
import type Database from "better-sqlite3";

type CheckpointRow = { busy: number; log: number; checkpointed: number };

export const ERASURE_RETRY_MS = 200;

const pending = new Map<Database.Database, ReturnType<typeof setInterval>>();

/**
 * One attempt to move the WAL into the main file and truncate it, without waiting on readers
 * (busy_timeout would block the server for its whole length). True when the WAL is empty.
 */
export function checkpointTruncate(sqlite: Database.Database): boolean {
  if (!sqlite.open) return true;
  const timeout = sqlite.pragma("busy_timeout", { simple: true }) as number;
  sqlite.pragma("busy_timeout = 0");
  try {
    const [row] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as CheckpointRow[];
    // busy = 0 and an empty log: every frame, the erased report's included, is gone from the WAL.
    return row !== undefined && row.busy === 0 && row.log <= 0;
  } catch {
    return false;
  } finally {
    sqlite.pragma(`busy_timeout = ${timeout}`);
  }
}

/** Checkpoints now, or keeps trying every ERASURE_RETRY_MS until it succeeds. True when done now. */
export function finishErasure(sqlite: Database.Database): boolean {
  if (sqlite.memory) return true;
  if (checkpointTruncate(sqlite)) {
    stopRetrying(sqlite);
    return true;
  }
  if (!pending.has(sqlite)) {
    const timer = setInterval(() => {
      if (checkpointTruncate(sqlite)) stopRetrying(sqlite);
    }, ERASURE_RETRY_MS);
    timer.unref();
    pending.set(sqlite, timer);
  }
  return false;
}

function stopRetrying(sqlite: Database.Database): void {
  const timer = pending.get(sqlite);
  if (timer) clearInterval(timer);
  pending.delete(sqlite);
}

/** Whether an erasure on this connection still waits for a reader to finish. */
export function erasurePending(sqlite: Database.Database): boolean {
  return pending.has(sqlite);
}
