// What /mod/snapshots shows per cell of the draft (issue 12): its count band and the count band of
// its verified reports (null below K) — bands only, exactly what publishing would show, so a
// moderator who verified someone learns nothing finer from the preview than from the snapshot.
import { cellKeyOf } from "../rules/cell-key.ts";
import { cellAt, matchingRows, type SnapshotFile } from "../read/snapshot-file.ts";

export type DraftCellLine = { cellKey: string; nBand: string; verifiedNBand: string | null };

/** Draft cells of one CPT code in one place (a state, or the nation), rows from all reports only. */
export function draftCellLines(draft: SnapshotFile, filter: { cpt: string; state?: string | undefined }, limit = 200): { lines: DraftCellLine[]; more: boolean } {
  const place = filter.state ? { geoLevel: "state", geo: filter.state } : { geoLevel: "national" };
  const lines: DraftCellLine[] = [];
  for (const row of matchingRows(draft, { cpt: filter.cpt, ...place, verified: false })) {
    if (lines.length === limit) return { lines, more: true };
    const cell = cellAt(draft, row);
    lines.push({ cellKey: cellKeyOf(cell), nBand: cell.nBand, verifiedNBand: cell.verifiedNBand });
  }
  return { lines, more: false };
}
