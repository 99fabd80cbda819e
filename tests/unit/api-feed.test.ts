// The Atom feed of changes: one entry per snapshot, escaped, listing changed cells only after the first.
import { describe, expect, it } from "vitest";
import { atomFeed } from "../../src/lib/read/api/feed.ts";
import type { CellRow, Snapshot } from "../../src/lib/read/published.ts";

const snapshot = (id: number, isDemo = false): Snapshot => ({
  id, createdAt: `2026-11-2${id}T00:00:00.000Z`, rulesVersion: "1.0.0", k: 5, bandEdges: [0, 30], isDemo,
  reportsUsed: 10, cellsPublished: 2, cellsSuppressed: {}, trigger: "script", changesRecorded: true,
});

const cell = (p50: number): CellRow => ({
  snapshotId: 2, cellKey: "k", cpt: "90837", geoLevel: "state", geo: "OR", channel: "platform", platform: "alma", payer: null,
  licenseLevel: "license", license: "lpc", modality: "telehealth", yearWindow: "2025", n: null, nBand: "5-9", p10: null,
  p25: 90, p50, p75: 130, p90: null, p25Band: "90-120", p50Band: "90-120", p75Band: "120-160", p50ShareInBand: 0.4,
  medicare: 154.29, p50PctMedicare: 70, allowedP50: null, takeP50: null, takeLow: null, takeHigh: null,
} as CellRow);

describe("the changes feed", () => {
  const xml = atomFeed([
    { snapshot: snapshot(2), changes: { snapshot: 2, previous: 1, added: 0, removed: 0, changed: 1, unchanged: 1, examples: [{ before: cell(100), after: cell(110) }] } },
    { snapshot: snapshot(1, true), changes: { snapshot: 1, previous: null, added: 2, removed: 0, changed: 0, unchanged: 0, examples: [{ before: null, after: cell(100) }] } },
  ], { selfUrl: "/feeds/changes.atom?cpt=90837&state=OR", filterLabel: "90837, OR", feedId: "cpt=90837&state=OR" });

  it("is an Atom document with one entry per snapshot, newest first, and escaped URLs", () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect(xml).toContain('href="/feeds/changes.atom?cpt=90837&amp;state=OR"');
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;)/);
    expect(xml.indexOf("Snapshot 2: 1 cells changed")).toBeLessThan(xml.indexOf("Snapshot 1 (demo data): first publication, 2 cells"));
  });

  it("lists the changed cells of a later snapshot, not the cells of a first publication", () => {
    expect(xml).toContain("90837 · OR · platform · alma · all payers · lpc · telehealth · 2025: median $100 → $110");
    expect(xml).not.toContain("newly published");
  });
});
