// Crash safety (issue 8; docs/decisions/0001-sqlite-wal.md): a 201 means the report is on disk.
// The server (rate limiter off) gets 2,000 valid submissions, 64 in flight; once 1,000 have been
// answered it is killed with SIGKILL, with requests still in flight and transactions possibly
// mid-commit. Restarted on the same database file, it must serve every report that got a 201.
import Database from "better-sqlite3";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/lib/server/db.ts";
import { startServer, type RunningServer } from "../helpers/server.ts";
import { runBounded, validReport } from "./support.ts";

const TOTAL = 2_000;
const KILL_AFTER = 1_000;
const IN_FLIGHT = 64;

const servers: RunningServer[] = [];

afterAll(async () => {
  // The restarted server first (it uses the first one's database), then the first one's folder.
  for (const server of servers.reverse()) await server.stop();
});

type Sent = { index: number; receipt: string; state: string; paid: number };

const STATES = ["OR", "CA", "NY", "TX", "WA", "FL", "IL", "MA"];

describe("crash safety: SIGKILL during a burst of submissions", () => {
  it("serves every report that got a 201 after a restart on the same database", async () => {
    const first = await startServer({ env: { RATECARD_RATE_LIMIT: "0" } });
    servers.push(first);
    const created: Sent[] = [];
    const outcomes = { created: 0, otherStatus: 0, failedAfterKill: 0, failedBeforeKill: 0, notSent: 0 };
    let killed = false;
    let killedAt = 0;
    const exited = new Promise<void>((resolveExit) => {
      const poll = setInterval(() => {
        if (!isAlive(first)) {
          clearInterval(poll);
          resolveExit();
        }
      }, 20);
    });

    const started = performance.now();
    await runBounded(TOTAL, IN_FLIGHT, async (index) => {
      if (killed) {
        outcomes.notSent++;
        return;
      }
      // Distinct, plausible reports (accepted), so that a restored row can be checked field by field.
      const state = STATES[index % STATES.length]!;
      const paid = 90 + (index % 50);
      const body = validReport({ state, rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid, allowed: 151.74 }] });
      try {
        const response = await fetch(`${first.url}/api/v1/reports`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        const answer = (await response.json()) as { ok: boolean; receipt?: string };
        if (response.status === 201 && answer.receipt) {
          created.push({ index, receipt: answer.receipt, state, paid });
          outcomes.created++;
          if (!killed && created.length >= KILL_AFTER) {
            killed = true;
            killedAt = created.length;
            first.kill("SIGKILL");
          }
        } else {
          outcomes.otherStatus++;
        }
      } catch {
        // Connection reset or refused: the process is gone; such a report may or may not be stored.
        if (killed) outcomes.failedAfterKill++;
        else outcomes.failedBeforeKill++;
      }
    });
    const burstSeconds = (performance.now() - started) / 1000;
    await exited;

    expect(killed, "the server was killed midway").toBe(true);
    expect(outcomes.failedBeforeKill, "no request failed before the kill").toBe(0);
    expect(outcomes.otherStatus, "every answer before the kill was a 201").toBe(0);
    expect(first.output(), "the first server was still serving when killed").toContain("Server listening");
    // The WAL holds the last commits; they must be replayed, not lost, on the next open.
    const walBytes = existsSync(`${first.dbPath}-wal`) ? statSync(`${first.dbPath}-wal`).size : 0;

    const restarted = await startServer({ dbPath: first.dbPath, env: { RATECARD_RATE_LIMIT: "0" } });
    servers.push(restarted);

    const missing: Sent[] = [];
    const wrong: string[] = [];
    await runBounded(created.length, 16, async (i) => {
      const sent = created[i]!;
      const response = await fetch(`${restarted.url}/api/v1/reports/${sent.receipt}`, { signal: AbortSignal.timeout(30_000) });
      if (response.status !== 200) {
        missing.push(sent);
        await response.body?.cancel();
        return;
      }
      const { report } = (await response.json()) as { report: { state: string; source: string; rates: { paid: number }[] } };
      if (report.state !== sent.state || report.source !== "crowd" || report.rates[0]?.paid !== sent.paid) {
        wrong.push(`${sent.receipt}: ${JSON.stringify(report).slice(0, 120)}`);
      }
    });

    const db = new Database(first.dbPath, { readonly: true, fileMustExist: true });
    let crowdRows: number;
    let integrity: string;
    try {
      crowdRows = (db.prepare("SELECT count(*) AS n FROM reports WHERE source = 'crowd'").get() as { n: number }).n;
      integrity = db.pragma("integrity_check", { simple: true }) as string;
    } finally {
      db.close();
    }

    console.log(
      `crash safety: ${outcomes.created} × 201 in ${burstSeconds.toFixed(1)} s (SIGKILL after the ${killedAt}th), ` +
        `${outcomes.failedAfterKill} requests cut off by the kill, ${outcomes.notSent} never sent; WAL at the kill ${(walBytes / 1024).toFixed(0)} KB; ` +
        `after the restart: ${created.length - missing.length}/${created.length} receipts found, ${crowdRows} crowd reports stored, integrity ${integrity}`,
    );
    expect(missing.map((m) => m.receipt), "every 201 survives the crash").toEqual([]);
    expect(wrong, "each report comes back as it was sent").toEqual([]);
    // Reports whose answer was cut off by the kill may or may not be stored; never fewer than the 201s.
    expect(crowdRows).toBeGreaterThanOrEqual(created.length);
    expect(crowdRows).toBeLessThanOrEqual(created.length + outcomes.failedAfterKill);
    expect(integrity).toBe("ok");
  }, 120_000);
});

describe("the settings a 201 relies on (docs/decisions/0001-sqlite-wal.md)", () => {
  // A SIGKILL leaves the OS page cache intact, so the test above would pass even without fsync;
  // surviving power loss rests on these settings of the server's connection.
  it("opens the database in WAL mode with synchronous=FULL", () => {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-sync-"));
    const { sqlite } = openDatabase(join(dir, "ratecard.db"));
    try {
      expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(sqlite.pragma("synchronous", { simple: true }), "2 = FULL: the WAL is synced at every commit").toBe(2);
    } finally {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function isAlive(server: RunningServer): boolean {
  // kill(0) sends no signal: it only reports whether the process still exists.
  try {
    return server.kill(0 as unknown as NodeJS.Signals);
  } catch {
    return false;
  }
}
