// Rules "No identity" and "Randomized answers" at collection, checked against the running server
// and the raw bytes of its database files: no IP, no user agent, month only, deletes leave no
// trace, logs hold no bodies or addresses, stored yes/no answers follow the 3/4 + coin scheme.
import Database from "better-sqlite3";
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiptHash } from "../../src/lib/write/receipts.ts";
import { startServer, type RunningServer } from "../helpers/server.ts";

const USER_AGENT = "RatecardPrivacyProbe/9.9";
const FORWARDED_FOR = "203.0.113.77";
const PAID = 123.45;
const ALLOWED = 187.65;
const MONTHLY_FEE = 246.81;
/** 7/8: a yes/no answer is kept with probability 3/4, else replaced by a fair coin. */
const STORED_AS_GIVEN = 0.875;
const TOLERANCE = 0.06;
const ANSWERS_PER_VALUE = 400;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { RATECARD_RATE_LIMIT: "0" } });
});

afterAll(async () => {
  await server?.stop();
});

function report(overrides: Record<string, unknown> = {}, experience: Record<string, unknown> = {}) {
  return {
    state: "OR", license: "lpc", years_licensed: "5-9",
    channel: "platform", platform: "alma", employment: "1099",
    rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 95, allowed: 151.74 }],
    platform_experience: { told_of_fee_split: false, caseload_pressure: 3, ...experience },
    ...overrides,
  };
}

