// /check-offer: where one offered amount falls among the published figures for the same kind of
// work, and the medians around it. The offer is compared with published cells only, never kept.
import type { Db } from "../server/db.ts";
import type { Snapshot } from "./published.ts";
import { displayCell, type CellDisplay } from "./cell-display.ts";
import { formatDollars, formatPercent, formatWholeDollars } from "../shared/format.ts";
import { offerPosition, type OfferPosition } from "./offer-position.ts";
import { roundHalfUp } from "../rules/rounding.ts";
import { OFFER_SOURCE_PATTERN, offerFormSchema, parseFields, type FieldProblems, type OfferForm } from "../schemas/page-filters.ts";
import type { ComparisonRow } from "./comparison-rows.ts";
import { describeSelection, HEADLINE_CPT, medicareOf, medicareYearOf, placeOf, platformRows, publishedYearWindows, type Option } from "./compare.ts";
import { lookUpRows, type Lookup, type Payee, type Place } from "./published-lookup.ts";
import { compareOffers, HOURLY_EXAMPLE, type HourlyComparison } from "../shared/hourly-pay.ts";
import type { ReferenceContext } from "./reference-context.ts";
import { MODALITIES, MODALITY_LABELS } from "../schemas/codes.ts";
import { offerAgainstPublishedRate, type OfferAgainstRate } from "./payer-rate-views.ts";

export type OfferSource = { channel: "platform" | "direct"; slug: string; name: string };

export type OfferResult = {
  offer: OfferForm;
  source: OfferSource;
  /** What the offer is compared with, in words ("people paid through Alma by Cigna"). */
  comparedWith: string;
  description: string[];
  year: string;
  display: CellDisplay | null;
  note: string | null;
  position: OfferPosition | null;
  medicare: number | null;
  medicareYear: string;
  /** What the payer typically pays the platform, and what the platform keeps (published take). */
  payerPays: { text: string; basis: string } | null;
  /** For a platform offer with a payer: the rate the payer's own file says it pays the platform, and the offer as a share of it. */
  publishedRate: OfferAgainstRate | null;
  /** From the reader's own two numbers, when given: the share of the insurer's payment they keep. */
  ownSplit: string | null;
  neighbours: ComparisonRow[];
};

export type OfferOptions = { sources: { label: string; options: Option[] }[]; payer: Option[]; cpt: Option[]; state: Option[]; license: Option[]; modality: Option[] };

export function offerOptions(ctx: ReferenceContext): OfferOptions {
  return {
    sources: [
      { label: "A platform", options: ctx.platforms.map((p) => ({ value: `platform:${p.slug}`, label: p.name })) },
      { label: "Your own contract with a payer", options: ctx.payers.map((p) => ({ value: `direct:${p.slug}`, label: `Own contract: ${p.name}` })) },
    ],
    payer: ctx.payers.map((p) => ({ value: p.slug, label: p.name })),
    cpt: ctx.cptCodes.map((c) => ({ value: c.code, label: `${c.code} — ${c.label}` })),
    state: ctx.states.map((s) => ({ value: s.code, label: s.name })),
    license: ctx.licenses.map((l) => ({ value: l.slug, label: l.name })),
    modality: MODALITIES.map((m) => ({ value: m, label: MODALITY_LABELS[m] })),
  };
}

function sourceOf(value: string, ctx: ReferenceContext): OfferSource | null {
  const match = OFFER_SOURCE_PATTERN.exec(value);
  if (!match) return null;
  const [, channel, slug] = match as unknown as [string, "platform" | "direct", string];
  const known = channel === "platform" ? ctx.platforms.some((p) => p.slug === slug) : ctx.payers.some((p) => p.slug === slug);
  if (!known) return null;
  return { channel, slug, name: channel === "platform" ? ctx.platformName(slug) : ctx.payerName(slug) };
}

/** Reads the posted form; problems are keyed by field name. */
export function parseOffer(values: Record<string, string>, ctx: ReferenceContext): { offer: OfferForm | null; source: OfferSource | null; problems: FieldProblems } {
  const { data, problems } = parseFields(offerFormSchema, values);
  const source = data.source ? sourceOf(data.source, ctx) : null;
  if (data.source && !source) problems.source = "Choose who makes the offer.";
  if (data.cpt && !ctx.cptCodes.some((c) => c.code === data.cpt)) problems.cpt = "Choose a CPT code.";
  if (data.payer && !ctx.payers.some((p) => p.slug === data.payer)) problems.payer = "Choose a payer from the list.";
  const complete = Object.keys(problems).length === 0 && source !== null;
  return { offer: complete ? (data as OfferForm) : null, source, problems };
}

