// The SQLite download of a snapshot: the release tables (the Data Package's resources, same names
// and columns, aggregates with code labels) and a metadata table, written into a NEW, EMPTY file
// from the snapshot file and its reference copy — never a copy of the main database, whose free
// pages may hold reports. Files live beside the snapshot files; the latest KEEP_SQLITE_DOWNLOADS
// are kept, older ones are rebuilt when asked for. Tables are created from the release's field
// lists, so this is raw SQL by necessity (drizzle's builder needs tables known at compile time).
import Database from "better-sqlite3";
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { snapshotsDirOf, type Db } from "../../server/db.ts";
import { listSnapshots, type Snapshot } from "../published.ts";
import { DATA_LICENSE, citedSnapshot } from "./citation.ts";
import { snapshotReference } from "./reference-copy.ts";
import { releaseTables, type ReleaseTable, type TableField } from "./tables.ts";

export const KEEP_SQLITE_DOWNLOADS = 30;

export function sqliteDownloadFileName(id: number): string {
  return `snapshot-${id}.sqlite`;
}

const SQL_TYPES: Record<TableField["type"], string> = {
  string: "TEXT", integer: "INTEGER", number: "REAL", boolean: "INTEGER", array: "TEXT", object: "TEXT",
};

/** Columns the aggregates table adds to aggregates.csv: the names of its codes. */
export const AGGREGATE_LABELS = ["cpt_label", "geo_name", "platform_name", "payer_name", "license_name"] as const;

/** The filters readers use (docs/api.md "Filters"), each an index. */
const AGGREGATE_INDEXES = [["cpt"], ["geo_level", "geo"], ["channel"], ["platform"], ["payer"], ["license_level", "license"], ["modality"], ["year_window"]];

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

function sqlValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "object") return JSON.stringify(value);
  return value;
}

type Labels = (row: unknown[]) => (string | null)[];

/** Code → name lookups from the snapshot's own reference copy. */
function aggregateLabels(db: Db, snapshot: Snapshot, fields: TableField[]): Labels {
  const copy = snapshotReference(db, snapshot.id);
  const cpt = new Map(copy?.["cpt-codes"].map((row) => [row.code, row.label]) ?? []);
  const platform = new Map(copy?.platforms.map((row) => [row.slug, row.name]) ?? []);
  const payer = new Map(copy?.payers.map((row) => [row.slug, row.name]) ?? []);
  const state = new Map(copy?.states.map((row) => [row.code, row.name]) ?? []);
  const division = new Map(copy?.states.map((row) => [row.division, row.division_name]) ?? []);
  const license = new Map([
    ...(copy?.["license-types"].map((row) => [row.slug, row.name] as const) ?? []),
    ...(copy?.["license-types"].map((row) => [row.group, row.group_name] as const) ?? []),
  ]);
  const at = (name: string) => fields.findIndex((field) => field.name === name);
  const [iCpt, iLevel, iGeo, iPlatform, iPayer, iLicense] = ["cpt", "geo_level", "geo", "platform", "payer", "license"].map(at) as number[];
  return (row) => {
    const geo = row[iGeo!] as string;
    const level = row[iLevel!];
    return [
      cpt.get(row[iCpt!] as string) ?? null,
      level === "national" ? "United States" : (level === "state" ? state.get(geo) : division.get(geo)) ?? null,
      row[iPlatform!] === null ? null : platform.get(row[iPlatform!] as string) ?? null,
      row[iPayer!] === null ? null : payer.get(row[iPayer!] as string) ?? null,
      row[iLicense!] === null ? null : license.get(row[iLicense!] as string) ?? null,
    ];
  };
}

function createTable(file: Database.Database, table: ReleaseTable, extra: readonly string[]): void {
  const columns = [
    ...table.fields.map((field) => `${quoted(field.name)} ${SQL_TYPES[field.type]}${field.constraints?.required ? " NOT NULL" : ""}`),
    ...extra.map((name) => `${quoted(name)} TEXT`),
    ...(table.primaryKey ? [`PRIMARY KEY (${table.primaryKey.map(quoted).join(", ")})`] : []),
  ];
  file.exec(`CREATE TABLE ${quoted(table.name)} (${columns.join(", ")})`);
}

