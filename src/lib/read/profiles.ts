// /platforms, /payers and their profiles: national figures for every license and session type in the
// latest years, per platform, payer and CPT code, with the platform-experience shares.
import type { Db } from "../server/db.ts";
import { findCells, sharesFor, type CellRow, type ShareRow, type Snapshot } from "./published.ts";
import type { PayerRow, PlatformRow } from "../read/reference.ts";
import { NATIONAL } from "../rules/ladders.ts";
import { SHARE_QUESTIONS } from "../schemas/codes.ts";
import { displayCell } from "./cell-display.ts";
import { byMedian, type ComparisonRow } from "./comparison-rows.ts";
import { HEADLINE_CPT, medicareOf, medicareYearOf, publishedYearWindows } from "./compare.ts";
import type { ReferenceContext } from "./reference-context.ts";

/** Every national cell of the latest years for every license and session type, matching the filter. */
function nationalCells(db: Db, snapshot: Snapshot, year: string, filter: { cpt?: string; channel?: string | null; platform?: string | null; payer?: string | null }): CellRow[] {
  return findCells(db, snapshot.id, { ...filter, geoLevel: "national", geo: NATIONAL, licenseLevel: "all", modality: "all", yearWindow: year }, { limit: 5000 });
}

function notPublished(k: number): string {
  return `Not published: fewer than ${k} reports across the nation.`;
}

/** A row from a national cell, or the reason there is none. */
export function nationalRow(label: string, cell: CellRow | undefined, k: number, options: Partial<Pick<ComparisonRow, "href" | "emphasis">> = {}, withTake = false): ComparisonRow {
  if (!cell) return { label, display: null, note: notPublished(k), ...options };
  const display = displayCell(cell);
  return { label, display, note: null, ...options, ...(withTake ? { extra: [display.payerPays, display.take] } : {}) };
}

export type ProfileBasis = { year: string; medicare: number | null; medicareYear: string };

export function profileBasis(db: Db, snapshot: Snapshot): ProfileBasis {
  const year = publishedYearWindows(db, snapshot, HEADLINE_CPT)[0] ?? String(new Date().getUTCFullYear());
  return { year, medicare: medicareOf(db, snapshot, { cpt: HEADLINE_CPT, yearWindow: year }), medicareYear: medicareYearOf(year) };
}

export type ShareLine = { question: string; label: string; share: string; answers: string; allPlatforms: string };

function shareText(row: ShareRow | undefined): string {
  return row ? `${row.sharePct}% ± ${row.marginPct}` : "Not published (fewer than 20 answers)";
}

export function shareLines(db: Db, snapshot: Snapshot, platform: string): ShareLine[] {
  const own = new Map(sharesFor(db, snapshot.id, platform).map((row) => [row.question, row]));
  const all = new Map(sharesFor(db, snapshot.id, "all").map((row) => [row.question, row]));
  return SHARE_QUESTIONS.map(({ question, label }) => ({
    question, label,
    share: shareText(own.get(question)),
    answers: own.get(question)?.n.toLocaleString("en-US") ?? "—",
    allPlatforms: shareText(all.get(question)),
  }));
}

// ---- platforms ----

export type PlatformsIndex = ProfileBasis & {
  pay: ComparisonRow[];
  platforms: { platform: PlatformRow; told: string; rateCut: string }[];
};

export function platformsIndex(db: Db, snapshot: Snapshot, ctx: ReferenceContext): PlatformsIndex {
  const basis = profileBasis(db, snapshot);
  const cells = nationalCells(db, snapshot, basis.year, { cpt: HEADLINE_CPT, payer: null });
  const platformCell = (slug: string | null) => cells.find((c) => c.channel === "platform" && c.platform === slug);
  const pay = [
    ...byMedian(ctx.platforms.map((p) => nationalRow(p.name, platformCell(p.slug), snapshot.k, { href: `/platforms/${p.slug}` }, true))),
    nationalRow("All platforms", platformCell(null), snapshot.k, { emphasis: true }, true),
    nationalRow("Own contract", cells.find((c) => c.channel === "direct" && c.platform === null), snapshot.k, { emphasis: true }, true),
  ];
  const platforms = ctx.platforms.map((platform) => {
    const shares = new Map(sharesFor(db, snapshot.id, platform.slug).map((row) => [row.question, row]));
    return { platform, told: shareText(shares.get("told_of_fee_split")), rateCut: shareText(shares.get("rate_cut_12m")) };
  });
  return { ...basis, pay, platforms };
}