export function checkOffer(db: Db, snapshot: Snapshot, offer: OfferForm, source: OfferSource, ctx: ReferenceContext): OfferResult {
  const year = publishedYearWindows(db, snapshot, offer.cpt)[0] ?? publishedYearWindows(db, snapshot, HEADLINE_CPT)[0] ?? String(new Date().getUTCFullYear());
  const selection = { cpt: offer.cpt, state: offer.state, license: offer.license, modality: offer.modality, year };
  const place = placeOf(selection);
  const payer = source.channel === "direct" ? source.slug : (offer.payer ?? null);

  // The closest published group: this platform (or own contracts) with this payer, else with every payer.
  const candidates: { payee: Payee; words: string }[] = source.channel === "platform"
    ? [
        ...(payer ? [{ payee: { channel: "platform", platform: source.slug, payer }, words: `therapists paid through ${source.name} for ${ctx.payerName(payer)} clients` }] : []),
        { payee: { channel: "platform", platform: source.slug, payer: null }, words: `therapists paid through ${source.name}` },
      ]
    : [
        { payee: { channel: "direct", platform: null, payer: source.slug }, words: `therapists with their own ${source.name} contract` },
        { payee: { channel: "direct", platform: null, payer: null }, words: "therapists with their own contract with any payer" },
      ];
  const lookups = lookUpRows(db, snapshot, place, candidates.map((c) => c.payee), ctx.lookups, ctx.names);
  const chosen = lookups.findIndex((l) => l.cell !== null);
  const found: Lookup = chosen === -1 ? lookups[lookups.length - 1]! : lookups[chosen]!;
  const comparedWith = candidates[chosen === -1 ? candidates.length - 1 : chosen]!.words;
  const cell = found.cell;
  const medicare = medicareOf(db, snapshot, place);

  // What the payer pays the platform is a deal between the two, whoever the therapist is: the
  // closest place that publishes it, for all licenses and session types.
  let payerPays: OfferResult["payerPays"] = null;
  if (source.channel === "platform") {
    const dealPlace: Place = { ...place, license: { licenseLevel: "all", license: null }, modality: "all" };
    const deals = lookUpRows(db, snapshot, dealPlace, candidates.map((c) => c.payee), ctx.lookups, ctx.names, (cell) => cell.allowedP50 !== null);
    const deal = deals.find((l) => l.cell !== null);
    if (deal?.cell && deal.step && deal.cell.allowedP50 !== null) {
      const take = displayCell(deal.cell).take;
      const who = deal.cell.payer ? `${ctx.payerName(deal.cell.payer)} typically pays` : "Payers typically pay";
      payerPays = {
        text: `${who} ${source.name} ${formatWholeDollars(deal.cell.allowedP50)} per session for ${offer.cpt} (median)${take ? `, and ${source.name} keeps ${take} of it` : ""}.`,
        basis: `Based on ${ctx.placeName(deal.step)}, all licenses and session types.`,
      };
    }
  }

  const publishedRate = source.channel === "platform" && payer
    ? offerAgainstPublishedRate(db, snapshot, ctx, {
        cpt: offer.cpt, geoLevel: place.geo.geoLevel, geo: place.geo.geo, platform: source.slug, payer, modality: place.modality, yearWindow: year,
      }, offer.amount)
    : null;

  let ownSplit: string | null = null;
  if (source.channel === "platform" && offer.allowed !== undefined) {
    const kept = roundHalfUp((100 * offer.amount) / offer.allowed);
    ownSplit = offer.amount > offer.allowed
      ? `The offer (${formatDollars(offer.amount)}) is more than the ${formatDollars(offer.allowed)} you say the insurer pays; please check the two amounts.`
      : `From your own two numbers: you would receive ${formatPercent(kept)} of the ${formatDollars(offer.allowed)} the insurer pays, and ${source.name} would keep ${formatPercent(100 - kept)}.`;
  }

  const neighbours = platformRows(db, snapshot, place, ctx, ["platform", "direct"])
    .map((row) => ({ ...row, emphasis: row.emphasis || row.href === `/platforms/${source.slug}` }));

  return {
    offer, source, comparedWith,
    description: describeSelection(selection, ctx),
    year,
    display: cell ? displayCell(cell) : null,
    note: found.note,
    position: cell ? offerPosition(offer.amount, cell) : null,
    medicare,
    medicareYear: medicareYearOf(year),
    payerPays,
    publishedRate,
    ownSplit,
    neighbours,
  };
}

export type CheckOfferPage = {
  offerValues: Record<string, string>;
  offerProblems: FieldProblems;
  result: OfferResult | null;
  hourly: HourlyComparison;
  status: 200 | 400;
};

/**
 * Everything /check-offer shows for a GET (posted undefined) or for a posted form: the offer's
 * answer (`form=offer`) or the hourly comparison (`form=hourly`). A checked offer becomes offer A.
 */
export function checkOfferPage(db: Db, snapshot: Snapshot | undefined, posted: Record<string, string> | undefined, ctx: ReferenceContext): CheckOfferPage {
  if (posted?.form === "hourly") {
    const hourly = compareOffers(posted, true);
    return { offerValues: { cpt: HEADLINE_CPT }, offerProblems: {}, result: null, hourly, status: Object.keys(hourly.errors).length > 0 ? 400 : 200 };
  }
  if (!posted) return { offerValues: { cpt: HEADLINE_CPT }, offerProblems: {}, result: null, hourly: compareOffers(HOURLY_EXAMPLE, false), status: 200 };
  const { offer, source, problems } = parseOffer(posted, ctx);
  const result = offer && source && snapshot ? checkOffer(db, snapshot, offer, source, ctx) : null;
  const hourly = compareOffers(result ? { ...HOURLY_EXAMPLE, "a.pay": String(result.offer.amount) } : HOURLY_EXAMPLE, false);
  return { offerValues: posted, offerProblems: problems, result, hourly, status: Object.keys(problems).length > 0 ? 400 : 200 };
}
