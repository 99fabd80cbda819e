// The tables of a release: one list that the Data Package, the per-snapshot CSV files and any
// other release format read. Each table's columns come from its zod schema (the registry that
// describes the OpenAPI document), so a column is named, typed and described once.
// To publish another table (e.g. payer rates), add one entry to releaseTables().
import { z } from "zod";
import {
  apiDocs, PAYER_RATE_COLUMNS, payerRateSchema, type PayerRateRow, PUBLISHED_COLUMNS, publishedCellSchema, REFERENCE_TABLES, referenceResponseSchemas, type ReferenceTable,
} from "../../schemas/api.ts";
import type { Db } from "../../server/db.ts";
import { csvLine, type CsvValue } from "../api/csv.ts";
import { allCells } from "../api/changelog.ts";
import { publishedRow, rowAsArray } from "../api/rows.ts";
import { allShares, payerRatesIn, type Snapshot } from "../published.ts";
import { publishedTakeOf } from "../payer-rates.ts";
import { payerRateRow } from "../api/payer-rate-rows.ts";
import { publishedShareSchema } from "./schemas.ts";
import { snapshotReference } from "./reference-copy.ts";

/** A Table Schema field (Table Schema v2). */
export type TableField = {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "array" | "object";
  description?: string;
  constraints?: { required?: boolean; enum?: (string | number)[]; minimum?: number; maximum?: number; pattern?: string };
};

export type ReleaseTable = {
  /** Resource name in the Data Package and table name in the SQLite download: [a-z0-9_]+. */
  name: string;
  title: string;
  description: string;
  /** Path of its CSV below /api/v1/snapshots/{id}/. */
  path: string;
  fields: TableField[];
  primaryKey?: string[];
  /** The rows, each an array in field order, as JSON values (arrays and objects as they are). */
  rows: () => Iterable<unknown[]>;
};

type JsonSchema = {
  type?: string | string[]; anyOf?: JsonSchema[]; enum?: (string | number)[]; minimum?: number; maximum?: number; pattern?: string; minLength?: number;
};

const SAFE_BOUND = Number.MAX_SAFE_INTEGER;

/** One column of a zod object as a Table Schema field: type, description from the registry, constraints. */
export function fieldOf(name: string, schema: z.ZodType): TableField {
  const json = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema;
  // A nullable column is either anyOf [value, null] or a type list with "null" in it.
  const branches = json.anyOf ?? [json];
  const typesOf = (branch: JsonSchema) => (Array.isArray(branch.type) ? branch.type : [branch.type]);
  const value = branches.find((branch) => typesOf(branch).some((t) => t !== "null")) ?? {};
  const nullable = branches.some((branch) => typesOf(branch).includes("null"));
  const type = (["string", "integer", "number", "boolean", "array", "object"] as const).find((t) => typesOf(value).includes(t)) ?? "string";
  const constraints: NonNullable<TableField["constraints"]> = {};
  // With missingValues [""], an empty string reads as missing: a free-text column that may be
  // empty cannot be required.
  const mayBeEmpty = type === "string" && !value.enum && !value.pattern && !(value.minLength && value.minLength > 0);
  if (!nullable && !mayBeEmpty) constraints.required = true;
  if (value.enum) constraints.enum = value.enum;
  if (value.minimum !== undefined && Math.abs(value.minimum) < SAFE_BOUND) constraints.minimum = value.minimum;
  if (value.maximum !== undefined && Math.abs(value.maximum) < SAFE_BOUND) constraints.maximum = value.maximum;
  // Table Schema patterns match the whole value, so our anchors are implied.
  if (value.pattern) constraints.pattern = value.pattern.replace(/^\^/, "").replace(/\$$/, "");
  const description = apiDocs.get(schema)?.description;
  return { name, type, ...(description ? { description } : {}), ...(Object.keys(constraints).length > 0 ? { constraints } : {}) };
}

/** The n_band values a snapshot can publish, from its K (rule "Count bands"). */
export function nBandValues(k: number): string[] {
  return [`${k}-9`, "10-19", "20-49", "50+"];
}

function objectFields(schema: z.ZodObject): TableField[] {
  return Object.entries(schema.shape).map(([name, column]) => fieldOf(name, column as z.ZodType));
}

export function aggregatesFields(k: number): TableField[] {
  return PUBLISHED_COLUMNS.map((name) => {
    const field = fieldOf(name, publishedCellSchema.shape[name]);
    if (name !== "n_band") return field;
    const { pattern: _pattern, ...constraints } = field.constraints ?? {};
    return { ...field, constraints: { ...constraints, enum: nBandValues(k) } };
  });
}

function referenceRowSchema(table: ReferenceTable): z.ZodObject {
  return ((referenceResponseSchemas[table] as z.ZodObject).shape.rows as z.ZodArray<z.ZodObject>).element;
}

