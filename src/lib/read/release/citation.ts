// How to cite one snapshot: CFF 1.2.0 (YAML), BibTeX and RIS, each naming the snapshot id, its
// date and its permanent URL. The software itself is cited by CITATION.cff at the repository root.
import type { Snapshot } from "../published.ts";

export const CITATION_FORMATS = ["cff", "bib", "ris"] as const;
export type CitationFormat = (typeof CITATION_FORMATS)[number];

export const CITATION_TYPES: Record<CitationFormat, string> = {
  cff: "application/x-yaml; charset=utf-8",
  bib: "application/x-bibtex; charset=utf-8",
  ris: "application/x-research-info-systems; charset=utf-8",
};

export const DATA_LICENSE = { id: "CC-BY-4.0", title: "Creative Commons Attribution 4.0", path: "https://creativecommons.org/licenses/by/4.0/" } as const;

export type CitedSnapshot = { id: number; date: string; isDemo: boolean; url: string; title: string };

export function citedSnapshot(snapshot: Snapshot, origin: string): CitedSnapshot {
  const date = snapshot.createdAt.slice(0, 10);
  return {
    id: snapshot.id,
    date,
    isDemo: snapshot.isDemo,
    url: `${origin}/api/v1/snapshots/${snapshot.id}/datapackage.json`,
    title: `Ratecard: what US psychotherapists are paid per session, snapshot ${snapshot.id} (${date})${snapshot.isDemo ? " [demo data]" : ""}`,
  };
}

/** YAML double-quoted scalar (JSON string syntax is valid YAML). */
const yamlString = (text: string) => JSON.stringify(text);

function cff(cited: CitedSnapshot): string {
  return [
    "cff-version: 1.2.0",
    `message: ${yamlString(`If you use this data, cite snapshot ${cited.id} of Ratecard.`)}`,
    "type: dataset",
    `title: ${yamlString(cited.title)}`,
    "authors:",
    `  - name: ${yamlString("Ratecard contributors")}`,
    `version: ${yamlString(String(cited.id))}`,
    `date-released: ${yamlString(cited.date)}`,
    `url: ${yamlString(cited.url)}`,
    `license: ${DATA_LICENSE.id}`,
    "keywords:",
    ...["psychotherapy", "pay transparency", "CPT", "k-anonymity"].map((word) => `  - ${yamlString(word)}`),
    "",
  ].join("\n");
}

const bibEscape = (text: string) => text.replace(/([{}&%$#_])/g, "\\$1");

function bib(cited: CitedSnapshot): string {
  const [year, month] = cited.date.split("-");
  return [
    `@misc{ratecard_snapshot_${cited.id},`,
    `  author = {{Ratecard contributors}},`,
    `  title = {${bibEscape(cited.title)}},`,
    `  year = {${year}},`,
    `  month = {${Number(month)}},`,
    `  version = {${cited.id}},`,
    `  howpublished = {\\url{${cited.url}}},`,
    `  note = {Snapshot ${cited.id}, published ${cited.date}. Data licensed CC BY 4.0.},`,
    "}",
    "",
  ].join("\n");
}

function ris(cited: CitedSnapshot): string {
  return [
    "TY  - DATA",
    `TI  - ${cited.title}`,
    "AU  - Ratecard contributors",
    `PY  - ${cited.date.slice(0, 4)}`,
    `DA  - ${cited.date.replaceAll("-", "/")}`,
    `ET  - Snapshot ${cited.id}`,
    `UR  - ${cited.url}`,
    "N1  - Data licensed CC BY 4.0",
    "ER  - ",
    "",
  ].join("\r\n");
}

export function snapshotCitation(snapshot: Snapshot, format: CitationFormat, origin: string): string {
  const cited = citedSnapshot(snapshot, origin);
  return format === "cff" ? cff(cited) : format === "bib" ? bib(cited) : ris(cited);
}
