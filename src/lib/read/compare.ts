// /compare: for one CPT code, place, license, session type and year window, the published pay per
// platform (beside own contracts, group practices and self-pay) and per payer.
import type { Db } from "../server/db.ts";
import { findCells, type Snapshot } from "./published.ts";
import { NATIONAL, type GeoStep, type LicenseStep } from "../rules/ladders.ts";
import { formatYearWindow, label } from "../shared/format.ts";
import { CHANNELS } from "../schemas/codes.ts";
import { compareQuerySchema, parseFields, type FieldProblems } from "../schemas/page-filters.ts";
import { byMedian, comparisonRow, type ComparisonRow } from "./comparison-rows.ts";
import { lookUpRows, type Payee, type Place } from "./published-lookup.ts";
import type { ReferenceContext } from "./reference-context.ts";

export const HEADLINE_CPT = "90837";

export type Option = { value: string; label: string };

/** Year windows published for a code: two-year windows first (the default is the latest), then single years. */
export function publishedYearWindows(db: Db, snapshot: Snapshot, cpt: string): string[] {
  const windows = new Set(findCells(db, snapshot.id, {
    cpt, geoLevel: "national", geo: NATIONAL, channel: null, platform: null, payer: null, licenseLevel: "all", modality: "all",
  }).map((cell) => cell.yearWindow));
  const end = (w: string) => Number(w.slice(-4));
  return [...windows].sort((a, b) => Number(b.includes("-")) - Number(a.includes("-")) || end(b) - end(a));
}

export type Selection = { cpt: string; state: string | undefined; license: string | undefined; modality: string | undefined; year: string };

export function placeOf(selection: Selection): Place {
  const geo: GeoStep = selection.state ? { geoLevel: "state", geo: selection.state } : { geoLevel: "national", geo: NATIONAL };
  const license: LicenseStep = selection.license ? { licenseLevel: "license", license: selection.license } : { licenseLevel: "all", license: null };
  return { cpt: selection.cpt, geo, license, modality: selection.modality ?? "all", yearWindow: selection.year };
}

/** "90837 (Therapy session, about 60 minutes) · Oregon · LPC / LPCC / LMHC · telehealth · 2025–2026" */
export function describeSelection(selection: Selection, ctx: ReferenceContext): string[] {
  return [
    `${selection.cpt} (${ctx.cptLabel(selection.cpt).toLowerCase()})`,
    selection.state ? ctx.stateName(selection.state) : "the whole nation",
    selection.license ? ctx.licenseName(selection.license) : "all licenses",
    selection.modality ? label(selection.modality).toLowerCase() : "in person and telehealth",
    formatYearWindow(selection.year),
  ];
}

export function medicareYearOf(window: string): string {
  return window.slice(-4);
}

const CHANNEL_ROWS: { payee: Payee; label: string }[] = [
  { payee: { channel: "platform", platform: null, payer: null }, label: "All platforms" },
  { payee: { channel: "direct", platform: null, payer: null }, label: "Own contract" },
  { payee: { channel: "group", platform: null, payer: null }, label: "Group practice" },
  { payee: { channel: "self_pay", platform: null, payer: null }, label: "Self-pay (cash)" },
];

/** The extra columns of platform and group rows: what the payer pays them, and what they keep. */
export function takeColumns(who = "the platform or group"): { label: string; numeric?: boolean }[] {
  return [{ label: `Insurer pays ${who} (median)`, numeric: true }, { label: `${who.charAt(0).toUpperCase()}${who.slice(1)} keeps` }];
}

export const TAKE_COLUMNS = takeColumns();

function withTake(row: ComparisonRow): ComparisonRow {
  return row.display ? { ...row, extra: [row.display.payerPays, row.display.take] } : row;
}

/** Platforms by median, then the same place for all platforms, own contracts, group practices and self-pay. */
export function platformRows(db: Db, snapshot: Snapshot, place: Place, ctx: ReferenceContext, channels: readonly string[] = CHANNELS): ComparisonRow[] {
  const platformPayees: Payee[] = ctx.platforms.map((p) => ({ channel: "platform", platform: p.slug, payer: null }));
  const channelRows = CHANNEL_ROWS.filter((r) => channels.includes(r.payee.channel!));
  const lookups = lookUpRows(db, snapshot, place, [...platformPayees, ...channelRows.map((r) => r.payee)], ctx.lookups, ctx.names);
  const platforms = ctx.platforms.map((p, i) => withTake(comparisonRow(p.name, lookups[i]!, { href: `/platforms/${p.slug}` })));
  const totals = channelRows.map((r, j) => withTake(comparisonRow(r.label, lookups[platforms.length + j]!, { emphasis: true })));
  return [...byMedian(platforms), ...totals];
}