const REFERENCE_KEYS: Record<ReferenceTable, string[]> = {
  "cpt-codes": ["code"], payers: ["slug"], platforms: ["slug"], states: ["code"], "license-types": ["slug"], "medicare-rates": ["cpt", "year"],
};

const REFERENCE_TITLES: Record<ReferenceTable, string> = {
  "cpt-codes": "CPT codes, with our own plain-language labels",
  payers: "Payers (insurers and public programs)",
  platforms: "Platforms, their fee models and disclosed owners, with sources",
  states: "States with their census divisions and regions",
  "license-types": "License types and their groups",
  "medicare-rates": "Medicare national non-facility amounts per CPT code and year (CMS)",
};

export const referenceTableName = (table: ReferenceTable): string => table.replaceAll("-", "_");

/**
 * Every table published with a snapshot, in release order. Reference tables are listed only when
 * the snapshot kept its copy of them (snapshots published before copies were kept have none).
 */
export function releaseTables(db: Db, snapshot: Snapshot): ReleaseTable[] {
  const tables: ReleaseTable[] = [
    {
      name: "aggregates",
      title: "Published cells: pay percentiles from banded amounts",
      description: "One row per published cell (DESIGN.md \"Published cell\"); an empty dimension means all. The same rows as aggregates.json.",
      path: "aggregates.csv",
      fields: aggregatesFields(snapshot.k),
      rows: function* () {
        const takeOf = publishedTakeOf(db, snapshot);
        for (const cell of allCells(db, snapshot.id)) yield rowAsArray(publishedRow(cell, null, takeOf(cell)));
      },
    },
    {
      name: "shares",
      title: "Platform-experience shares (randomized response, debiased)",
      description: "Per platform (or all) and question: the debiased share answering yes, as a whole percent with its 95% margin; only with 20 or more answers.",
      path: "shares.csv",
      fields: objectFields(publishedShareSchema),
      primaryKey: ["platform", "question"],
      rows: function* () {
        for (const share of allShares(db, snapshot.id)) yield [share.platform, share.question, share.n, share.sharePct, share.marginPct];
      },
    },
  ];
  tables.push(payerRatesTable(db, snapshot));
  const copy = snapshotReference(db, snapshot.id);
  if (copy) {
    for (const table of REFERENCE_TABLES) {
      const schema = referenceRowSchema(table);
      const columns = Object.keys(schema.shape);
      tables.push({
        name: referenceTableName(table),
        title: REFERENCE_TITLES[table],
        description: `Reference data as this snapshot was built with it (the same rows as /api/v1/reference/${table}.json then).`,
        path: `reference/${table}.csv`,
        fields: objectFields(schema),
        primaryKey: REFERENCE_KEYS[table],
        rows: () => (copy[table] as Record<string, unknown>[]).map((row) => columns.map((column) => row[column] ?? null)),
      });
    }
  }
  return tables;
}

const LIST_DELIMITER = ";";

/**
 * Insurer-published rates of the snapshot, the same rows as payer-rates.csv: list columns joined
 * by ";", dollars exactly as published. Demo snapshots have none. The list columns are Table
 * Schema strings, not type "list": the official v2.0 profile (the $schema we declare) has no
 * "list" type, so a descriptor using it would not validate (upstream added it to the profiles
 * only for 2.1: frictionlessdata/datapackage#1070).
 */
export function payerRateFields(): TableField[] {
  return objectFields(payerRateSchema).map((field): TableField => (field.type === "array" ? { ...field, type: "string" } : field));
}

/** A payer-rate row with its list columns `;`-joined, as payer-rates.csv writes them. */
export function joinedPayerRateRow(row: PayerRateRow): Record<string, unknown> {
  return Object.fromEntries(PAYER_RATE_COLUMNS.map((column) => {
    const value = row[column];
    return [column, Array.isArray(value) ? value.join(LIST_DELIMITER) : value];
  }));
}

function payerRatesTable(db: Db, snapshot: Snapshot): ReleaseTable {
  const fields = payerRateFields();
  return {
    name: "payer_rates",
    title: "Insurer-published (Transparency in Coverage) rates of the snapshot's platforms",
    description: "One row per published insurer rate, exactly as the insurer's file states it; never combined with reported pay. The same rows as payer-rates.csv and payer-rates.json.",
    path: "payer-rates.csv",
    fields,
    rows: function* () {
      for (const rate of payerRatesIn(db, snapshot.id)) {
        const row = joinedPayerRateRow(payerRateRow(snapshot.id, rate));
        yield PAYER_RATE_COLUMNS.map((column) => row[column]);
      }
    },
  };
}

/** A release value as a CSV field: arrays and objects as JSON (Table Schema types array/object). */
export function csvValueOf(value: unknown): CsvValue {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : (value as CsvValue);
}

export function tableCsv(table: ReleaseTable): string {
  const lines = [csvLine(table.fields.map((field) => field.name))];
  for (const row of table.rows()) lines.push(csvLine(row.map(csvValueOf)));
  return lines.join("");
}
