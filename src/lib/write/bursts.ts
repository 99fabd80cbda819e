// Issue 12 item 5: bursts, many new reports in one cell within one snapshot period, which a
// moderator may choose to hold for review (nothing holds automatically). "New" is one bit per
// report, `since_last_snapshot`, cleared for every report when a snapshot is published: no time
// is stored (rule "No identity"). A burst is shown by its cell and its count band only, never by
// report ids or pay; holding one audits the cell and the band only.
import type { Database } from "better-sqlite3";
import { publishedN } from "../rules/eligibility.ts";
import { audit, type Actor } from "./auth/audit.ts";
import type { Connection } from "../server/db.ts";

export const DEFAULT_BURST_THRESHOLD = 10;
export const BURST_HOLD_REASON = "burst";

/** A cell as the snapshot loader codes it: CPT × state × channel/platform × payer. */
export type BurstCell = { cpt: string; state: string; channel: string; platform: string | null; payer: string | null };
export type Burst = BurstCell & { nBand: string };

/** The threshold in force: the configured one, never below K. */
export function burstThreshold(configured: number, k: number): number {
  return Math.max(Number.isInteger(configured) ? configured : DEFAULT_BURST_THRESHOLD, k);
}

const NEW_ROWS = `FROM reports r JOIN rates t ON t.report_id = r.id
  WHERE r.review_status = 'accepted' AND r.source = 'crowd' AND r.since_last_snapshot = 1`;
const SAME_CELL = `t.cpt = ? AND r.state = ? AND r.channel = ? AND r.platform IS ? AND t.payer IS ?`;

/** Cells with at least `threshold(configured, k)` new accepted crowd reports, each with its count band. */
export function listBursts(connection: Connection, k: number, configured = DEFAULT_BURST_THRESHOLD): Burst[] {
  const threshold = burstThreshold(configured, k);
  const rows = connection.sqlite.prepare(
    `SELECT t.cpt AS cpt, r.state AS state, r.channel AS channel, r.platform AS platform, t.payer AS payer,
            count(DISTINCT r.id) AS n
       ${NEW_ROWS}
      GROUP BY t.cpt, r.state, r.channel, r.platform, t.payer
     HAVING count(DISTINCT r.id) >= ?
      ORDER BY t.cpt, r.state, r.channel, r.platform, t.payer`,
  ).all(threshold) as (BurstCell & { n: number })[];
  return rows.map(({ n, ...cell }) => ({ ...cell, nBand: publishedN(n, k).nBand }));
}

export type HoldOutcome = { ok: true; nBand: string } | { ok: false };

/**
 * Holds a listed burst's reports for review: they become `pending` with hold reason "burst" and
 * stop counting as new (so an approved burst is not listed again). Refused (ok: false) when the
 * cell no longer holds a burst. The audit line names the cell and the count band, never a report.
 */
export function holdBurst(connection: Connection, cell: BurstCell, actor: Actor, k: number, configured = DEFAULT_BURST_THRESHOLD): HoldOutcome {
  const threshold = burstThreshold(configured, k);
  const { sqlite, db } = connection;
  const params = [cell.cpt, cell.state, cell.channel, cell.platform, cell.payer];
  return sqlite.transaction((): HoldOutcome => {
    const ids = (sqlite.prepare(`SELECT DISTINCT r.id AS id ${NEW_ROWS} AND ${SAME_CELL}`).all(...params) as { id: string }[]).map((r) => r.id);
    if (ids.length < threshold) return { ok: false };
    const hold = sqlite.prepare(
      `UPDATE reports SET review_status = 'pending', hold_reason = ?, since_last_snapshot = 0
        WHERE id = ? AND review_status = 'accepted'`,
    );
    for (const id of ids) hold.run(BURST_HOLD_REASON, id);
    const { nBand } = publishedN(ids.length, k);
    audit(db, actor, "burst.held", { cell: { ...cell }, count_band: nBand });
    return { ok: true, nBand };
  })();
}

/** Starts a new period: run inside the transaction that indexes a published snapshot. */
export function clearSinceLastSnapshot(connection: { sqlite: Database }): void {
  connection.sqlite.prepare("UPDATE reports SET since_last_snapshot = 0 WHERE since_last_snapshot = 1").run();
}