async function submit(body: unknown, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${server.url}/api/v1/reports`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, text).toBe(201);
  return (JSON.parse(text) as { receipt: string }).receipt;
}

/** The bytes of the database file and its WAL (if any), as latin1 text for substring search. */
function fileBytes(): { db: string; wal: string } {
  const wal = `${server.dbPath}-wal`;
  return {
    db: readFileSync(server.dbPath).toString("latin1"),
    wal: existsSync(wal) ? readFileSync(wal).toString("latin1") : "",
  };
}

function withDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(server.dbPath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe("rule 'No identity' at collection", () => {
  let receipt: string;
  let reportId: string;
  let hash: string;

  beforeAll(async () => {
    receipt = await submit(
      report({
        rates: [
          { cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: PAID, allowed: ALLOWED },
        ],
      }, { monthly_fee: MONTHLY_FEE }),
      { "User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED_FOR, "X-Real-IP": FORWARDED_FOR },
    );
    hash = receiptHash(receipt);
    reportId = withDb((db) => (db.prepare("SELECT id FROM reports WHERE receipt_hash = ?").get(hash) as { id: string }).id);
  });

  it("stores only the receipt's hash, never the receipt itself", () => {
    const { db, wal } = fileBytes();
    expect(db + wal).not.toContain(receipt);
    expect(db + wal).not.toContain(receipt.replaceAll("-", ""));
    // Sanity: the hash is there as text, so searching the bytes finds stored text.
    expect(db + wal).toContain(hash);
  });

  it("keeps neither the client's address nor its user agent in the database or the WAL", () => {
    const { db, wal } = fileBytes();
    for (const bytes of [db, wal]) {
      expect(bytes).not.toContain(FORWARDED_FOR);
      expect(bytes).not.toContain(USER_AGENT);
      expect(bytes).not.toContain("RatecardPrivacyProbe");
    }
  });

  it("stores the month only (YYYY-MM), and no column holds a timestamp of today", () => {
    const row = withDb((db) => db.prepare("SELECT * FROM reports WHERE id = ?").get(reportId) as Record<string, unknown>);
    const rateRows = withDb((db) => db.prepare("SELECT * FROM rates WHERE report_id = ?").all(reportId) as Record<string, unknown>[]);
    expect(row.month).toMatch(/^\d{4}-\d{2}$/);
    const now = new Date();
    expect([now.toISOString().slice(0, 7), new Date(now.getTime() - 86_400_000).toISOString().slice(0, 7)]).toContain(row.month);
    expect(rateRows).toHaveLength(1);
    const today = now.toISOString().slice(0, 10);
    const nowMs = now.getTime();
    for (const record of [row, ...rateRows]) {
      for (const [column, value] of Object.entries(record)) {
        if (typeof value === "string") {
          expect(value, column).not.toContain(today);
          expect(value, column).not.toMatch(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/);
          expect(value, column).not.toMatch(/^\d{10,13}$/);
        }
        if (typeof value === "number" || typeof value === "bigint") {
          const n = Number(value);
          // Neither Unix seconds nor milliseconds near now, nor a Julian day number.
          expect(Math.abs(n - nowMs) < 3 * 86_400_000, `${column} looks like a timestamp in ms`).toBe(false);
          expect(Math.abs(n - nowMs / 1000) < 3 * 86_400, `${column} looks like a timestamp in s`).toBe(false);
          expect(Math.abs(n - (nowMs / 86_400_000 + 2_440_587.5)) < 3, `${column} looks like a Julian day`).toBe(false);
        }
      }
    }
    const columns = withDb((db) => (db.prepare("SELECT name FROM pragma_table_info('reports')").all() as { name: string }[]).map((c) => c.name));
    for (const column of columns) expect(column).not.toMatch(/^(ip|user_agent|ua|email|name|npi|created_at|submitted_at|timestamp|created)$/i);
  });

  it("uses a random report id, not a sequence number", () => {
    expect(reportId).not.toMatch(/^\d+$/);
    expect(reportId.length).toBeGreaterThanOrEqual(16);
  });

  it("keeps no request body values, user agent or address in the server's output", () => {
    const output = server.output();
    expect(output).toContain("Server listening");
    const otherLines = output.split("\n").filter((line) => !line.includes("Server listening"));
    expect(otherLines.join("\n"), "the socket address appears only in the listening line").not.toContain("127.0.0.1");
    for (const secret of [USER_AGENT, "RatecardPrivacyProbe", FORWARDED_FOR, String(PAID), String(ALLOWED), String(MONTHLY_FEE), receipt, hash, reportId]) {
      expect(output, `server output mentions ${secret}`).not.toContain(secret);
    }
  });

  it("after DELETE, the report is gone from SELECTs and from the bytes of the database and WAL", async () => {
    const before = fileBytes();
    expect(before.db + before.wal, "the report id is stored as text before the delete").toContain(reportId);

    const response = await fetch(`${server.url}/api/v1/reports/${receipt}`, { method: "DELETE" });
    expect(response.status, await response.text()).toBe(200);

    withDb((db) => {
      expect(db.prepare("SELECT count(*) AS n FROM reports WHERE id = ? OR receipt_hash = ?").get(reportId, hash)).toEqual({ n: 0 });
      expect(db.prepare("SELECT count(*) AS n FROM rates WHERE report_id = ?").get(reportId)).toEqual({ n: 0 });
      expect(db.prepare("SELECT count(*) AS n FROM rates WHERE paid_cents = ? AND allowed_cents = ?").get(Math.round(PAID * 100), Math.round(ALLOWED * 100))).toEqual({ n: 0 });
    });
    const after = fileBytes();
    for (const [name, bytes] of Object.entries(after)) {
      expect(bytes, `${name} still holds the receipt hash`).not.toContain(hash);
      expect(bytes, `${name} still holds the report id`).not.toContain(reportId);
    }
    const view = await fetch(`${server.url}/api/v1/reports/${receipt}`);
    expect(view.status).toBe(404);
  });
});

describe("rule 'Randomized answers' at collection", () => {
  async function storedAnswers(answer: boolean, count: number): Promise<{ told: boolean[]; employment1099: boolean[] }> {
    const told: boolean[] = [];
    const employment1099: boolean[] = [];
    const one = async () => {
      const receipt = await submit(report({ employment: answer ? "1099" : "w2" }, { told_of_fee_split: answer }));
      const response = await fetch(`${server.url}/api/v1/reports/${receipt}`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { report: { stored_answers: { told_of_fee_split: boolean; employment: string } } };
      told.push(body.report.stored_answers.told_of_fee_split);
      employment1099.push(body.report.stored_answers.employment === "1099");
    };
    // A few requests at a time: fast, without flooding the single SQLite writer.
    const concurrency = 8;
    let started = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (started < count) {
        started++;
        await one();
      }
    }));
    return { told, employment1099 };
  }

  const share = (values: boolean[], wanted: boolean) => values.filter((value) => value === wanted).length / values.length;

  it(`stores a true answer as true about 7/8 of the time (${ANSWERS_PER_VALUE} reports)`, async () => {
    const { told, employment1099 } = await storedAnswers(true, ANSWERS_PER_VALUE);
    expect(told).toHaveLength(ANSWERS_PER_VALUE);
    const told1 = share(told, true);
    expect(told1).toBeGreaterThan(STORED_AS_GIVEN - TOLERANCE);
    expect(told1).toBeLessThan(STORED_AS_GIVEN + TOLERANCE);
    // Not stored as given every time: the answer really is randomized.
    expect(told1).toBeLessThan(1);
    const employment = share(employment1099, true);
    expect(employment).toBeGreaterThan(STORED_AS_GIVEN - TOLERANCE);
    expect(employment).toBeLessThan(STORED_AS_GIVEN + TOLERANCE);
  }, 120_000);

  it(`stores a false answer as false about 7/8 of the time (${ANSWERS_PER_VALUE} reports)`, async () => {
    const { told, employment1099 } = await storedAnswers(false, ANSWERS_PER_VALUE);
    expect(told).toHaveLength(ANSWERS_PER_VALUE);
    const told0 = share(told, false);
    expect(told0).toBeGreaterThan(STORED_AS_GIVEN - TOLERANCE);
    expect(told0).toBeLessThan(STORED_AS_GIVEN + TOLERANCE);
    expect(told0).toBeLessThan(1);
    const employmentW2 = share(employment1099, false);
    expect(employmentW2).toBeGreaterThan(STORED_AS_GIVEN - TOLERANCE);
    expect(employmentW2).toBeLessThan(STORED_AS_GIVEN + TOLERANCE);
  }, 120_000);

  it("keeps none of the many submitted bodies in the server's output", () => {
    const output = server.output();
    expect(output).not.toMatch(/told_of_fee_split|"rates"|"paid"/);
  });
});
