// `npm run export -- --out DIR [--origin URL] [--listen ADDR] [--all-snapshots] [--filters cpt,state]`:
// writes the read API of the current snapshot as static files, plus an nginx configuration that
// serves them with the API's headers (docs/deploy.md).
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { resolve, dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { currentSnapshot } from "../src/lib/read/api/cache.ts";
import { answerRead, EXPORTED_FILTERS, exportFilePath, exportStartUrls, nginxSite, nginxStandalone, type ExportedFilter } from "../src/lib/read/api/static-export.ts";
import { closeDatabase, database } from "../src/lib/server/db.ts";
import { publicOrigin } from "../src/lib/read/release/origin.ts";
import { datasetteMetadata, sqliteDownload } from "../src/lib/read/release/sqlite-download.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    origin: { type: "string" },
    listen: { type: "string", default: "8080" },
    "all-snapshots": { type: "boolean", default: false },
    filters: { type: "string", default: EXPORTED_FILTERS.join(",") },
  },
});

function stop(message: string): never {
  console.error(message);
  process.exit(1);
}

if (!values.out) stop("Usage: npm run export -- --out DIR [--origin http://127.0.0.1:4321] [--listen 8080] [--all-snapshots] [--filters cpt,state,…]");
const filters = values.filters.split(",").map((f) => f.trim()).filter(Boolean);
const unknown = filters.filter((f) => !(EXPORTED_FILTERS as readonly string[]).includes(f));
if (unknown.length > 0) stop(`Unknown filter ${unknown.join(", ")}; choose from ${EXPORTED_FILTERS.join(", ")}`);

const out = resolve(values.out);
const filesDir = join(out, "files");
const { db } = database();
const snapshot = currentSnapshot(db);
if (!snapshot) stop("No snapshot has been published yet: run `npm run snapshot` (or `npm start`) first.");

const started = performance.now();
rmSync(filesDir, { recursive: true, force: true });
let files = 0;
let bytes = 0;
const queue = exportStartUrls(db, snapshot, { filters: filters as ExportedFilter[], allSnapshots: values["all-snapshots"] });
const seen = new Set<string>();
while (queue.length > 0) {
  const path = queue.shift()!;
  if (seen.has(path)) continue;
  seen.add(path);
  const url = new URL(path, "http://export.invalid");
  const response = answerRead(url);
  if (!response || response.status !== 200) stop(`${path} answered ${response?.status ?? "nothing"}: ${response ? await response.text() : ""}`);
  const body = Buffer.from(await response.arrayBuffer());
  const file = exportFilePath(filesDir, url);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, body);
  files++;
  bytes += body.length;
  if (response.headers.get("content-type")?.startsWith("application/json")) {
    const next = (JSON.parse(body.toString("utf8")) as { next_url?: string | null }).next_url;
    if (next) queue.push(next);
  }
}

// The current snapshot's SQLite download with Datasette's metadata beside it: `datasette DIR/datasette/ratecard.sqlite -m DIR/datasette/metadata.json`.
const datasetteDir = join(out, "datasette");
mkdirSync(datasetteDir, { recursive: true });
copyFileSync(sqliteDownload(db, snapshot, publicOrigin()), join(datasetteDir, "ratecard.sqlite"));
writeFileSync(join(datasetteDir, "metadata.json"), `${JSON.stringify(datasetteMetadata(db, snapshot, publicOrigin(), "ratecard"), null, 2)}\n`);

writeFileSync(join(out, "nginx-site.conf"), nginxSite({ filesDir, listen: values.listen, snapshotId: snapshot.id, origin: values.origin }));
for (const kind of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(out, "tmp", kind), { recursive: true });
writeFileSync(join(out, "nginx.conf"), nginxStandalone(out, join(out, "nginx-site.conf")));
closeDatabase();
console.log(`Exported snapshot ${snapshot.id}${snapshot.isDemo ? " (demo data)" : ""}: ${files} answers, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
console.log(`Files: ${filesDir}`);
console.log(`SQLite for Datasette: datasette ${join(datasetteDir, "ratecard.sqlite")} -m ${join(datasetteDir, "metadata.json")}`);
console.log(`nginx: include ${join(out, "nginx-site.conf")} in your http {} block, or run \`nginx -c ${join(out, "nginx.conf")}\` (listens on ${values.listen}).`);
