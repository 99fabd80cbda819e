// Fuzzing the running server (issue 8, "Fuzzing"; the generators are in fuzz-inputs.ts): methods, paths (the
// site's real routes, random segments, traversal, very long paths), query strings (repeated keys,
// huge numbers, malformed percent-encoding and UTF-8), headers and bodies (random JSON, 10k-deep
// nesting, 1e309, invalid UTF-8, wrong content types, 20 KB). 10,000 requests go to ONE server
// through raw node:http requests, 16 in flight. Asserted: no 5xx, no stack trace or server path
// in any body, and the server still answers GET / with 200 at the end.
//
// The inputs are drawn from a fixed seed so that a run is reproducible; FUZZ_SEED=<n> draws
// another set and FUZZ_RUNS=<n> changes the count. The run prints the status histogram and the
// statuses per route family; each failing request is replayed alone to read the error the server
// logged for it, and failures are grouped by that error with an example request each. The inputs
// that broke the server when this suite was written are also tests of their own (KNOWN below).
import fc from "fast-check";
import { Agent, type OutgoingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, startServer, type RunningServer } from "../helpers/server.ts";
import { runBounded, validReport } from "./support.ts";
import { rawRequest, type RawResponse } from "../helpers/http.ts";
import { ETAG, ROUTES, SAME_ORIGIN, request, type FuzzRequest } from "./fuzz-inputs.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const CONCURRENCY = 16;

/** A stack frame line ("    at fn (file:line)") or a path on the server's disk. */
const LEAKS: [string, RegExp][] = [
  ["stack frame line", /^ {4}at \S/m],
  ["stack frame", /\bat\s+(?:\S+\s+\()?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s)]*:\d+:\d+/],
  ["server path /work/", /\/work\//],
  ["the project's path", new RegExp(PROJECT_ROOT.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))],
  ["node_modules path", /node_modules/],
];


const reportWith = (rate: Record<string, unknown>) =>
  JSON.stringify(validReport({ rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 95, allowed: 151.74, ...rate }] }));

/**
 * Inputs that broke the server when this suite was written (each was a 500 with the error and a
 * fragment of the body in the server log), kept whatever the seed, each also as a test of its own.
 */
