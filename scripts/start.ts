// `npm start`: build if needed, prepare the database, serve, and publish snapshots on schedule.
// `--no-build` skips the build check (the test harness builds once before starting servers).
import { createServer } from "node:http";
import { buildIfNeeded, serverEntry } from "./lib/build.ts";
import { serveCachedRead } from "../src/lib/read/api/fast-path.ts";
import { config } from "../src/lib/server/config.ts";
import { closeAllDatabases, database, removeStaleReadOnlyCopies } from "../src/lib/server/db.ts";
import { makeDataFolderPrivate } from "../src/lib/server/data-folder.ts";
import { eraseExpiredRejections } from "../src/lib/write/rejections.ts";
import { scheduleSnapshots } from "../src/lib/write/schedule.ts";
import { API_CSP, COMMON_SECURITY_HEADERS } from "../src/lib/server/security-headers.ts";
import { prepareDatabase } from "../src/lib/write/setup.ts";
import { publishLimited } from "../src/lib/write/publish-limit.ts";
import { SERVER_OPTIONS, limitServer, withBodyLimit } from "../src/lib/server/http-limits.ts";
import { buildSnapshot } from "../src/lib/write/snapshot.ts";
import { loadIssuerKeys } from "../src/lib/write/tokens/issuer-keys.ts";
import { issuerKeysDir } from "../src/lib/write/tokens/privacy-pass.ts";
import { licenseKeyDir, maintainVerifications } from "../src/lib/write/tokens/verifications.ts";
import { isStorageFailure } from "../src/lib/server/storage-errors.ts";

type NodeHandler = (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void;

const settings = config();
// Owner-only data (issue 13): modes an older version or a hand copy left open are closed first.
const madePrivate = makeDataFolderPrivate(settings.DATABASE_PATH);
if (madePrivate > 0) console.log(`Made ${madePrivate} files and folders of the data folder private to this user.`);
removeStaleReadOnlyCopies();
if (!process.argv.includes("--no-build")) {
  try {
    buildIfNeeded();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
const prepared = prepareDatabase(database(), { demo: settings.RATECARD_DEMO === "on", k: settings.RATECARD_K });
if (database().readOnlyDisk) console.log("The database's disk is read-only: serving published snapshots; submissions and deletions get 503.");
if (prepared.demoReportsAdded > 0) console.log(`Added ${prepared.demoReportsAdded} demo reports (source = demo).`);
const rejectedErased = eraseExpiredRejections(database(), settings.RATECARD_REJECTED_RETENTION);
if (rejectedErased > 0) console.log(`Erased ${rejectedErased} rejected reports older than the retention.`);
console.log(
  `Snapshot ${prepared.snapshot.id}${prepared.snapshot.isDemo ? " (demo data)" : ""}: ${prepared.snapshot.cellsPublished} cells from ${prepared.snapshot.reportsUsed} reports.`,
);

// The Privacy Pass issuer key of this year is made on first start, not on the first request (issue 12).
if (!database().readOnlyDisk) {
  await loadIssuerKeys(issuerKeysDir());
  const housekeeping = () => {
    try {
      maintainVerifications(database(), licenseKeyDir());
    } catch (error) {
      if (!isStorageFailure(error)) throw error;
    }
  };
  housekeeping();
  setInterval(housekeeping, 3_600_000).unref();
}

// We run the HTTP server ourselves (not the adapter's) so that a URL the adapter cannot decode
// gets our error shape, and a port in use stops the program with a clear line.
process.env.ASTRO_NODE_AUTOSTART = "disabled";
const { handler } = (await import(serverEntry)) as { handler: NodeHandler };

// Methods a WHATWG Request cannot carry: answered here, as Astro would fail on them.
const UNREPRESENTABLE_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const JSON_ERROR_HEADERS = { ...COMMON_SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8", "Content-Security-Policy": API_CSP, "X-Frame-Options": "DENY", "Cache-Control": "no-store" };

const server = createServer(SERVER_OPTIONS, (req, res) => {
  if (UNREPRESENTABLE_METHODS.has(req.method ?? "")) {
    res.writeHead(405, { ...JSON_ERROR_HEADERS, Allow: "GET, HEAD, POST, DELETE, OPTIONS" });
    res.end(JSON.stringify({ ok: false, status: 405, error: `${req.method} is not supported`, errors: [] }));
    return;
  }
  try {
    decodeURI(req.url ?? "/");
  } catch {
    const body = { ok: false, status: 400, error: "The URL is not valid percent-encoding", errors: [{ path: "url", message: "Malformed percent-encoding" }] };
    res.writeHead(400, JSON_ERROR_HEADERS);
    res.end(JSON.stringify(body));
    return;
  }
  // Cached public API reads are answered before Astro runs (docs/decisions/0010).
  if (serveCachedRead(req, res)) return;
  // Bodies above 64 KiB get a 413 here, before Astro reads them (docs/decisions/0023-server-limits.md).
  withBodyLimit(req, res, handler);
});
limitServer(server);
server.on("connect", (_req, socket) => {
  socket.end("HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
});
server.on("error", (error: NodeJS.ErrnoException) => {
  console.error(`Cannot listen on ${settings.HOST}:${settings.PORT} (${error.code ?? error.message})`);
  process.exit(1);
});
server.listen(settings.PORT, settings.HOST, () => {
  console.log(`Server listening on http://${settings.HOST}:${settings.PORT}`);
  if (settings.RATECARD_PUBLIC_ORIGIN !== `http://${settings.HOST}:${settings.PORT}`) console.log(`Public origin: ${settings.RATECARD_PUBLIC_ORIGIN}`);
});

const schedule = scheduleSnapshots(settings.RATECARD_SNAPSHOT_EVERY, () => {
  const published = publishLimited(() => buildSnapshot(database(), { k: settings.RATECARD_K, trigger: "schedule" }));
  if (!published.ok) {
    console.log(`Scheduled snapshot skipped: one was published less than an hour ago.`);
    return;
  }
  console.log(`Snapshot ${published.value.id} published: ${published.value.cellsPublished} cells.`);
});

// Rejected reports past their retention are erased hourly, not only at start.
const rejectionSweep = setInterval(() => {
  try {
    eraseExpiredRejections(database(), settings.RATECARD_REJECTED_RETENTION);
  } catch (error) {
    console.error(`Erasing expired rejected reports failed: ${(error as Error).message}`);
  }
}, 3_600_000);
rejectionSweep.unref();

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.once(signal, () => {
    schedule.stop();
    clearInterval(rejectionSweep);
    // Finish requests in flight, then close the database cleanly.
    server.close(() => {
      closeAllDatabases();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
