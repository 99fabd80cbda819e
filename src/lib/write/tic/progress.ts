// Progress of an import: a bar redrawn in place on a terminal, a plain line every few seconds otherwise.
export type JobProgress = { read: number; total: number | null; decoded: number };

export type ProgressSink = { write(text: string): unknown; isTTY?: boolean };

const MB = 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes >= 1024 * MB ? `${(bytes / 1024 / MB).toFixed(2)} GB` : `${(bytes / MB).toFixed(1)} MB`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** One line: files done, bytes read of the total when known, MB/s of JSON, ETA and rates kept. */
export function progressLine(p: { done: number; files: number; read: number; total: number | null; decoded: number; seconds: number; ratesKept: number; width?: number }): string {
  const rate = p.seconds > 0 ? p.decoded / MB / p.seconds : 0;
  const share = p.total ? Math.min(1, p.read / p.total) : null;
  const eta = share !== null && share > 0 ? (p.seconds / share) * (1 - share) : Number.NaN;
  const bytes = p.total ? `${formatBytes(p.read)} of ${formatBytes(p.total)}` : `${formatBytes(p.read)} read`;
  const text = `files ${p.done}/${p.files}  ${bytes}  ${rate.toFixed(0)} MB/s of JSON  ETA ${share === null ? "?" : formatSeconds(eta)}  ${p.ratesKept.toLocaleString("en-US")} rates kept`;
  if (p.width === undefined || share === null) return text;
  const filled = Math.round(share * p.width);
  return `[${"#".repeat(filled)}${"-".repeat(p.width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${text}`;
}

export class ImportProgress {
  private readonly sink: ProgressSink;
  private readonly started = performance.now();
  private readonly jobs = new Map<number, JobProgress>();
  private finishedRead = 0;
  private finishedTotal = 0;
  private finishedDecoded = 0;
  private timer: NodeJS.Timeout | undefined;
  files = 0;
  done = 0;
  ratesKept = 0;

  constructor(sink: ProgressSink, intervalMs = sink.isTTY ? 200 : 5000) {
    this.sink = sink;
    this.timer = setInterval(() => this.draw(), intervalMs);
    this.timer.unref();
  }

  update(job: number, progress: JobProgress): void {
    this.jobs.set(job, progress);
  }

  finish(job: number): void {
    const p = this.jobs.get(job);
    if (p) {
      this.finishedRead += p.read;
      this.finishedTotal += p.total ?? p.read;
      this.finishedDecoded += p.decoded;
      this.jobs.delete(job);
    }
    this.done++;
  }

  /** A message of its own line (a file's outcome), without breaking the bar. */
  log(line: string): void {
    this.sink.write(this.sink.isTTY ? `\r\x1b[K${line}\n` : `${line}\n`);
  }

  private snapshot() {
    let read = this.finishedRead;
    let decoded = this.finishedDecoded;
    let total: number | null = this.finishedTotal;
    for (const p of this.jobs.values()) {
      read += p.read;
      decoded += p.decoded;
      total = total === null || p.total === null ? null : total + p.total;
    }
    return { done: this.done, files: this.files, read, total, decoded, seconds: (performance.now() - this.started) / 1000, ratesKept: this.ratesKept };
  }

  private draw(): void {
    if (this.jobs.size === 0) return;
    const line = progressLine({ ...this.snapshot(), ...(this.sink.isTTY ? { width: 24 } : {}) });
    this.sink.write(this.sink.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.sink.isTTY) this.sink.write("\r\x1b[K");
  }
}
