// Contract tests for POST /api/v1/reports and GET|DELETE /api/v1/reports/{receipt} against the
// real server (DESIGN.md "API" and "Contract details"): every status, the error shape, the receipt.
import Database from "better-sqlite3";
import type { OutgoingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../helpers/server.ts";
import { rawRequest, type RawResponse } from "../helpers/http.ts";
import { STACK_FRAME } from "./support/http.ts";

const RECEIPT_FORMAT = /^(?:[a-z2-7]{4}-){6}[a-z2-7]{2}$/;

type Body = Record<string, unknown>;
type Rate = Record<string, unknown>;

function validRate(overrides: Rate = {}): Rate {
  return { cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 95, allowed: 151.74, ...overrides };
}

/** The submission example of DESIGN.md "Contract details". */
function validReport(overrides: Body = {}): Body {
  return {
    state: "OR", license: "lpc", years_licensed: "5-9",
    channel: "platform", platform: "alma", employment: "1099",
    rates: [validRate()],
    platform_experience: {
      told_of_fee_split: false, rate_cut_12m: true, can_export_records: false,
      monthly_fee: 125, percent_fee: null, non_compete: false,
      caseload_pressure: 3, equity_offered: false,
    },
    ...overrides,
  };
}

let server: RunningServer;

/** A request with exactly the headers given (node:http adds only Host and Connection). */
function raw(method: string, path: string, options: { headers?: OutgoingHttpHeaders; body?: string | Buffer; chunked?: boolean; base?: string } = {}): Promise<RawResponse> {
  const url = new URL(path, options.base ?? server.url);
  return rawRequest(url.origin, { method, path: `${url.pathname}${url.search}`, headers: options.headers, body: options.body, chunked: options.chunked });
}

function json(response: RawResponse): Body {
  expect(response.text, "no stack trace in a body").not.toMatch(STACK_FRAME);
  expect(String(response.headers["content-type"] ?? "(no content type)"), `a JSON body, got ${response.status}: ${response.text.slice(0, 80)}`).toMatch(/^application\/json/);
  return JSON.parse(response.text) as Body;
}

/** Every error everywhere: exactly {ok:false, status, error, errors:[{path, message}]}, status = HTTP status. */
function expectError(response: RawResponse, status: number): { path: string; message: string }[] {
  expect(response.status, response.text).toBe(status);
  const body = json(response);
  expect(Object.keys(body).sort()).toEqual(["error", "errors", "ok", "status"]);
  expect(body.ok).toBe(false);
  expect(body.status).toBe(status);
  expect(typeof body.error).toBe("string");
  expect((body.error as string).length).toBeGreaterThan(0);
  expect(Array.isArray(body.errors)).toBe(true);
  const errors = body.errors as { path: string; message: string }[];
  for (const error of errors) {
    expect(Object.keys(error).sort()).toEqual(["message", "path"]);
    expect(typeof error.path).toBe("string");
    expect(typeof error.message).toBe("string");
    expect(error.message).not.toMatch(STACK_FRAME);
  }
  return errors;
}

function postJson(body: unknown, base?: string): Promise<RawResponse> {
  return raw("POST", "/api/v1/reports", {
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(base ? { base } : {}),
  });
}

async function submit(body: Body = validReport()): Promise<{ receipt: string; review_status: string }> {
  const response = await postJson(body);
  expect(response.status, response.text).toBe(201);
  const parsed = json(response);
  return { receipt: parsed.receipt as string, review_status: parsed.review_status as string };
}

/** Row counts read straight from the database file, on a read-only connection closed at once. */
function countRows(table: "reports" | "rates"): number {
  const db = new Database(server.dbPath, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

describe("POST /api/v1/reports: 201", () => {
  it("answers 201 {ok:true, receipt, review_status} for the DESIGN example", async () => {
    const response = await postJson(validReport());
    expect(response.status, response.text).toBe(201);
    const body = json(response);
    expect(Object.keys(body).sort()).toEqual(["ok", "receipt", "review_status"]);
    expect(body.ok).toBe(true);
    expect(body.review_status).toBe("accepted");
    expect(body.receipt).toMatch(RECEIPT_FORMAT);
    expect((body.receipt as string).replaceAll("-", "")).toHaveLength(26);
  });

  it("accepts a minimal report (no allowed, no platform_experience, no employment)", async () => {
    const { platform_experience: _omitted, employment: _alsoOmitted, ...rest } = validReport();
    const { allowed: _allowed, ...rate } = validRate();
    const { review_status } = await submit({ ...rest, rates: [rate] });
    expect(review_status).toBe("accepted");
  });

  it("accepts self_pay rates without a payer, and direct/group rates with one", async () => {
    const selfPay = await submit(validReport({ channel: "self_pay", platform: null, rates: [validRate({ payer: null, allowed: null, plan_type: "unknown" })] }));
    expect(selfPay.review_status).toBe("accepted");
    const { payer: _payer, allowed: _allowed, ...noPayer } = validRate();
    await submit(validReport({ channel: "self_pay", platform: undefined, rates: [noPayer] }));
    await submit(validReport({ channel: "direct", platform: null }));
    await submit(validReport({ channel: "group", platform: null }));
  });

  it("accepts up to 10 rates", async () => {
    const rates = Array.from({ length: 10 }, (_, i) => validRate({ cpt: i % 2 === 0 ? "90837" : "90834", paid: 90 + i }));
    await submit(validReport({ rates }));
  });
});

describe("receipt round trip", () => {
  it("submit → GET shows the exact amounts → DELETE → GET 404", async () => {
    const rates = [validRate(), validRate({ cpt: "90834", modality: "in_person", payer: "aetna", paid: 79.5, allowed: 125 })];
    const { receipt } = await submit(validReport({ rates }));

    const got = await raw("GET", `/api/v1/reports/${receipt}`);
    expect(got.status, got.text).toBe(200);
    const body = json(got) as { ok: boolean; report: Record<string, unknown> };
    expect(body.ok).toBe(true);
    expect(got.headers["cache-control"]).toMatch(/no-store/);
    const report = body.report;
    expect(report).toMatchObject({
      state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma",
      review_status: "accepted", source: "crowd",
    });
    expect(report.month).toMatch(/^\d{4}-\d{2}$/);
    expect(report.rates).toEqual([
      { line: 1, cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 95, allowed: 151.74 },
      { line: 2, cpt: "90834", modality: "in_person", payer: "aetna", plan_type: "commercial", year: 2025, paid: 79.5, allowed: 125 },
    ]);
    const stored = report.stored_answers as Record<string, unknown>;
    expect(stored.monthly_fee).toBe(125);
    expect([1, 2, 3, 4, 5]).toContain(stored.caseload_pressure);
    expect(["1099", "w2"]).toContain(stored.employment);
    expect(report).not.toHaveProperty("id");
    expect(report).not.toHaveProperty("receipt_hash");

    const deleted = await raw("DELETE", `/api/v1/reports/${receipt}`);
    expect(deleted.status, deleted.text).toBe(200);
    expect(json(deleted)).toMatchObject({ ok: true });

    expectError(await raw("GET", `/api/v1/reports/${receipt}`), 404);
    expectError(await raw("DELETE", `/api/v1/reports/${receipt}`), 404);
  });

  it("accepts the receipt in upper case or with spaces instead of dashes", async () => {
    const { receipt } = await submit();
    const upper = await raw("GET", `/api/v1/reports/${receipt.toUpperCase()}`);
    expect(upper.status, upper.text).toBe(200);
    const spaced = await raw("GET", `/api/v1/reports/${encodeURIComponent(receipt.replaceAll("-", " "))}`);
    expect(spaced.status, spaced.text).toBe(200);
    const bare = await raw("GET", `/api/v1/reports/${receipt.replaceAll("-", "")}`);
    expect(bare.status, bare.text).toBe(200);
    const deleted = await raw("DELETE", `/api/v1/reports/${encodeURIComponent(receipt.toUpperCase().replaceAll("-", " "))}`);
    expect(deleted.status, deleted.text).toBe(200);
    expectError(await raw("GET", `/api/v1/reports/${receipt}`), 404);
  });

  it("lets a curl-style DELETE with no headers at all (no Origin, no Content-Type) delete", async () => {
    const { receipt } = await submit();
    const deleted = await raw("DELETE", `/api/v1/reports/${receipt}`, { headers: {} });
    expect(deleted.status, deleted.text).toBe(200);
    expect(json(deleted)).toMatchObject({ ok: true });
    expectError(await raw("GET", `/api/v1/reports/${receipt}`), 404);
  });
});

describe("400: bad input", () => {
  it("refuses a body that is not JSON", async () => {
    expectError(await postJson("{\"state\": \"OR\","), 400);
    expectError(await postJson(""), 400);
  });

  it("refuses JSON that is not a report object", async () => {
    for (const body of ["null", "[]", "42", "\"report\""]) expectError(await postJson(body), 400);
  });

  const cases: { name: string; body: () => Body; path: string }[] = [
    { name: "paid as a string", body: () => validReport({ rates: [validRate({ paid: "95" })] }), path: "rates.0.paid" },
    { name: "paid of zero", body: () => validReport({ rates: [validRate({ paid: 0 })] }), path: "rates.0.paid" },
    { name: "negative paid", body: () => validReport({ rates: [validRate({ paid: -5 })] }), path: "rates.0.paid" },
    { name: "paid with 3 decimals", body: () => validReport({ rates: [validRate({ paid: 95.125 })] }), path: "rates.0.paid" },
    { name: "missing paid", body: () => { const { paid: _p, ...rate } = validRate(); return validReport({ rates: [rate] }); }, path: "rates.0.paid" },
    { name: "allowed as a string", body: () => validReport({ rates: [validRate(), validRate({ allowed: "lots" })] }), path: "rates.1.allowed" },
    { name: "unknown state", body: () => validReport({ state: "ZZ" }), path: "state" },
    { name: "unknown license", body: () => validReport({ license: "shaman" }), path: "license" },
    { name: "bad years_licensed", body: () => validReport({ years_licensed: "7" }), path: "years_licensed" },
    { name: "bad channel", body: () => validReport({ channel: "barter" }), path: "channel" },
    { name: "bad employment", body: () => validReport({ employment: "salaried" }), path: "employment" },
    { name: "bad modality", body: () => validReport({ rates: [validRate({ modality: "phone" })] }), path: "rates.0.modality" },
    { name: "bad plan type", body: () => validReport({ rates: [validRate({ plan_type: "gold" })] }), path: "rates.0.plan_type" },
    { name: "year before 2020", body: () => validReport({ rates: [validRate({ year: 2019 })] }), path: "rates.0.year" },
    { name: "year in the future", body: () => validReport({ rates: [validRate({ year: new Date().getUTCFullYear() + 2 })] }), path: "rates.0.year" },
    { name: "fractional year", body: () => validReport({ rates: [validRate({ year: 2025.5 })] }), path: "rates.0.year" },
    { name: "malformed CPT code", body: () => validReport({ rates: [validRate({ cpt: "therapy" })] }), path: "rates.0.cpt" },
    { name: "platform missing for channel platform", body: () => validReport({ platform: null }), path: "platform" },
    { name: "platform given for channel direct", body: () => validReport({ channel: "direct" }), path: "platform" },
    { name: "payer missing for channel platform", body: () => validReport({ rates: [validRate({ payer: null })] }), path: "rates.0.payer" },
    { name: "payer missing for channel direct", body: () => validReport({ channel: "direct", platform: null, rates: [validRate(), validRate({ payer: null })] }), path: "rates.1.payer" },
    { name: "payer missing for channel group", body: () => { const { payer: _p, ...rate } = validRate(); return validReport({ channel: "group", platform: null, rates: [rate] }); }, path: "rates.0.payer" },
    { name: "payer given for self_pay", body: () => validReport({ channel: "self_pay", platform: null, rates: [validRate({ allowed: null })] }), path: "rates.0.payer" },
    { name: "no rates", body: () => validReport({ rates: [] }), path: "rates" },
    { name: "rates missing", body: () => { const { rates: _r, ...rest } = validReport(); return rest; }, path: "rates" },
    { name: "more than 10 rates", body: () => validReport({ rates: Array.from({ length: 11 }, () => validRate()) }), path: "rates" },
    { name: "caseload pressure 6", body: () => validReport({ platform_experience: { caseload_pressure: 6 } }), path: "platform_experience.caseload_pressure" },
    { name: "percent fee over 100", body: () => validReport({ platform_experience: { percent_fee: 130 } }), path: "platform_experience.percent_fee" },
    { name: "yes/no answer as a string", body: () => validReport({ platform_experience: { told_of_fee_split: "yes" } }), path: "platform_experience.told_of_fee_split" },
    { name: "unknown CPT code", body: () => validReport({ rates: [validRate({ cpt: "99213" })] }), path: "rates.0.cpt" },
    { name: "unknown payer slug", body: () => validReport({ rates: [validRate({ payer: "acme-health" })] }), path: "rates.0.payer" },
    { name: "unknown platform slug", body: () => validReport({ platform: "acme-therapy" }), path: "platform" },
  ];

  it.each(cases)("$name → 400 with path $path", async ({ body, path }) => {
    const before = countRows("reports");
    const errors = expectError(await postJson(body()), 400);
    expect(errors.map((error) => error.path)).toContain(path);
    for (const error of errors) expect(error.message.length).toBeGreaterThan(0);
    expect(countRows("reports")).toBe(before);
  });

  it("refuses an unknown field, naming it (top level and inside a rate)", async () => {
    const top = expectError(await postJson(validReport({ npi: "1234567890" })), 400);
    expect(top.some((error) => error.path === "" && error.message.includes("npi")), JSON.stringify(top)).toBe(true);
    const inRate = expectError(await postJson(validReport({ rates: [validRate({ email: "me@example.com" })] })), 400);
    expect(inRate.some((error) => error.path === "rates.0" && error.message.includes("email")), JSON.stringify(inRate)).toBe(true);
    const inExperience = expectError(await postJson(validReport({ platform_experience: { name: "x" } })), 400);
    expect(inExperience.some((error) => error.path === "platform_experience" && error.message.includes("name")), JSON.stringify(inExperience)).toBe(true);
  });

  it("reports every bad field at once", async () => {
    const errors = expectError(await postJson(validReport({ state: "ZZ", rates: [validRate({ paid: -1, modality: "phone" })] })), 400);
    expect(errors.map((error) => error.path)).toEqual(expect.arrayContaining(["state", "rates.0.paid", "rates.0.modality"]));
  });

  it("stores nothing when the 2nd rate has an unknown CPT code (one transaction)", async () => {
    const reportsBefore = countRows("reports");
    const ratesBefore = countRows("rates");
    const errors = expectError(await postJson(validReport({ rates: [validRate(), validRate({ cpt: "99999" })] })), 400);
    expect(errors).toEqual([expect.objectContaining({ path: "rates.1.cpt" })]);
    expect(countRows("reports")).toBe(reportsBefore);
    expect(countRows("rates")).toBe(ratesBefore);
  });

  it("answers 400 with path receipt for a malformed receipt code", async () => {
    for (const bad of ["nope", "abcd-efgh", "0000-0000-0000-0000-0000-0000-00", `${"a".repeat(27)}`]) {
      const errors = expectError(await raw("GET", `/api/v1/reports/${bad}`), 400);
      expect(errors.map((error) => error.path)).toContain("receipt");
      expectError(await raw("DELETE", `/api/v1/reports/${bad}`), 400);
    }
  });
});

describe("held reports (rule 'Hold implausible reports')", () => {
  it("holds a report with pay of $5,000 as pending", async () => {
    const { receipt, review_status } = await submit(validReport({ rates: [validRate(), validRate({ paid: 5000, allowed: null })] }));
    expect(review_status).toBe("pending");
    const got = json(await raw("GET", `/api/v1/reports/${receipt}`)) as { report: { review_status: string } };
    expect(got.report.review_status).toBe("pending");
  });

  it("holds a report whose payer amount is below its pay's band (paid 95, allowed 40)", async () => {
    const { review_status } = await submit(validReport({ rates: [validRate({ paid: 95, allowed: 40 })] }));
    expect(review_status).toBe("pending");
  });

  it("accepts plausible pay (paid 95, allowed 151.74)", async () => {
    expect((await submit()).review_status).toBe("accepted");
  });
});

describe("404, 405, 413, 415", () => {
  it("answers 404 for an unknown receipt", async () => {
    const unknown = "aaaa-bbbb-cccc-dddd-eeee-ffff-gg";
    expectError(await raw("GET", `/api/v1/reports/${unknown}`), 404);
    expectError(await raw("DELETE", `/api/v1/reports/${unknown}`), 404);
  });

  it("answers 404 in the error shape for an unknown /api route", async () => {
    for (const path of ["/api/v1/nothing-here", "/api/nope", "/api/v2/reports", "/api/v1/reports/abcd/extra"]) {
      expectError(await raw("GET", path), 404);
    }
    expectError(await raw("POST", "/api/v1/nothing-here", { headers: { "Content-Type": "application/json" }, body: "{}" }), 404);
  });

  it("answers 405 with Allow for PUT and PATCH on /api/v1/reports", async () => {
    for (const method of ["PUT", "PATCH"]) {
      const response = await raw(method, "/api/v1/reports", { headers: { "Content-Type": "application/json" }, body: JSON.stringify(validReport()) });
      expectError(response, 405);
      const allow = String(response.headers.allow ?? "");
      expect(allow).toMatch(/\bPOST\b/);
      expect(allow).not.toMatch(/\b(PUT|PATCH)\b/);
    }
  });

  it("answers 405 with Allow for PUT and PATCH on /api/v1/reports/{receipt}", async () => {
    const { receipt } = await submit();
    for (const method of ["PUT", "PATCH"]) {
      const response = await raw(method, `/api/v1/reports/${receipt}`, { headers: { "Content-Type": "application/json" }, body: "{}" });
      expectError(response, 405);
      const allow = String(response.headers.allow ?? "");
      expect(allow).toMatch(/\bGET\b/);
      expect(allow).toMatch(/\bDELETE\b/);
      expect(allow).not.toMatch(/\b(PUT|PATCH)\b/);
    }
    // The report is untouched.
    expect((await raw("GET", `/api/v1/reports/${receipt}`)).status).toBe(200);
  });

  const oversized = () => JSON.stringify({ ...validReport(), padding: "x".repeat(17 * 1024) });

  it("answers 413 for a body over 16 KB with Content-Length", async () => {
    const before = countRows("reports");
    expectError(await raw("POST", "/api/v1/reports", { headers: { "Content-Type": "application/json" }, body: oversized() }), 413);
    expect(countRows("reports")).toBe(before);
  });

  it("answers 413 for a chunked body over 16 KB without Content-Length", async () => {
    const before = countRows("reports");
    const response = await raw("POST", "/api/v1/reports", { headers: { "Content-Type": "application/json" }, body: oversized(), chunked: true });
    expectError(response, 413);
    expect(countRows("reports")).toBe(before);
  });

  it("answers 415 for text/plain, form-encoded and a missing content type", async () => {
    const body = JSON.stringify(validReport());
    const before = countRows("reports");
    expectError(await raw("POST", "/api/v1/reports", { headers: { "Content-Type": "text/plain" }, body }), 415);
    expectError(await raw("POST", "/api/v1/reports", { headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "state=OR&license=lpc" }), 415);
    expectError(await raw("POST", "/api/v1/reports", { headers: { "Content-Type": "multipart/form-data; boundary=x" }, body: "--x--" }), 415);
    expectError(await raw("POST", "/api/v1/reports", { headers: {}, body }), 415);
    expect(countRows("reports")).toBe(before);
  });

  it("never answers 500 to odd bodies: each is a 4xx in the error shape", async () => {
    const bodies: (string | Buffer)[] = [
      "{\"__proto__\": {\"ok\": true}}",
      "{\"constructor\": {\"prototype\": {\"x\": 1}}}",
      JSON.stringify({ ...validReport(), __proto__: { admin: true } }).replace("\"state\"", "\"__proto__\":{\"x\":1},\"state\""),
      "{\"rates\": [{\"paid\": 1e309}]}",
      `${"[".repeat(7000)}${"]".repeat(7000)}`,
      `${"{\"a\":".repeat(2000)}1${"}".repeat(2000)}`,
      Buffer.from([0x7b, 0x22, 0x73, 0x74, 0x61, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      JSON.stringify(validReport({ rates: [validRate({ paid: Number.MAX_SAFE_INTEGER })] })),
    ];
    for (const body of bodies) {
      const response = await raw("POST", "/api/v1/reports", { headers: { "Content-Type": "application/json" }, body });
      expect(response.status, `${String(body).slice(0, 60)} → ${response.text}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expectError(response, response.status);
    }
  });

  it("answers a malformed percent-encoding in an /api path in the error shape", async () => {
    expectError(await raw("GET", "/api/v1/reports/%E0%A4%A"), 400);
    expectError(await raw("DELETE", "/api/v1/reports/%ZZ"), 400);
  });

  it("answers a CORS preflight for the API with 204", async () => {
    const response = await raw("OPTIONS", "/api/v1/reports", { headers: { Origin: "https://newsroom.example", "Access-Control-Request-Method": "POST" } });
    expect(response.status).toBe(204);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
    expect(String(response.headers["access-control-allow-methods"])).toMatch(/\bPOST\b/);
  });

  it("accepts application/json with a charset parameter", async () => {
    const response = await raw("POST", "/api/v1/reports", { headers: { "Content-Type": "application/json; charset=utf-8" }, body: JSON.stringify(validReport()) });
    expect(response.status, response.text).toBe(201);
  });
});

describe("403: cross-site form posts", () => {
  it("refuses a form POST with a foreign Origin to a non-API page, in the error shape", async () => {
    for (const path of ["/share", "/receipt", "/"]) {
      const response = await raw("POST", path, {
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
        body: "state=OR&license=lpc",
      });
      expectError(response, 403);
    }
  });

  it("refuses a form POST with Origin: null and no fetch metadata to a non-API page", async () => {
    // With neither header the client is no browser and passes (tests/api/action-origin.test.ts).
    expectError(await raw("POST", "/share", { headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "null" }, body: "state=OR" }), 403);
  });

  it("does not apply the form origin check to the JSON API (cross-origin API clients are allowed)", async () => {
    const response = await raw("POST", "/api/v1/reports", {
      headers: { "Content-Type": "application/json", Origin: "https://newsroom.example" },
      body: JSON.stringify(validReport()),
    });
    expect(response.status, response.text).toBe(201);
    expect(response.headers["access-control-allow-origin"]).toBe("*");
  });
});

describe("429: rate limit", () => {
  let limited: RunningServer;

  beforeAll(async () => {
    limited = await startServer({ env: { RATECARD_RATE_LIMIT: "2" } });
  });

  afterAll(async () => {
    await limited?.stop();
  });

  it("answers the third submission within the hour with 429 and Retry-After", async () => {
    expect((await postJson(validReport(), limited.url)).status).toBe(201);
    expect((await postJson(validReport(), limited.url)).status).toBe(201);
    const third = await postJson(validReport(), limited.url);
    expectError(third, 429);
    const retryAfter = Number(third.headers["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // A refused submission stores nothing.
    const db = new Database(limited.dbPath, { readonly: true, fileMustExist: true });
    try {
      expect((db.prepare("SELECT count(*) AS n FROM reports WHERE source = 'crowd'").get() as { n: number }).n).toBe(2);
    } finally {
      db.close();
    }
  });

  it("does not let a spoofed X-Forwarded-For escape the limit (no trusted proxy by default)", async () => {
    const spoofed = await raw("POST", "/api/v1/reports", {
      base: limited.url,
      headers: { "Content-Type": "application/json", "X-Forwarded-For": "198.51.100.23" },
      body: JSON.stringify(validReport()),
    });
    expectError(spoofed, 429);
  });
});