/** Writes the download of a snapshot into `path`, which must not exist. */
export function writeSqliteDownload(db: Db, snapshot: Snapshot, origin: string, path: string): void {
  const file = new Database(path);
  try {
    file.pragma("journal_mode = OFF");
    file.pragma("synchronous = OFF");
    const tables = releaseTables(db, snapshot);
    file.transaction(() => {
      for (const table of tables) {
        const isAggregates = table.name === "aggregates";
        const extra = isAggregates ? AGGREGATE_LABELS : [];
        createTable(file, table, extra);
        const width = table.fields.length + extra.length;
        const insert = file.prepare(`INSERT INTO ${quoted(table.name)} VALUES (${Array.from({ length: width }, () => "?").join(", ")})`);
        const labels = isAggregates ? aggregateLabels(db, snapshot, table.fields) : () => [];
        for (const row of table.rows()) insert.run(...row.map(sqlValue), ...labels(row));
        if (isAggregates) {
          for (const columns of AGGREGATE_INDEXES) {
            file.exec(`CREATE INDEX ${quoted(`aggregates_${columns.join("_")}`)} ON aggregates (${columns.map(quoted).join(", ")})`);
          }
        }
      }
      const cited = citedSnapshot(snapshot, origin);
      file.exec("CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      const meta = file.prepare("INSERT INTO metadata VALUES (?, ?)");
      for (const [key, value] of [
        ["snapshot_id", String(snapshot.id)],
        ["created", snapshot.createdAt],
        ["title", cited.title],
        ["is_demo", snapshot.isDemo ? "true" : "false"],
        ["rules_version", snapshot.rulesVersion],
        ["k", String(snapshot.k)],
        ["license", DATA_LICENSE.id],
        ["license_url", DATA_LICENSE.path],
        ["methodology_url", `${origin}/methodology`],
        ["datapackage_url", cited.url],
        ["tables", tables.map((table) => table.name).join(",")],
      ] as const) meta.run(key, value);
    })();
    file.exec("ANALYZE");
  } finally {
    file.close();
  }
}

/**
 * The path of a snapshot's download, building it first when it is missing (into a temporary
 * file renamed into place), then removing downloads older than the latest KEEP_SQLITE_DOWNLOADS.
 */
export function sqliteDownload(db: Db, snapshot: Snapshot, origin: string): string {
  const dir = snapshotsDirOf(db.$client);
  const path = join(dir, sqliteDownloadFileName(snapshot.id));
  if (existsSync(path)) return path;
  const temporary = join(dir, `building-${process.pid}-${snapshot.id}-${Date.now()}.sqlite`);
  try {
    writeSqliteDownload(db, snapshot, origin, temporary);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
  pruneSqliteDownloads(db, snapshot.id);
  return path;
}

/** Keeps the downloads of the latest KEEP_SQLITE_DOWNLOADS snapshots, and of `also` (one just asked for). */
export function pruneSqliteDownloads(db: Db, also?: number): void {
  const dir = snapshotsDirOf(db.$client);
  const keep = new Set(listSnapshots(db).slice(0, KEEP_SQLITE_DOWNLOADS).map((s) => sqliteDownloadFileName(s.id)));
  if (also !== undefined) keep.add(sqliteDownloadFileName(also));
  for (const name of readdirSync(dir)) {
    if (/^snapshot-\d+\.sqlite$/.test(name) && !keep.has(name)) rmSync(join(dir, name), { force: true });
  }
}

/** Datasette's metadata.json for the download (https://docs.datasette.io/en/stable/metadata.html). */
export function datasetteMetadata(db: Db, snapshot: Snapshot, origin: string, databaseName: string): Record<string, unknown> {
  const cited = citedSnapshot(snapshot, origin);
  const tables = releaseTables(db, snapshot);
  return {
    title: cited.title,
    description: `The published tables of Ratecard snapshot ${snapshot.id}. Methodology: ${origin}/methodology`,
    license: DATA_LICENSE.title,
    license_url: DATA_LICENSE.path,
    source: `Ratecard snapshot ${snapshot.id} (Data Package)`,
    source_url: cited.url,
    databases: {
      [databaseName]: {
        tables: Object.fromEntries([
          ...tables.map((table) => [table.name, {
            title: table.title,
            description: table.description,
            columns: Object.fromEntries([
              ...table.fields.map((field) => [field.name, field.description ?? ""]),
              ...(table.name === "aggregates" ? AGGREGATE_LABELS.map((name) => [name, `Name of the ${name.replace(/_(label|name)$/, "")} code, from the snapshot's reference tables.`]) : []),
            ]),
          }]),
          ["metadata", { title: "About this file", description: "Snapshot id, date, licence and methodology link." }],
        ]),
      },
    },
  };
}
