// `npm run bench:api [-- --duration 10 --rounds 5 --connections 64 --threads 1 --nginx-workers 1]`:
// loads the built server and nginx (serving the byte-identical answer from a file) with wrk, in the
// same run, on loopback, and prints requests per second, p99 latency and the ratio. Goal: server ≥ 50%
// of nginx, p99 < 20 ms. The two are loaded in alternating rounds, so that other work on the machine
// weighs on both alike; the figures are the medians of the rounds.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildIfNeeded, projectRoot } from "../../scripts/lib/build.ts";
import { exportFilePath, nginxSite, nginxStandalone } from "../../src/lib/read/api/static-export.ts";
import { printBenchJson } from "./bench-json.ts";

// BENCH_TARGET: another cached read to measure (the default is a page of 100 rows, ~60 KB).
const TARGET = process.env.BENCH_TARGET ?? "/api/v1/aggregates.json?cpt=90837";
const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "64" },
    "nginx-workers": { type: "string", default: "1" },
    threads: { type: "string", default: "1" },
    rounds: { type: "string", default: "5" },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const threads = Number(values.threads);
const rounds = Number(values.rounds);
const nginxWorkers = values["nginx-workers"] === "auto" ? "auto" : Number(values["nginx-workers"]);
// To measure a patched server (for example one with the read fast path), point this at its start script.
const serverScript = resolve(process.env.BENCH_SERVER_SCRIPT ?? join(projectRoot, "scripts/start.ts"));

function which(name: string): string | undefined {
  return ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"].map((dir) => join(dir, name)).find(existsSync);
}