/** Payers by median (all ways of being paid), then everyone together. */
export function payerRows(db: Db, snapshot: Snapshot, place: Place, ctx: ReferenceContext): ComparisonRow[] {
  const payees: Payee[] = [...ctx.payers.map((p) => ({ channel: null, platform: null, payer: p.slug })), { channel: null, platform: null, payer: null }];
  const lookups = lookUpRows(db, snapshot, place, payees, ctx.lookups, ctx.names);
  const payers = ctx.payers.map((p, i) => comparisonRow(p.name, lookups[i]!, { href: `/payers/${p.slug}` }));
  return [...byMedian(payers), comparisonRow("All payers", lookups[payers.length]!, { emphasis: true })];
}

export type CompareView = {
  selection: Selection;
  problems: FieldProblems;
  options: { cpt: Option[]; state: Option[]; license: Option[]; modality: Option[]; year: Option[] };
  description: string[];
  medicare: number | null;
  medicareYear: string;
  platforms: ComparisonRow[];
  payers: ComparisonRow[];
};

export function compareView(db: Db, snapshot: Snapshot, params: URLSearchParams, ctx: ReferenceContext): CompareView {
  const { data, problems } = parseFields(compareQuerySchema, Object.fromEntries(params));
  const knownCpt = data.cpt !== undefined && ctx.cptCodes.some((c) => c.code === data.cpt);
  if (data.cpt !== undefined && !knownCpt) problems.cpt = "Choose a CPT code from the list.";
  const cpt = knownCpt ? data.cpt! : HEADLINE_CPT;
  const windows = publishedYearWindows(db, snapshot, cpt);
  if (data.year !== undefined && !windows.includes(data.year)) problems.year = "Nothing is published for that year; showing the latest years.";
  const year = data.year !== undefined && windows.includes(data.year) ? data.year : (windows[0] ?? String(new Date().getUTCFullYear()));
  const selection: Selection = { cpt, state: data.state, license: data.license, modality: data.modality, year };
  const place = placeOf(selection);
  const platforms = platformRows(db, snapshot, place, ctx);
  const payers = payerRows(db, snapshot, place, ctx);
  return {
    selection, problems,
    options: {
      cpt: ctx.cptCodes.map((c) => ({ value: c.code, label: `${c.code} — ${c.label}` })),
      state: ctx.states.map((s) => ({ value: s.code, label: s.name })),
      license: ctx.licenses.map((l) => ({ value: l.slug, label: l.name })),
      modality: [{ value: "in_person", label: label("in_person") }, { value: "telehealth", label: label("telehealth") }],
      year: windows.map((w) => ({ value: w, label: formatYearWindow(w) })),
    },
    description: describeSelection(selection, ctx),
    medicare: medicareOf(db, snapshot, place),
    medicareYear: medicareYearOf(year),
    platforms,
    payers,
  };
}

/** Medicare's amount for the code and window, as published with its cells. */
export function medicareOf(db: Db, snapshot: Snapshot, place: Pick<Place, "cpt" | "yearWindow">): number | null {
  const [cell] = findCells(db, snapshot.id, { cpt: place.cpt, yearWindow: place.yearWindow, geoLevel: "national", geo: NATIONAL }, { limit: 1 });
  return cell?.medicare ?? null;
}

export type HeadlineView = { year: string; medicare: number | null; medicareYear: string; rows: ComparisonRow[] };

/** The home page's chart: 90837 across the nation, every license and session type, by platform and own contract. */
export function headlineView(db: Db, snapshot: Snapshot, ctx: ReferenceContext): HeadlineView {
  const year = publishedYearWindows(db, snapshot, HEADLINE_CPT)[0] ?? String(new Date().getUTCFullYear());
  const place = placeOf({ cpt: HEADLINE_CPT, state: undefined, license: undefined, modality: undefined, year });
  return {
    year,
    medicare: medicareOf(db, snapshot, place),
    medicareYear: medicareYearOf(year),
    rows: platformRows(db, snapshot, place, ctx, ["platform", "direct"]),
  };
}