export type PlatformProfile = ProfileBasis & {
  platform: PlatformRow;
  byCpt: ComparisonRow[];
  byPayer: ComparisonRow[];
  shares: ShareLine[];
};

export function platformProfile(db: Db, snapshot: Snapshot, slug: string, ctx: ReferenceContext): PlatformProfile | null {
  const platform = ctx.platforms.find((p) => p.slug === slug);
  if (!platform) return null;
  const basis = profileBasis(db, snapshot);
  const cells = nationalCells(db, snapshot, basis.year, { channel: "platform", platform: slug });
  const byCpt = ctx.cptCodes
    .filter((c) => publishedYearWindows(db, snapshot, c.code).length > 0)
    .map((c) => nationalRow(`${c.code} — ${c.label}`, cells.find((cell) => cell.cpt === c.code && cell.payer === null), snapshot.k, {}, true));
  const byPayer = byMedian(ctx.payers.map((p) => nationalRow(p.name, cells.find((cell) => cell.cpt === HEADLINE_CPT && cell.payer === p.slug), snapshot.k, { href: `/payers/${p.slug}` }, true)));
  return { ...basis, platform, byCpt, byPayer, shares: shareLines(db, snapshot, slug) };
}

// ---- payers ----

export type PayersIndex = ProfileBasis & { pay: ComparisonRow[] };

export function payersIndex(db: Db, snapshot: Snapshot, ctx: ReferenceContext): PayersIndex {
  const basis = profileBasis(db, snapshot);
  const cells = nationalCells(db, snapshot, basis.year, { cpt: HEADLINE_CPT, platform: null });
  const cell = (channel: string | null, payer: string | null) => cells.find((c) => c.channel === channel && c.payer === payer);
  const median = (c: CellRow | undefined) => (c ? displayCell(c).median : null);
  const payerRow = (label: string, payer: string | null, options: Partial<Pick<ComparisonRow, "href" | "emphasis">>): ComparisonRow => {
    const viaPlatforms = cell("platform", payer);
    return {
      ...nationalRow(label, cell(null, payer), snapshot.k, options),
      extra: [median(cell("direct", payer)), median(viaPlatforms), viaPlatforms ? displayCell(viaPlatforms).take : null],
    };
  };
  return {
    ...basis,
    pay: [...byMedian(ctx.payers.map((p) => payerRow(p.name, p.slug, { href: `/payers/${p.slug}` }))), payerRow("All payers", null, { emphasis: true })],
  };
}

/** The extra columns of the payers index. */
export const PAYER_INDEX_COLUMNS = [
  { label: "Own contract (median)", numeric: true },
  { label: "Through platforms (median)", numeric: true },
  { label: "Platforms keep" },
];

export type PayerProfile = ProfileBasis & {
  payer: PayerRow;
  byCpt: ComparisonRow[];
  byChannel: ComparisonRow[];
  byPlatform: ComparisonRow[];
};

export function payerProfile(db: Db, snapshot: Snapshot, slug: string, ctx: ReferenceContext): PayerProfile | null {
  const payer = ctx.payers.find((p) => p.slug === slug);
  if (!payer) return null;
  const basis = profileBasis(db, snapshot);
  const cells = nationalCells(db, snapshot, basis.year, { payer: slug });
  const byCpt = ctx.cptCodes
    .filter((c) => publishedYearWindows(db, snapshot, c.code).length > 0)
    .map((c) => nationalRow(`${c.code} — ${c.label}`, cells.find((cell) => cell.cpt === c.code && cell.channel === null && cell.platform === null), snapshot.k));
  const headline = cells.filter((cell) => cell.cpt === HEADLINE_CPT);
  const byChannel = [
    nationalRow("Own contract", headline.find((c) => c.channel === "direct"), snapshot.k, {}, true),
    nationalRow("Through a platform", headline.find((c) => c.channel === "platform" && c.platform === null), snapshot.k, {}, true),
    nationalRow("Through a group practice", headline.find((c) => c.channel === "group"), snapshot.k, {}, true),
    nationalRow("All ways of being paid", headline.find((c) => c.channel === null), snapshot.k, { emphasis: true }, true),
  ];
  const byPlatform = byMedian(ctx.platforms.map((p) => nationalRow(p.name, headline.find((c) => c.channel === "platform" && c.platform === p.slug), snapshot.k, { href: `/platforms/${p.slug}` }, true)));
  return { ...basis, payer, byCpt, byChannel, byPlatform };
}
