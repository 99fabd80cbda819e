// Starts the real server (`node scripts/start.ts`) on a free port with its own temporary database.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const PROJECT_ROOT = resolve(import.meta.dirname, "../..");

export type StartServerOptions = {
  /** Extra environment, applied over the defaults (DATABASE_PATH, HOST, PORT, RATECARD_RATE_LIMIT=0). */
  env?: Record<string, string>;
  /** Use this database file instead of one in a fresh temporary folder. */
  dbPath?: string;
  /** Keep the temporary folder after stop() (for debugging). */
  keep?: boolean;
  /** Milliseconds to wait for "Server listening"; 60 s by default. */
  timeoutMs?: number;
};

export type RunningServer = {
  url: string;
  port: number;
  dbPath: string;
  dataDir: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. Removes the temp folder. */
  stop(): Promise<void>;
  kill(signal?: NodeJS.Signals): boolean;
};

/** A port that was free a moment ago: listen on port 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") {
        server.close();
        reject(new Error("Could not read the port"));
        return;
      }
      const { port } = address;
      server.close(() => resolvePort(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveExit) => child.once("exit", () => resolveExit()));
}

export class ServerStartError extends Error {
  readonly output: string;
  readonly exitCode: number | null;
  constructor(message: string, output: string, exitCode: number | null) {
    super(`${message} Output:\n${output}`);
    this.output = output;
    this.exitCode = exitCode;
  }
}

/** Servers still running, killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  // Another process may take the port between freePort() and listen(); then try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (error) {
      const portTaken = error instanceof ServerStartError && error.output.includes("EADDRINUSE");
      if (attempt >= 3 || !portTaken) throw error;
    }
  }
}

async function startOnce(options: StartServerOptions, port: number): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "ratecard-test-"));
  const dbPath = options.dbPath ?? join(dataDir, "ratecard.db");
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_PATH: dbPath,
    HOST: "127.0.0.1",
    PORT: String(port),
    RATECARD_RATE_LIMIT: "0",
    ...options.env,
  };
  // The node process itself (not npm), so that signals reach the server.
  const child = spawn(process.execPath, [join(PROJECT_ROOT, "scripts/start.ts"), "--no-build"], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  const chunks: string[] = [];
  const output = () => chunks.join("");
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => chunks.push(chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => chunks.push(chunk));

  let removed = false;
  const cleanUp = () => {
    if (removed || options.keep) return;
    removed = true;
    rmSync(dataDir, { recursive: true, force: true });
  };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const done = exited(child);
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await done;
      clearTimeout(timer);
    }
    cleanUp();
  };

  const timeoutMs = options.timeoutMs ?? 60_000;
  try {
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => {
        finish();
        fail(new ServerStartError(`The server did not start within ${timeoutMs / 1000} s.`, output(), null));
      }, timeoutMs);
      const onData = () => {
        if (output().includes("Server listening")) {
          finish();
          ready();
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        finish();
        fail(new ServerStartError(`The server exited (code ${code}, signal ${signal}) before listening.`, output(), code));
      };
      const finish = () => {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        child.stderr!.off("data", onData);
        child.off("exit", onExit);
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", onExit);
      onData();
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dbPath,
    dataDir,
    output,
    stop,
    kill: (signal: NodeJS.Signals = "SIGTERM") => child.kill(signal),
  };
}
