// The public read API's schemas: query parameters (parsed by the routes) and response bodies
// (checked by the contract tests); the OpenAPI document is generated from exactly these.
import { z } from "zod";
import {
  CHANNELS, CONTRACT_HOLDERS, CPT_PATTERN, DIVISIONS, GEO_LEVELS, LICENSE_GROUPS, LICENSE_LEVELS, LICENSES, MODALITIES, SLUG_PATTERN, STATES,
  YEAR_WINDOW_PATTERN,
} from "./codes.ts";
import { reportSubmissionSchema } from "./report.ts";

/** Descriptions and component names for the OpenAPI document (src/lib/read/api/openapi.ts). */
export type ApiDoc = { id?: string; description?: string; examples?: unknown[] };
export const apiDocs = z.registry<ApiDoc>();

function doc<T extends z.ZodType>(schema: T, meta: ApiDoc): T {
  apiDocs.add(schema, meta);
  return schema;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

const isConsecutiveWindow = (value: string) => {
  const [, first, last] = YEAR_WINDOW_PATTERN.exec(value) ?? [];
  return last === undefined || Number(last) === Number(first) + 1;
};

// ---- query parameters ----

/** Filters: plain parameters that match published rows exactly (DESIGN.md "Filters"). */
export const filterParams = {
  cpt: doc(z.string().regex(CPT_PATTERN, { error: "cpt must be a CPT code like 90837" }), {
    description: "CPT code. See /api/v1/reference/cpt-codes.json.", examples: ["90837"],
  }),
  state: doc(z.enum(STATES, { error: "state must be a USPS two-letter code in capitals, like OR (or DC)" }), {
    description: "State rows of this state (geo_level=state, geo=the code).", examples: ["OR"],
  }),
  division: doc(z.enum(DIVISIONS, { error: `division must be one of ${DIVISIONS.join(", ")}` }), {
    description: "Census-division rows of this division (geo_level=division).", examples: ["pacific"],
  }),
  geo_level: doc(z.enum(GEO_LEVELS, { error: "geo_level must be state, division or national" }), {
    description: "Rows of one geographic level; geo_level=national is the whole nation (geo=US).", examples: ["national"],
  }),
  channel: doc(z.enum([...CHANNELS, "all"], { error: `channel must be one of ${[...CHANNELS, "all"].join(", ")}` }), {
    description: "How therapists are paid; `all` matches the rows aggregated over every channel.", examples: ["platform"],
  }),
  platform: doc(z.string().regex(SLUG_PATTERN, { error: "platform must be a lowercase slug like grow-therapy, or all" }), {
    description: "Platform slug (see /api/v1/reference/platforms.json); `all` matches rows over every platform.", examples: ["alma"],
  }),
  payer: doc(z.string().regex(SLUG_PATTERN, { error: "payer must be a lowercase slug like optum-uhc, or all" }), {
    description: "Payer slug (see /api/v1/reference/payers.json); `all` matches rows over every payer.", examples: ["cigna"],
  }),
  license: doc(z.enum([...LICENSES, "all"], { error: `license must be one of ${[...LICENSES, "all"].join(", ")}` }), {
    description: "License rows (license_level=license); `all` matches the rows over every license (license_level=all).", examples: ["lpc"],
  }),
  license_group: doc(z.enum(LICENSE_GROUPS, { error: `license_group must be one of ${LICENSE_GROUPS.join(", ")}` }), {
    description: "License-group rows (license_level=group, license=the group).", examples: ["masters"],
  }),
  modality: doc(z.enum([...MODALITIES, "all"], { error: "modality must be in_person, telehealth or all" }), {
    description: "Session modality; `all` matches rows over both.", examples: ["telehealth"],
  }),
  year: doc(
    z.string()
      .regex(YEAR_WINDOW_PATTERN, { error: "year must be a year like 2025 or two consecutive years like 2024-2025" })
      .refine(isConsecutiveWindow, { error: "year must be one year or two consecutive years, like 2024-2025" }),
    { description: "Year window of the rates: one year or two consecutive years.", examples: ["2025", "2024-2025"] },
  ),
};

const pageSize = doc(
  z.union([z.literal("max"), z.coerce.number().int({ error: "_size must be a whole number" }).min(1, { error: "_size must be at least 1" }).max(MAX_PAGE_SIZE, { error: `_size must be at most ${MAX_PAGE_SIZE}` })], {
    error: `_size must be a whole number from 1 to ${MAX_PAGE_SIZE}, or max`,
  }).transform((value) => (value === "max" ? MAX_PAGE_SIZE : value)),
  { description: `Rows per page: 1 to ${MAX_PAGE_SIZE} (or \`max\`); ${DEFAULT_PAGE_SIZE} by default.`, examples: ["500"] },
);
const nextCursor = doc(z.string().min(1).max(512, { error: "_next is not a cursor from this API" }), {
  description: "Opaque cursor from a previous page's `next`; valid only with the same filters and snapshot.",
});
const shape = doc(z.enum(["objects", "arrays", "array"], { error: "_shape must be objects, arrays or array" }), {
  description: "`objects` (default): each row an object; `arrays`: each row an array in the order of `columns`; `array` (as Datasette): the body is a bare array of row objects, the next page's URL in the `Link` header.",
});
const fallback = doc(z.literal("1", { error: "_fallback takes the value 1" }), {
  description: "Return the first published row along the generalization ladder (state → division → nation, license → group → all, modality → all), with a note. Needs cpt, a geography, channel, platform, payer, a license, modality and year.",
});

type FilterValues = { [K in keyof typeof filterParams]?: string | undefined } & { _fallback?: "1" | undefined; _next?: string | undefined };

/** Requirements no single parameter can check (DESIGN.md "Filters"). */
function checkFilterCombination(query: FilterValues, ctx: z.RefinementCtx): void {
  if (query.state && query.division) ctx.addIssue({ code: "custom", path: ["division"], message: "Give state or division, not both" });
  if (query.geo_level && query.state && query.geo_level !== "state") ctx.addIssue({ code: "custom", path: ["geo_level"], message: "state=… means geo_level=state" });
  if (query.geo_level && query.division && query.geo_level !== "division") ctx.addIssue({ code: "custom", path: ["geo_level"], message: "division=… means geo_level=division" });
  if (query.license && query.license_group) ctx.addIssue({ code: "custom", path: ["license_group"], message: "Give license or license_group, not both" });
  if (query._fallback === "1") {
    requireWholeCell(query, ctx, "_fallback=1 needs");
    if (query._next) ctx.addIssue({ code: "custom", path: ["_next"], message: "_fallback=1 answers one row; it has no pages" });
  }
}

/** A request that names exactly one cell: every dimension given (`all` counts as given). */
function requireWholeCell(query: FilterValues, ctx: z.RefinementCtx, prefix: string): void {
  const missing = (path: string, what: string) => ctx.addIssue({ code: "custom", path: [path], message: `${prefix} ${what}` });
  if (!query.cpt) missing("cpt", "cpt");
  if (!query.state && !query.division && query.geo_level !== "national") missing("state", "a geography: state, division or geo_level=national");
  if (!query.channel) missing("channel", "channel (or channel=all)");
  if (!query.platform) missing("platform", "platform (or platform=all)");
  if (!query.payer) missing("payer", "payer (or payer=all)");
  if (!query.license && !query.license_group) missing("license", "license, license_group, or license=all");
  if (!query.modality) missing("modality", "modality (or modality=all)");
  if (!query.year) missing("year", "year");
}

const optionalFilters = Object.fromEntries(Object.entries(filterParams).map(([name, schema]) => [name, schema.optional()])) as {
  [K in keyof typeof filterParams]: z.ZodOptional<(typeof filterParams)[K]>;
};

export const aggregatesQuerySchema = z.strictObject({
  ...optionalFilters,
  _size: pageSize.optional(),
  _next: nextCursor.optional(),
  _shape: shape.optional(),
  _fallback: fallback.optional(),
}).superRefine(checkFilterCombination);

/** The CSV twin: the same filters and controls, without _shape (a CSV row is always a row). */
export const aggregatesCsvQuerySchema = z.strictObject({
  ...optionalFilters,
  _size: doc(pageSize.optional(), { description: `Rows per page, 1 to ${MAX_PAGE_SIZE}. Without it, the CSV holds every matching row (a complete download); with it, the next page's URL is in the Link header.` }),
  _next: nextCursor.optional(),
  _fallback: fallback.optional(),
}).superRefine(checkFilterCombination);

export const historyQuerySchema = z.strictObject({
  ...optionalFilters,
  _shape: shape.optional(),
}).superRefine((query, ctx) => {
  checkFilterCombination(query, ctx);
  requireWholeCell(query, ctx, "history.json needs");
});

export const feedQuerySchema = z.strictObject({
  cpt: filterParams.cpt.optional(),
  state: filterParams.state.optional(),
  platform: filterParams.platform.optional(),
});

/** Routes that take no parameter at all still refuse unknown ones. */
export const noQuerySchema = z.strictObject({});

export const snapshotIdSchema = doc(
  z.string().regex(/^[1-9]\d{0,8}$/, { error: "The snapshot id is a whole number like 12" }).transform(Number),
  { description: "Snapshot id, as listed by /api/v1/snapshots.json.", examples: ["12"] },
);

export const REFERENCE_TABLES = ["cpt-codes", "payers", "platforms", "states", "license-types", "medicare-rates"] as const;
export type ReferenceTable = (typeof REFERENCE_TABLES)[number];

export type AggregatesQuery = z.output<typeof aggregatesQuerySchema>;
export type AggregatesCsvQuery = z.output<typeof aggregatesCsvQuerySchema>;
export type HistoryQuery = z.output<typeof historyQuerySchema>;
export type FeedQuery = z.output<typeof feedQuerySchema>;
export type FilterQuery = { [K in keyof typeof filterParams]?: string | undefined };

// ---- response bodies ----

const nullableInt = () => z.int().nullable();
const bandLabel = () => z.string().regex(/^\d+-\d+$/);

/** One published cell: DESIGN.md "Published cell", in that column order (CSV uses the same order). */
export const publishedCellSchema = doc(z.strictObject({
  snapshot: doc(z.int().positive(), { description: "The snapshot this row belongs to; cite it." }),
  cpt: doc(z.string(), { description: "CPT code of the sessions." }),
  geo_level: doc(z.enum(GEO_LEVELS), { description: "state, division or national." }),
  geo: doc(z.string(), { description: "State code, division slug, or US for the nation." }),
  channel: doc(z.enum(CHANNELS).nullable(), { description: "null: all channels." }),
  platform: doc(z.string().nullable(), { description: "null: all platforms (or not paid through a platform)." }),
  payer: doc(z.string().nullable(), { description: "null: all payers." }),
  license_level: doc(z.enum(LICENSE_LEVELS), { description: "license, group or all." }),
  license: doc(z.string().nullable(), { description: "License slug (license_level=license), group slug (group), or null (all)." }),
  modality: doc(z.enum([...MODALITIES, "all"]), { description: "in_person, telehealth, or all (both)." }),
  year_window: doc(z.string().regex(YEAR_WINDOW_PATTERN), { description: "Effective year of the rates: one year or two consecutive years." }),
  n: doc(z.int().min(10).nullable(), { description: "Distinct reports; null below 10 (see n_band)." }),
  n_band: doc(z.string().regex(/^(\d+-9|10-19|20-49|50\+)$/), { description: "K-9 (5-9 by default), 10-19, 20-49 or 50+." }),
  p10: doc(nullableInt(), { description: "10th percentile of pay, whole dollars from banded amounts; null below 20 reports." }),
  p25: doc(z.int(), { description: "25th percentile of pay, whole dollars, from banded amounts." }),
  p50: doc(z.int(), { description: "Median pay per session, whole dollars, from banded amounts." }),
  p75: doc(z.int(), { description: "75th percentile of pay, whole dollars, from banded amounts." }),
  p90: doc(nullableInt(), { description: "90th percentile of pay, whole dollars; null below 20 reports." }),
  p25_band: doc(bandLabel(), { description: "The pay band p25 falls in." }),
  p50_band: doc(bandLabel(), { description: "The pay band the median falls in, e.g. 90-120." }),
  p75_band: doc(bandLabel(), { description: "The pay band p75 falls in." }),
  p50_share_in_band: doc(z.number().min(0).max(1), { description: "Share of values in the median's band, two decimals." }),
  medicare: doc(z.number().positive().nullable(), { description: "Medicare national non-facility amount (dollars) of the window's latest year." }),
  p50_pct_medicare: doc(nullableInt(), { description: "p50 as a whole percent of medicare." }),
  allowed_p50: doc(nullableInt(), { description: "Median payer amount of platform and group rates; null when fewer than K reports carry one." }),
  take_p50: doc(nullableInt(), { description: "Platform take, whole percent (rule \"Take from medians\"); null when fewer than K reports carry both amounts." }),
  take_low: doc(nullableInt(), { description: "Low end of the take's range (upper edge of the median's band)." }),
  take_high: doc(nullableInt(), { description: "High end of the take's range (lower edge of the median's band)." }),
  published_rate: doc(z.number().positive().nullable(), { description: "The insurer's published rate for this platform, payer, CPT, state (or no state) and modality, from a Transparency in Coverage file dated within the year window (see payer-rates.json); dollars to the cent. Only on cells naming one platform and one payer; null on demo snapshots." }),
  take_published_p50: doc(nullableInt(), { description: "Platform take on the published basis: 1 − p50 / published_rate, whole percent (rule \"Take from medians\"); null without a published_rate." }),
  take_published_low: doc(nullableInt(), { description: "Low end of the published-basis take (upper edge of the median's band)." }),
  take_published_high: doc(nullableInt(), { description: "High end of the published-basis take (lower edge of the median's band)." }),
  note: doc(z.string().nullable(), { description: "Generalization or suppression note (with _fallback=1), else null." }),
}), { id: "PublishedCell", description: "One published cell. null for a dimension means all." });

export type PublishedCellRow = z.output<typeof publishedCellSchema>;
export const PUBLISHED_COLUMNS = Object.keys(publishedCellSchema.shape) as (keyof PublishedCellRow)[];

export const publishedCellArraySchema = doc(
  z.tuple(PUBLISHED_COLUMNS.map((column) => publishedCellSchema.shape[column]) as unknown as [z.ZodType, ...z.ZodType[]]),
  { id: "PublishedCellArray", description: "One published cell as an array, in the order of `columns`." },
);

const nextFields = {
  next: doc(z.string().nullable(), { description: "Cursor for the next page (pass as _next), or null on the last page." }),
  next_url: doc(z.string().nullable(), { description: "Root-relative URL of the next page, or null on the last page." }),
};

export const aggregatesObjectsResponseSchema = doc(z.strictObject({
  ok: z.literal(true),
  snapshot: z.int().positive(),
  rows: z.array(publishedCellSchema),
  ...nextFields,
  note: doc(z.string().nullable().optional(), { description: "With _fallback=1: why nothing, or something more general, is shown." }),
}), { id: "AggregatesResponse" });

export const aggregatesArraysResponseSchema = doc(z.strictObject({
  ok: z.literal(true),
  snapshot: z.int().positive(),
  columns: z.array(z.enum(PUBLISHED_COLUMNS as [string, ...string[]])),
  rows: z.array(publishedCellArraySchema),
  ...nextFields,
  note: z.string().nullable().optional(),
}), { id: "AggregatesArraysResponse" });

export const errorResponseSchema = doc(z.strictObject({
  ok: z.literal(false),
  status: z.int().min(400).max(599),
  error: z.string().min(1),
  errors: z.array(z.strictObject({ path: z.string(), message: z.string() })),
}), { id: "Error", description: "Every error, everywhere." });

export const snapshotChangesSchema = doc(z.strictObject({
  previous_snapshot: z.int().positive().nullable(),
  added: z.int().min(0),
  removed: z.int().min(0),
  changed: z.int().min(0),
  unchanged: z.int().min(0),
}), { id: "SnapshotChanges", description: "Cells added, removed and changed since the previous snapshot (matched by cell)." });

export const snapshotInfoSchema = doc(z.strictObject({
  id: z.int().positive(),
  created_at: z.iso.datetime(),
  is_demo: doc(z.boolean(), { description: "Built from generated demo reports, not real ones." }),
  rules_version: z.string(),
  k: doc(z.int().min(3), { description: "Minimum distinct reports per published cell." }),
  band_edges: doc(z.array(z.int().min(0)), { description: "Pay band edges in dollars; band i is [edges[i], edges[i+1])." }),
  reports_used: z.int().min(0),
  cells_published: z.int().min(0),
  changes: snapshotChangesSchema,
  citation: doc(z.string(), { description: "How to cite it, e.g. \"Ratecard, snapshot 12, 2026-11-24\"." }),
  aggregates_json: z.string(),
  aggregates_csv: z.string(),
}), { id: "SnapshotInfo" });

export type SnapshotInfo = z.output<typeof snapshotInfoSchema>;

export const snapshotsResponseSchema = doc(z.strictObject({
  ok: z.literal(true),
  snapshot: z.int().positive(),
  rows: z.array(snapshotInfoSchema),
  ...nextFields,
}), { id: "SnapshotsResponse" });

/** A history row: the published cell and whether its snapshot was demo data (issue 13 item 17). */
export const historyRowSchema = doc(publishedCellSchema.extend({
  is_demo: doc(z.boolean(), { description: "The row's snapshot was built from generated demo reports; never compare it with a real one." }),
}), { id: "HistoryRow", description: "One cell's published figures in one snapshot." });
export type HistoryRow = z.output<typeof historyRowSchema>;
export const HISTORY_COLUMNS = [...PUBLISHED_COLUMNS, "is_demo"] as const;

export const historyResponseSchema = doc(z.strictObject({
  ok: z.literal(true),
  snapshot: z.int().positive(),
  rows: z.array(historyRowSchema),
  ...nextFields,
}), { id: "HistoryResponse", description: "One cell's published rows, oldest snapshot first; snapshots where it was not published have no row." });

export const historyArraysResponseSchema = doc(z.strictObject({
  ok: z.literal(true),
  snapshot: z.int().positive(),
  columns: z.array(z.enum(HISTORY_COLUMNS as unknown as [string, ...string[]])),
  rows: z.array(doc(
    z.tuple(HISTORY_COLUMNS.map((column) => historyRowSchema.shape[column]) as unknown as [z.ZodType, ...z.ZodType[]]),
    { id: "HistoryRowArray", description: "One history row as an array, in the order of `columns`." },
  )),
  ...nextFields,
}), { id: "HistoryArraysResponse" });

const url = z.string();
const referenceRows = {
  "cpt-codes": doc(z.strictObject({
    code: z.string(), label: z.string(), description: z.string(), minutes: z.int().nullable(), is_add_on: z.boolean(),
  }), { id: "CptCode", description: "Our own plain-language labels, never the AMA descriptors." }),
  payers: doc(z.strictObject({
    slug: z.string(), name: z.string(), plan_types: z.array(z.string()), notes: z.string(), source_url: url.nullable(),
  }), { id: "Payer" }),
  platforms: doc(z.strictObject({
    slug: z.string(), name: z.string(), website: url, fee_model: z.string(), fee_model_source: z.string(), fee_model_source_url: url,
    contract_holder: z.enum(CONTRACT_HOLDERS), contract_holder_source: z.string(), contract_holder_source_url: url,
    owners: z.array(z.strictObject({ name: z.string(), relation: z.string(), source: z.string(), source_url: url })),
  }), { id: "Platform" }),
  states: doc(z.strictObject({
    code: z.string(), name: z.string(), division: z.string(), division_name: z.string(), region: z.string(),
  }), { id: "State" }),
  "license-types": doc(z.strictObject({
    slug: z.string(), name: z.string(), description: z.string(), group: z.string(), group_name: z.string(),
  }), { id: "LicenseType" }),
  "medicare-rates": doc(z.strictObject({
    cpt: z.string(), year: z.int(), amount: doc(z.number().positive(), { description: "Dollars." }), source: z.string(), source_url: url,
  }), { id: "MedicareRate", description: "CMS national non-facility amounts." }),
} satisfies Record<ReferenceTable, z.ZodType>;

const pascal = (name: string) => name.split("-").map((part) => part[0]!.toUpperCase() + part.slice(1)).join("");

export const referenceResponseSchemas = Object.fromEntries(REFERENCE_TABLES.map((table) => [table, doc(z.strictObject({
  ok: z.literal(true),
  snapshot: doc(z.int().positive().nullable(), { description: "The current snapshot (reference data is not versioned by snapshot)." }),
  rows: z.array(referenceRows[table]),
  ...nextFields,
}), { id: `${pascal(table)}Response` })])) as unknown as Record<ReferenceTable, z.ZodType>;

export type ReferenceRow<T extends ReferenceTable> = z.output<(typeof referenceRows)[T]>;

// The existing write API, documented from its own schemas.
export const receiptResponseSchema = doc(z.strictObject({
  ok: z.literal(true),
  receipt: doc(z.string().regex(/^(?:[a-z2-7]{4}-){6}[a-z2-7]{2}$/), { description: "Shown once: keep it to view or delete the report." }),
  review_status: z.enum(["accepted", "pending"]),
}), { id: "ReceiptResponse" });

export const reportViewResponseSchema = doc(z.looseObject({
  ok: z.literal(true),
  report: z.looseObject({}),
}), { id: "ReportViewResponse", description: "Your own report as stored, for its receipt holder only." });

export const reportDeletedResponseSchema = doc(z.strictObject({ ok: z.literal(true), deleted: z.literal(true) }), { id: "ReportDeletedResponse" });

export const reportSubmissionDocSchema = doc(reportSubmissionSchema, { id: "ReportSubmission" });

/** The published-cell columns with their descriptions, for the /data page's column guide. */
export function describedColumns(): { name: string; description: string }[] {
  return PUBLISHED_COLUMNS.map((name) => ({ name, description: apiDocs.get(publishedCellSchema.shape[name])?.description ?? "" }));
}

/** The filter parameters with their descriptions, for the /data page's API guide. */
export function describedFilters(): { name: string; description: string; example: string }[] {
  return Object.entries(filterParams).map(([name, schema]) => {
    const meta = apiDocs.get(schema);
    return { name, description: meta?.description ?? "", example: String(meta?.examples?.[0] ?? "") };
  });
}

// ---- insurer-published rates (issue 11) ----

/** Filters of payer-rates.{json,csv}: plain values matched exactly (no `all`: every row names its payer and platform). */
export const payerRateFilterParams = {
  payer: doc(z.string().regex(SLUG_PATTERN, { error: "payer must be a lowercase slug like cigna" }), {
    description: "Payer slug (see /api/v1/reference/payers.json).", examples: ["cigna"],
  }),
  platform: doc(z.string().regex(SLUG_PATTERN, { error: "platform must be a lowercase slug like alma" }), {
    description: "Platform slug the rate's TIN is mapped to (see /api/v1/reference/platforms.json).", examples: ["alma"],
  }),
  cpt: filterParams.cpt,
  state: doc(z.enum(STATES, { error: "state must be a USPS two-letter code in capitals, like OR (or DC)" }), {
    description: "Rates of the platform's entity in this state (rates contracted with no state have state null and match no state filter).", examples: ["OR"],
  }),
};

const optionalPayerRateFilters = Object.fromEntries(Object.entries(payerRateFilterParams).map(([name, schema]) => [name, schema.optional()])) as {
  [K in keyof typeof payerRateFilterParams]: z.ZodOptional<(typeof payerRateFilterParams)[K]>;
};

export const payerRatesQuerySchema = z.strictObject({
  ...optionalPayerRateFilters,
  _size: pageSize.optional(),
  _next: nextCursor.optional(),
});

export const payerRatesCsvQuerySchema = z.strictObject({
  ...optionalPayerRateFilters,
  _size: doc(pageSize.optional(), { description: `Rows per page, 1 to ${MAX_PAGE_SIZE}. Without it, the CSV holds every matching row; with it, the next page's URL is in the Link header.` }),
  _next: nextCursor.optional(),
});

export type PayerRatesQuery = z.output<typeof payerRatesQuerySchema>;

const dollars = () => z.number().positive();
const isoDate = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** One insurer-published rate as a snapshot publishes it, in this column order (CSV too). */
export const payerRateSchema = doc(z.strictObject({
  snapshot: doc(z.int().positive(), { description: "The snapshot this row belongs to; cite it." }),
  payer: doc(z.string(), { description: "Payer slug of the file's reporting entity." }),
  platform: doc(z.string(), { description: "The platform the provider group's TIN is mapped to when the snapshot was built." }),
  tin: doc(z.string().regex(/^\d{9,10}$/), { description: "The provider group's TIN (9 digits) or type-2 NPI (10), as the file names it." }),
  state: doc(z.string().nullable(), { description: "The state of the platform's state entity; null when the TIN contracts with no state named." }),
  cpt: doc(z.string(), { description: "CPT code (billing_code)." }),
  modifiers: doc(z.array(z.string()), { description: "billing_code_modifier values, sorted; `;`-joined in CSV." }),
  place_of_service: doc(z.array(z.string()), { description: "service_code values (02 and 10 are telehealth), sorted; empty: not limited; `;`-joined in CSV." }),
  negotiated_type: doc(z.enum(["negotiated", "fee schedule"]), { description: "Only dollar rates are published (never percentage, per diem or derived)." }),
  negotiated_rate: doc(dollars(), { description: "Dollars to the cent, exactly as the file publishes it; several networks at different prices: their median." }),
  rate_low: doc(dollars(), { description: "Lowest price over the row's networks (equals negotiated_rate with one price)." }),
  rate_high: doc(dollars(), { description: "Highest price over the row's networks." }),
  networks: doc(z.array(z.string()), { description: "network_name values, sorted; `;`-joined in CSV." }),
  expiration_date: doc(z.string(), { description: "expiration_date as the file states it (9999-12-31: open-ended)." }),
  reporting_entity: doc(z.string(), { description: "reporting_entity_name of the file." }),
  last_updated_on: doc(isoDate(), { description: "last_updated_on of the file (YYYY-MM-DD)." }),
  source_file: doc(z.string(), { description: "The file's base name, or its URL without the query string." }),
  source_sha256: doc(z.string().regex(/^[0-9a-f]{64}$/), { description: "SHA-256 of the file as downloaded." }),
}), { id: "PayerRate", description: "One insurer-published (Transparency in Coverage) rate: file × TIN × state × CPT × modifiers × place of service × negotiated type." });

export type PayerRateRow = z.output<typeof payerRateSchema>;
export const PAYER_RATE_COLUMNS = Object.keys(payerRateSchema.shape) as (keyof PayerRateRow)[];

export const payerRatesResponseSchema = doc(z.strictObject({
  ok: z.literal(true),
  snapshot: z.int().positive(),
  rows: z.array(payerRateSchema),
  ...nextFields,
}), { id: "PayerRatesResponse" });