/** nginx and wrk from Debian, installed when missing (as root). */
function ensureTools(): { nginx: string; wrk: string } {
  let nginx = which("nginx");
  let wrk = which("wrk");
  if (!nginx || !wrk) {
    console.log("Installing nginx and wrk from Debian (apt-get)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    if (spawnSync("apt-get", ["install", "-y", "nginx", "wrk"], { stdio: "inherit", env }).status !== 0) {
      spawnSync("apt-get", ["update"], { stdio: "inherit", env });
      spawnSync("apt-get", ["install", "-y", "nginx", "wrk"], { stdio: "inherit", env });
    }
    nginx = which("nginx");
    wrk = which("wrk");
  }
  if (!nginx || !wrk) {
    console.error("The benchmark needs nginx and wrk: apt-get install nginx wrk (as root).");
    process.exit(1);
  }
  return { nginx, wrk };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function startBuiltServer(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [serverScript, "--no-build"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_PATH: join(dir, "ratecard.db"), HOST: "127.0.0.1", PORT: String(port), RATECARD_RATE_LIMIT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`The server did not start:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Server listening")) {
        clearTimeout(timer);
        ready(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`The server exited (${code}):\n${output}`));
    });
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${url} did not answer`);
}

type Result = { requestsPerSecond: number; p99Ms: number; errors: string };

function load(wrk: string, url: string, seconds: number): Result {
  const result = spawnSync(wrk, [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--latency", url], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr}`);
  const out = result.stdout;
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)\b/.exec(out);
  if (!rps || !p99) throw new Error(`Could not read wrk's output:\n${out}`);
  const unit = { us: 0.001, ms: 1, s: 1000 }[p99[2] as "us" | "ms" | "s"];
  const errors = [/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[0], /Socket errors: .*/.exec(out)?.[0]].filter(Boolean).join("; ");
  return { requestsPerSecond: Number(rps[1]), p99Ms: Number(p99[1]) * unit, errors };
}

function median(results: Result[]): Result {
  const middle = <T>(values: T[], by: (value: T) => number) => [...values].sort((a, b) => by(a) - by(b))[Math.floor(values.length / 2)]!;
  return {
    requestsPerSecond: middle(results, (r) => r.requestsPerSecond).requestsPerSecond,
    p99Ms: middle(results, (r) => r.p99Ms).p99Ms,
    errors: results.map((r) => r.errors).filter(Boolean).join("; "),
  };
}

const tools = ensureTools();
buildIfNeeded();
const dir = mkdtempSync(join(tmpdir(), "ratecard-bench-api-"));
// nginx's unprivileged worker must be able to read the file it serves: its own folder, since the
// server keeps the database's folder to itself (0700).
const web = mkdtempSync(join(tmpdir(), "ratecard-bench-nginx-"));
chmodSync(web, 0o755);
// What this process writes there is published, as `npm run export` writes it: not under the
// private umask that importing the server's modules sets (src/lib/server/config.ts).
process.umask(0o022);
let server: ChildProcess | undefined;
let nginx: ChildProcess | undefined;
try {
  const [serverPort, nginxPort] = [await freePort(), await freePort()];
  console.log(`Starting the built server (${serverScript.replace(`${projectRoot}/`, "")}) with a fresh demo database…`);
  server = await startBuiltServer(dir, serverPort);
  const serverUrl = `http://127.0.0.1:${serverPort}${TARGET}`;
  const answer = await fetch(serverUrl);
  const body = Buffer.from(await answer.arrayBuffer());
  if (answer.status !== 200) throw new Error(`${TARGET} answered ${answer.status}`);
  const snapshotId = (JSON.parse(body.toString("utf8")) as { snapshot: number }).snapshot;

  const filesDir = join(web, "files");
  const file = exportFilePath(filesDir, new URL(serverUrl));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
  for (const kind of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(web, "tmp", kind), { recursive: true });
  writeFileSync(join(web, "site.conf"), nginxSite({ filesDir, listen: `127.0.0.1:${nginxPort}`, snapshotId }));
  writeFileSync(join(web, "nginx.conf"), nginxStandalone(web, join(web, "site.conf"), nginxWorkers));
  nginx = spawn(tools.nginx, ["-c", join(web, "nginx.conf"), "-g", "daemon off;"], { stdio: "inherit" });
  const nginxUrl = `http://127.0.0.1:${nginxPort}${TARGET}`;
  await waitFor(nginxUrl);
  const fromNginx = Buffer.from(await (await fetch(nginxUrl)).arrayBuffer());
  if (!fromNginx.equals(body)) throw new Error(`nginx does not serve the byte-identical answer; it answered: ${fromNginx.subarray(0, 200).toString()}`);

  console.log(`GET ${TARGET}: ${body.length.toLocaleString("en-US")} bytes, byte-identical from both.`);
  console.log(`wrk: ${threads} thread(s), ${connections} connections, ${rounds} alternating rounds of ${Math.max(1, Math.round(duration / rounds))} s each (after a 2 s warm-up); nginx: ${nginxWorkers} worker process(es).`);
  load(tools.wrk, serverUrl, 2);
  load(tools.wrk, nginxUrl, 2);
  const serverRounds: Result[] = [];
  const nginxRounds: Result[] = [];
  const seconds = Math.max(1, Math.round(duration / rounds));
  for (let round = 0; round < rounds; round++) {
    serverRounds.push(load(tools.wrk, serverUrl, seconds));
    nginxRounds.push(load(tools.wrk, nginxUrl, seconds));
  }
  const serverResult = median(serverRounds);
  const nginxResult = median(nginxRounds);

  const ratio = serverResult.requestsPerSecond / nginxResult.requestsPerSecond;
  const row = (name: string, r: Result) =>
    `${name.padEnd(8)} ${Math.round(r.requestsPerSecond).toLocaleString("en-US").padStart(10)} req/s   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms${r.errors ? `   (${r.errors})` : ""}`;
  const perRound = (results: Result[]) => results.map((r) => `${Math.round(r.requestsPerSecond).toLocaleString("en-US")}/${r.p99Ms.toFixed(1)}`).join("  ");
  console.log(`rounds (req/s / p99 ms): server ${perRound(serverRounds)}`);
  console.log(`                          nginx  ${perRound(nginxRounds)}`);
  console.log("");
  console.log(row("server", serverResult));
  console.log(row("nginx", nginxResult));
  console.log(`ratio    ${(ratio * 100).toFixed(0)}% of nginx's requests/s (goal ≥ 50%): ${ratio >= 0.5 ? "met" : "missed"}`);
  console.log(`p99      server ${serverResult.p99Ms.toFixed(2)} ms (goal < 20 ms): ${serverResult.p99Ms < 20 ? "met" : "missed"}`);
  printBenchJson("api", [
    { name: `GET ${TARGET}, server`, value: Math.round(serverResult.requestsPerSecond), unit: "req/s", goal: "", met: null },
    { name: `GET ${TARGET}, server p99`, value: Number(serverResult.p99Ms.toFixed(2)), unit: "ms", goal: "< 20 ms", met: serverResult.p99Ms < 20 },
    { name: `GET ${TARGET}, same bytes from nginx`, value: Math.round(nginxResult.requestsPerSecond), unit: "req/s", goal: "", met: null },
    { name: "server / nginx requests per second", value: Math.round(ratio * 100), unit: "%", goal: "≥ 50%", met: ratio >= 0.5 },
  ]);
} finally {
  nginx?.kill("SIGQUIT");
  server?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
  rmSync(web, { recursive: true, force: true });
}