const KNOWN: { name: string; request: FuzzRequest }[] = [
  { name: "TRACE is answered, not a 500 (undici's Request refuses the method)", request: { method: "TRACE", path: "/", headers: {}, body: undefined } },
  { name: "TRACE on the API", request: { method: "TRACE", path: "/api/v1/aggregates.json", headers: {}, body: undefined } },
  { name: "an /_actions/ name that does not percent-decode (guard.ts actionName)", request: { method: "GET", path: "/_actions/x%25zz", headers: {}, body: undefined } },
  { name: "an /_actions/ name that does not percent-decode, POST", request: { method: "POST", path: "/_actions/share%25", headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" }, body: "a=b" } },
  { name: "a ?_action= name that does not percent-decode (Astro's action loader)", request: { method: "POST", path: "/share?_action=%25", headers: { "content-type": "application/json" }, body: "{}" } },
  { name: "a form action posted as invalid JSON (?_action=)", request: { method: "POST", path: "/share?_action=share", headers: { "content-type": "application/json" }, body: "{" } },
  { name: "a form action posted as invalid JSON (/_actions/)", request: { method: "POST", path: "/_actions/share", headers: { "content-type": "application/json" }, body: "x" } },
  { name: "a form action posted as invalid JSON to an API path", request: { method: "POST", path: "/api/v1/reports?_action=share", headers: { "content-type": "application/json" }, body: "NaN" } },
  { name: "/check-offer posted as JSON (the page calls formData())", request: { method: "POST", path: "/check-offer", headers: { "content-type": "application/json" }, body: "{}" } },
  { name: "/check-offer posted as a malformed multipart form", request: { method: "POST", path: "/check-offer", headers: { "content-type": "multipart/form-data; boundary=x", "sec-fetch-site": "same-origin" }, body: "x" } },
  { name: "pay of $0.000000001 (passes zod, rounds to 0 cents, fails the CHECK constraint)", request: { method: "POST", path: "/api/v1/reports", headers: { "content-type": "application/json" }, body: reportWith({ paid: 1e-9 }) } },
  { name: "a payer amount of $0.000000001", request: { method: "POST", path: "/api/v1/reports", headers: { "content-type": "application/json" }, body: reportWith({ allowed: 1e-9 }) } },
];

/** Explicit cases, kept whatever the seed: the known ones and a few that could break a parser. */
const REGRESSIONS: FuzzRequest[] = [
  ...KNOWN.map((k) => k.request),
  { method: "GET", path: "/api/v1/reports/%E0%A4%A", headers: {}, body: undefined },
  { method: "POST", path: "/api/v1/reports", headers: { "content-type": "application/json" }, body: `${"[".repeat(10_000)}${"]".repeat(10_000)}` },
  { method: "POST", path: "/api/v1/reports", headers: { "content-type": "application/json" }, body: '{"rates":[{"paid":1e309}]}' },
  { method: "POST", path: "/share?_action=share", headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" }, body: `rates.0.paid=1e309&${"rates.0.cpt=9&".repeat(500)}` },
  { method: "GET", path: `/compare?cpt=${"9".repeat(400)}&year=1e309&state=%ED%A0%80`, headers: {}, body: undefined },
];

type Outcome = { request: FuzzRequest; status: number; problem?: string; apiShape?: boolean };

/** Whether an /api/ error answer has the documented shape {ok:false, status, error, errors}. */
function inErrorShape(response: RawResponse): boolean {
  try {
    const body = JSON.parse(response.text) as Record<string, unknown>;
    return body.ok === false && body.status === response.status && typeof body.error === "string" && Array.isArray(body.errors);
  } catch {
    return false;
  }
}

function describeRequest(r: FuzzRequest): string {
  const body = r.body === undefined ? "" : ` body(${Buffer.byteLength(r.body)} B)=${JSON.stringify(Buffer.isBuffer(r.body) ? r.body.toString("latin1").slice(0, 200) : r.body.slice(0, 200))}`;
  return `${r.method} ${r.path.length > 300 ? `${r.path.slice(0, 300)}…(${r.path.length} chars)` : r.path} headers=${JSON.stringify(r.headers).slice(0, 400)}${body}`;
}

function problemsOf(response: RawResponse): string | undefined {
  if (response.status >= 500) return `status ${response.status}`;
  for (const [name, pattern] of LEAKS) {
    const match = pattern.exec(response.text);
    if (match) return `${name} in the body: ${JSON.stringify(response.text.slice(Math.max(0, match.index - 80), match.index + 120))}`;
  }
  return undefined;
}

/** Statuses per route family (first path segment; /api/v1/<name>), to show what the run reached. */
function familyTable(outcomes: Outcome[]): string {
  const table = new Map<string, Map<string, number>>();
  for (const { request: r, status } of outcomes) {
    const pathname = r.path.split("?")[0]!;
    const parts = pathname.split("/");
    const family = pathname.startsWith("/api/v1/") ? `/api/v1/${parts[3] ?? ""}` : `/${parts[1] ?? ""}`.slice(0, 24);
    const known = ROUTES.some((route) => route === family || route.startsWith(`${family}/`)) ? family : "(other paths)";
    const row = table.get(known) ?? new Map<string, number>();
    const klass = status === 0 ? "none" : `${String(status)[0]}xx`;
    row.set(klass, (row.get(klass) ?? 0) + 1);
    table.set(known, row);
  }
  const lines = [...table].sort((a, b) => a[0].localeCompare(b[0])).map(([family, row]) => `  ${family.padEnd(26)} ${["2xx", "3xx", "4xx", "5xx", "none"].map((k) => `${k} ${String(row.get(k) ?? 0).padStart(4)}`).join("  ")}`);
  return `by route family:\n${lines.join("\n")}`;
}

let server: RunningServer;
let etag = "";

beforeAll(async () => {
  server = await startServer({ env: { RATECARD_RATE_LIMIT: "0" } });
  const first = await rawRequest(server.url, { method: "GET", path: "/api/v1/aggregates.json?cpt=90837" });
  etag = String(first.headers.etag ?? '"none"');
});

afterAll(async () => {
  await server?.stop();
});

describe("fuzzing the running server", () => {
  it(`answers ${RUNS.toLocaleString("en-US")} generated requests (seed ${SEED}) without a 5xx or a stack trace, and stays up`, async () => {
    const generated = fc.sample(request, { seed: SEED, numRuns: Math.max(0, RUNS - REGRESSIONS.length) });
    const requests = [...REGRESSIONS, ...generated];
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const outcomes: Outcome[] = [];
    const statuses = new Map<number | string, number>();
    const started = performance.now();

    const send = async (r: FuzzRequest, fresh: boolean): Promise<RawResponse> => {
      const sent: OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(r.headers)) {
        sent[name] = value.replaceAll(SAME_ORIGIN, server.url).replaceAll(ETAG, etag);
      }
      return rawRequest(server.url, { method: r.method, path: r.path, headers: sent, body: r.body, agent: fresh ? undefined : agent, timeoutMs: 20_000 });
    };

    await runBounded(requests.length, CONCURRENCY, async (index) => {
      const r = requests[index]!;
      let response: RawResponse;
      try {
        response = await send(r, false);
      } catch {
        // A kept-alive socket the server had just closed: try once more on a new connection.
        try {
          response = await send(r, true);
        } catch (error) {
          statuses.set("no answer", (statuses.get("no answer") ?? 0) + 1);
          outcomes.push({ request: r, status: 0, problem: `no answer: ${(error as Error).message}` });
          return;
        }
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const problem = problemsOf(response);
      const api = r.path.startsWith("/api/") && response.status >= 400 && r.method !== "HEAD";
      outcomes.push({ request: r, status: response.status, ...(problem ? { problem } : {}), ...(api ? { apiShape: inErrorShape(response) } : {}) });
    });
    agent.destroy();
    const seconds = (performance.now() - started) / 1000;

    const histogram = Object.fromEntries([...statuses].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    console.log(`fuzz: ${requests.length} requests (seed ${SEED}) in ${seconds.toFixed(1)} s, ${(requests.length / seconds).toFixed(0)}/s; statuses ${JSON.stringify(histogram)}`);
    console.log(familyTable(outcomes));
    // Reported, not asserted: /api/ errors outside the documented shape (Node answers 400/431/417 itself).
    const offShape = outcomes.filter((o) => o.apiShape === false);
    const offByStatus = new Map<number, Outcome[]>();
    for (const o of offShape) offByStatus.set(o.status, [...(offByStatus.get(o.status) ?? []), o]);
    for (const [status, members] of offByStatus) console.log(`note: ${members.length} /api/ answers with status ${status} not in the error shape, e.g. ${describeRequest(members[0]!.request).slice(0, 300)}`);

    // Replay each failing request alone to read what the server logged for it, and group by that.
    const failures = outcomes.filter((o) => o.problem);
    const groups = new Map<string, Outcome[]>();
    for (const failure of failures) {
      const before = server.output().length;
      await send(failure.request, true).catch(() => undefined);
      await new Promise((resolveWait) => setTimeout(resolveWait, 20));
      const logged = /\[ERROR\][^\n]*\n?(?:(?!\s+at )[^\n]*)?/.exec(server.output().slice(before))?.[0].replace(/\s+/g, " ").replace(/^\[ERROR\] (?:\[@astrojs\/node\] Could not render \S+ )?/, "").trim();
      const cause = logged?.replace(/^SyntaxError: .*JSON.*$/, "SyntaxError: invalid JSON (the message quotes the body)");
      const key = `${failure.problem!.startsWith("status") ? failure.problem : failure.problem!.split(":")[0]} — ${cause ?? "(nothing logged)"}`;
      groups.set(key, [...(groups.get(key) ?? []), failure]);
    }
    for (const [key, members] of groups) {
      console.log(`FAIL ×${members.length}: ${key}\n  e.g. ${describeRequest(members[0]!.request)}${members[1] ? `\n  e.g. ${describeRequest(members[1].request)}` : ""}`);
    }

    expect(outcomes).toHaveLength(requests.length);
    expect([...groups].map(([key, members]) => `×${members.length} ${key} ← e.g. ${describeRequest(members[0]!.request)}`)).toEqual([]);

    const home = await rawRequest(server.url, { method: "GET", path: "/" });
    expect(home.status, "the server still serves / at the end").toBe(200);
    expect(server.output(), "the server logged no crash").not.toMatch(/Uncaught|FATAL|heap out of memory/i);
    // Rule "No identity": logs never hold request bodies. Every error logged so far quoted one.
    const errorLines = server.output().split("\n").filter((line) => line.includes("[ERROR]"));
    expect(errorLines.slice(0, 5), `${errorLines.length} errors logged`).toEqual([]);
  }, 120_000);
});

describe("inputs that once broke the server", () => {
  it.each(KNOWN)("$name", async ({ request: r }) => {
    const response = await rawRequest(server.url, { method: r.method, path: r.path, headers: r.headers, body: r.body });
    expect(response.status, response.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(response.status, response.text.slice(0, 200)).toBeLessThan(500);
    expect(problemsOf(response)).toBeUndefined();
  });
});
