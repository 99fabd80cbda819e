// The Atom feed of snapshot changes (/feeds/changes.atom): one entry per snapshot, newest first.
import type { CellRow, Snapshot } from "../published.ts";
import type { CellChange, Changelog } from "./changelog.ts";

export const FEED_ENTRIES = 20;
export const FEED_EXAMPLES = 25;

export type FeedEntry = { snapshot: Snapshot; changes: Changelog };

function xml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

function describeCell(cell: CellRow): string {
  const license = cell.licenseLevel === "all" ? "all licenses" : cell.licenseLevel === "group" ? `${cell.license} licenses` : cell.license;
  return [
    cell.cpt, cell.geo, cell.channel ?? "all channels", cell.platform ?? "all platforms", cell.payer ?? "all payers",
    license, cell.modality === "all" ? "all modalities" : cell.modality, cell.yearWindow,
  ].join(" · ");
}

function describeChange(change: CellChange): string {
  if (change.before && change.after) {
    const median = change.before.p50 === change.after.p50 ? `median $${change.after.p50}` : `median $${change.before.p50} → $${change.after.p50}`;
    return `${describeCell(change.after)}: ${median}`;
  }
  if (change.after) return `${describeCell(change.after)}: newly published, median $${change.after.p50}`;
  return `${describeCell(change.before!)}: no longer published`;
}

function entryTitle({ snapshot, changes }: FeedEntry): string {
  const demo = snapshot.isDemo ? " (demo data)" : "";
  if (changes.previous === null) return `Snapshot ${snapshot.id}${demo}: first publication, ${changes.added} cells`;
  return `Snapshot ${snapshot.id}${demo}: ${changes.changed} cells changed, ${changes.added} added, ${changes.removed} removed`;
}

/** `historyUrl`: the page that shows the rate history of the feed's cells (issue 15). */
export function atomFeed(entries: FeedEntry[], options: { selfUrl: string; filterLabel: string; feedId: string; historyUrl?: string }): string {
  const updated = entries[0]?.snapshot.createdAt ?? new Date(0).toISOString();
  const title = `Ratecard: changes in published pay figures${options.filterLabel ? ` (${options.filterLabel})` : ""}`;
  const body = entries.map((entry) => {
    const { snapshot, changes } = entry;
    // A first publication adds everything: listing some of it would say nothing.
    const examples = changes.previous === null ? [] : changes.examples;
    const items = examples.map((change) => `<li>${xml(describeChange(change))}</li>`).join("");
    const shown = changes.changed + changes.added + changes.removed;
    const more = changes.previous !== null && shown > examples.length ? `<p>…and ${shown - examples.length} more; compare the snapshot files for every change.</p>` : "";
    const html = `<p>${xml(entryTitle(entry))}. Cite as “Ratecard, snapshot ${snapshot.id}, ${snapshot.createdAt.slice(0, 10)}”.</p>${items ? `<ul>${items}</ul>` : ""}${more}`;
    return [
      "  <entry>",
      `    <id>urn:ratecard:snapshot:${snapshot.id}:changes${options.feedId ? `:${xml(options.feedId)}` : ""}</id>`,
      `    <title>${xml(entryTitle(entry))}</title>`,
      `    <updated>${xml(snapshot.createdAt)}</updated>`,
      `    <link rel="alternate" type="application/json" href="/api/v1/snapshots/${snapshot.id}/aggregates.json"/>`,
      `    <link rel="enclosure" type="text/csv" href="/api/v1/snapshots/${snapshot.id}/aggregates.csv"/>`,
      ...(options.historyUrl ? [`    <link rel="related" type="text/html" title="Rate history" href="${xml(options.historyUrl)}"/>`] : []),
      `    <summary>${xml(`${changes.changed} changed, ${changes.added} added, ${changes.removed} removed, ${changes.unchanged} unchanged.`)}</summary>`,
      `    <content type="html">${xml(html)}</content>`,
      "  </entry>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${xml(title)}</title>`,
    "  <subtitle>Each entry is a Ratecard snapshot and the published cells it added, removed or changed.</subtitle>",
    `  <id>urn:ratecard:changes${options.feedId ? `:${xml(options.feedId)}` : ""}</id>`,
    `  <updated>${xml(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(options.selfUrl)}"/>`,
    '  <link rel="alternate" type="text/html" href="/data"/>',
    "  <author><name>Ratecard</name></author>",
    "  <rights>Data licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)</rights>",
    ...body,
    "</feed>",
    "",
  ].join("\n");
}
