// Query strings of the read API: parsed with the schemas of src/lib/schemas/api.ts, then mapped
// onto published rows exactly as DESIGN.md "Filters" says.
import { z } from "zod";
import { filterParams, type FilterQuery } from "../../schemas/api.ts";
import type { FieldError } from "../../schemas/report.ts";
import type { FallbackRequest, CellFilter } from "../published.ts";
import { NATIONAL } from "../../rules/ladders.ts";
import { apiError } from "../../server/api-response.ts";

export type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

export type ObjectSchema = z.ZodObject<z.ZodRawShape>;

/**
 * Reads a query string into a schema. An empty value counts as absent (an HTML form's "any");
 * a repeated or unknown parameter is refused, naming the parameters this route accepts.
 */
export function parseQuery<S extends ObjectSchema>(search: URLSearchParams, schema: S): Parsed<z.output<S>> {
  const allowed = Object.keys(schema.shape);
  const raw: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const [name, value] of search) {
    if (!Object.hasOwn(schema.shape, name)) {
      errors.push({ path: name, message: unknownMessage(name, allowed) });
      continue;
    }
    if (value === "") continue;
    if (Object.hasOwn(raw, name)) errors.push({ path: name, message: `Give ${name} once` });
    raw[name] = value;
  }
  if (errors.length > 0) {
    const unknown = errors.filter((e) => e.message.startsWith("Unknown"));
    const error = unknown.length > 0 ? `Unknown parameter${unknown.length > 1 ? "s" : ""}: ${unknown.map((e) => e.path).join(", ")}` : "Invalid parameters";
    return { ok: false, response: apiError(400, error, errors) };
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
    return { ok: false, response: apiError(400, "Invalid parameters", issues) };
  }
  return { ok: true, value: result.data };
}

function unknownMessage(name: string, allowed: string[]): string {
  return allowed.length === 0
    ? `Unknown parameter "${name}": this URL takes no parameters`
    : `Unknown parameter "${name}"; allowed: ${allowed.join(", ")}`;
}

const FILTER_NAMES = Object.keys(filterParams) as (keyof FilterQuery)[];

/** The filters in one fixed order: what cursors are bound to and next_url repeats. */
export function canonicalFilter(query: FilterQuery): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = query[name];
    if (value !== undefined) params.set(name, value);
  }
  return params.toString();
}

const allToNull = (value: string | undefined) => (value === undefined ? undefined : value === "all" ? null : value);

/** DESIGN.md "Filters": the parameters as a filter on published rows. */
export function cellFilterOf(query: FilterQuery): CellFilter {
  const filter: CellFilter = {};
  if (query.cpt !== undefined) filter.cpt = query.cpt;
  if (query.state !== undefined) {
    filter.geoLevel = "state";
    filter.geo = query.state;
  } else if (query.division !== undefined) {
    filter.geoLevel = "division";
    filter.geo = query.division;
  } else if (query.geo_level !== undefined) {
    filter.geoLevel = query.geo_level as NonNullable<CellFilter["geoLevel"]>;
  }
  if (query.channel !== undefined) filter.channel = allToNull(query.channel) ?? null;
  if (query.platform !== undefined) filter.platform = allToNull(query.platform) ?? null;
  if (query.payer !== undefined) filter.payer = allToNull(query.payer) ?? null;
  if (query.license !== undefined) {
    if (query.license === "all") {
      filter.licenseLevel = "all";
      filter.license = null;
    } else {
      filter.licenseLevel = "license";
      filter.license = query.license;
    }
  } else if (query.license_group !== undefined) {
    filter.licenseLevel = "group";
    filter.license = query.license_group;
  }
  if (query.modality !== undefined) filter.modality = query.modality;
  if (query.year !== undefined) filter.yearWindow = query.year;
  if (query.verified !== undefined) filter.verified = query.verified === "true";
  return filter;
}

/** The ladder request of `_fallback=1`; the schema has checked that every dimension is given. */
export function fallbackRequestOf(query: FilterQuery): FallbackRequest {
  const geo = query.state !== undefined
    ? { geoLevel: "state" as const, geo: query.state }
    : query.division !== undefined
      ? { geoLevel: "division" as const, geo: query.division }
      : { geoLevel: "national" as const, geo: NATIONAL };
  const license = query.license_group !== undefined
    ? { licenseLevel: "group" as const, license: query.license_group }
    : query.license === "all" || query.license === undefined
      ? { licenseLevel: "all" as const, license: null }
      : { licenseLevel: "license" as const, license: query.license };
  return {
    cpt: query.cpt!,
    geo,
    channel: allToNull(query.channel) ?? null,
    platform: allToNull(query.platform) ?? null,
    payer: allToNull(query.payer) ?? null,
    license,
    modality: query.modality!,
    yearWindow: query.year!,
    ...(query.verified === "true" ? { verified: true } : {}),
  };
}
