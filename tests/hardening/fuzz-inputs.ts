// The inputs of the fuzz test (tests/hardening/fuzz.test.ts), as fast-check generators: methods,
// paths (the site's real routes, random segments, traversal, very long paths), query strings
// (repeated keys, huge numbers, malformed percent-encoding and UTF-8), headers and bodies (random
// JSON, 10k-deep nesting, 1e309, invalid UTF-8, wrong content types, 20 KB). `request` draws one
// whole request; SAME_ORIGIN and ETAG in a header value are replaced when it is sent.
import fc from "fast-check";
import { validReport } from "./support.ts";

// ---------------------------------------------------------------------------------------------
// Paths

const PAGES = [
  "/", "/share", "/receipt", "/methodology", "/compare", "/check-offer", "/platforms", "/payers", "/data",
  "/platforms/alma", "/platforms/headway", "/platforms/grow-therapy", "/payers/cigna", "/payers/optum-uhc",
  "/embed/chart", "/feeds/changes.atom", "/favicon.svg",
];
const API = [
  "/api/v1/aggregates.json", "/api/v1/aggregates.csv", "/api/v1/snapshots.json", "/api/v1/openapi.json",
  "/api/v1/history.json", "/api/v1/reports", "/api/v1/snapshots/1/aggregates.json", "/api/v1/snapshots/1/aggregates.csv",
  ...["cpt-codes", "payers", "platforms", "states", "license-types", "medicare-rates"].map((t) => `/api/v1/reference/${t}.json`),
  "/api/v1/reports/aaaa-bbbb-cccc-dddd-eeee-ffff-gg", "/api/v1/reports/abcd", "/api", "/api/", "/api/v1", "/api/v2/reports",
];
const MOD = [
  "/mod", "/mod/", "/mod/login", "/mod/setup", "/mod/2fa", "/mod/2fa/setup", "/mod/queue", "/mod/account",
  "/mod/snapshots", "/mod/reference", "/mod/audit",
];
const ACTIONS = [
  "share", "viewReceipt", "deleteReceipt", "mod.login", "mod.setup", "mod.enrollTotp", "mod.verifyTotp", "mod.logout",
  "mod.changePassword", "mod.review", "mod.savePlatform", "mod.savePayer", "mod.saveCpt", "mod.saveMedicare", "mod.publishSnapshot", "nope",
];
export const ROUTES = [...PAGES, ...API, ...MOD, ...ACTIONS.map((a) => `/_actions/${a}`), "/_image", "/_server-islands/x", "/_astro/x.js"];

/** Only bytes node:http accepts on a request line ("!" to ÿ); anything else is percent-encoded. */
const requestLineSafe = (text: string) =>
  [...text].map((ch) => (/^[\u0021-\u00ff]$/.test(ch) ? ch : encodeURIComponent(ch))).join("");

const percentBytes = fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0").toUpperCase()}`).join(""));
const malformedPercent = fc.constantFrom("%", "%%", "%zz", "%E0%A4%A", "%ED%A0%80", "%C0%AF", "%FF%FE", "%F4%90%80%80", "%u0041", "%2", "%%32%65", "%00", "%0A%0D");
const latin1Raw = fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 6 });
const traversal = fc.constantFrom(
  "..", ".", "%2e%2e", "%2E%2E%2F", "..%2f..%2f", "..%5c..%5c", "....//", "%2e%2e%5c", "..;", "%252e%252e", "etc/passwd",
  "..%00", "%c0%ae%c0%ae", "\\..\\..\\", "//", "package.json", ".env", "data/secret", "dist/server/entry.mjs",
);
const segment = fc.oneof(
  { weight: 8, arbitrary: fc.string({ maxLength: 16 }).map((s) => encodeURIComponent(s)) },
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }).map(requestLineSafe) },
  { weight: 1, arbitrary: percentBytes },
  { weight: 1, arbitrary: malformedPercent },
  { weight: 1, arbitrary: latin1Raw },
  { weight: 2, arbitrary: traversal },
  { weight: 2, arbitrary: fc.constantFrom("1", "0", "-1", "999999999999999999999", "1e309", "NaN", "0x1F", "aggregates.json", "aggregates.csv", "alma", "90837") },
);

const receiptLike = fc.oneof(
  fc.stringMatching(/^(?:[a-z2-7]{4}-){6}[a-z2-7]{2}$/),
  fc.stringMatching(/^[A-Z2-7 -]{20,40}$/).map(encodeURIComponent),
  segment,
);

const path = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...ROUTES) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([base, segs, slash]) => `${base.replace(/\/$/, "")}/${segs.join("/")}${slash ? "/" : ""}`) },
  { weight: 2, arbitrary: fc.array(segment, { minLength: 1, maxLength: 5 }).map((segs) => `/${segs.join("/")}`) },
  { weight: 2, arbitrary: receiptLike.map((r) => `/api/v1/reports/${r}`) },
  { weight: 1, arbitrary: segment.map((id) => `/api/v1/snapshots/${id}/aggregates.json`) },
  { weight: 1, arbitrary: fc.tuple(segment, fc.constantFrom("json", "csv", "xml", "")).map(([id, ext]) => `/api/v1/snapshots/${id}/aggregates.${ext}`) },
  { weight: 1, arbitrary: segment.map((t) => `/api/v1/reference/${t}.json`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("platforms", "payers"), segment).map(([kind, slug]) => `/${kind}/${slug}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("/", "/api/v1/", "/_astro/", "/mod/", "/platforms/"), fc.array(traversal, { minLength: 1, maxLength: 6 })).map(([base, parts]) => `${base}${parts.join("/")}`) },
  // Very long paths: 2 KB to 24 KB (beyond Node's 16 KB header limit the answer is 431).
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ROUTES), fc.integer({ min: 2_000, max: 24_000 }), fc.constantFrom("a", "%41", "..", "é")).map(([base, n, unit]) => `${base}/${requestLineSafe(unit).repeat(Math.ceil(n / requestLineSafe(unit).length))}`) },
);

// ---------------------------------------------------------------------------------------------
// Query strings

const QUERY_KEYS = [
  "cpt", "state", "division", "channel", "platform", "payer", "license", "license_group", "modality", "year", "geo_level",
  "_size", "_next", "_shape", "_fallback", "_action", "offer", "amount", "snapshot", "id", "token", "code", "receipt",
  "hours", "other", "__proto__", "constructor",
];
const QUERY_VALUES = [
  "90837", "90834", "OR", "DC", "pacific", "platform", "direct", "self_pay", "alma", "cigna", "all", "lpc", "masters",
  "telehealth", "in_person", "2025", "2024-2025", "objects", "arrays", "1", "share", "mod.login", "viewReceipt",
  "", "-1", "0", "1.5", "NaN", "Infinity", "1e309", "-1e309", "9".repeat(400), "0x10", "true", "null", "[]", "{}",
];
const queryValue = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...QUERY_VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 10 }).map(requestLineSafe) },
  { weight: 1, arbitrary: malformedPercent },
  { weight: 1, arbitrary: percentBytes },
  { weight: 1, arbitrary: latin1Raw },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 6_000 }).map((n) => "x".repeat(n)) },
);
const queryKey = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...QUERY_KEYS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: malformedPercent },
  { weight: 1, arbitrary: fc.constantFrom("cpt[]", "cpt[0]", "a[b][c]", "", "=", "&", ";") },
);
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(queryKey, queryValue, fc.constantFrom("=", "=", "=", "", "==")), { minLength: 1, maxLength: 8 })
      .map((pairs) => `?${pairs.map(([k, v, eq]) => (eq === "" ? k : `${k}${eq}${v}`)).join("&")}`),
  },
  // The same key repeated many times.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.array(queryValue, { minLength: 2, maxLength: 40 })).map(([k, vs]) => `?${vs.map((v) => `${k}=${v}`).join("&")}`) },
  { weight: 1, arbitrary: fc.constantFrom("?", "??", "?&&&", "?=", "?%", "?a=%", "?#frag", "?cpt=90837#x") },
);

// ---------------------------------------------------------------------------------------------
// Headers

/** Header values node:http accepts (tab, printable ASCII, Latin-1); other characters are dropped. */
const headerSafe = (text: string) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, "");
export const SAME_ORIGIN = "{same-origin}";
export const ETAG = "{etag}";

const CONTENT_TYPES = [
  "application/json", "application/json; charset=utf-8", "APPLICATION/JSON", "application/json;charset=utf-16",
  "application/json; charset=latin1", "application/jsonx", "application/ld+json", "application/problem+json",
  "text/plain", "text/plain; charset=utf-8", "text/html", "text/csv", "application/x-www-form-urlencoded",
  "application/x-www-form-urlencoded; charset=utf-8", "multipart/form-data; boundary=xyz", "multipart/form-data",
  "multipart/form-data; boundary=", "application/octet-stream", "application/xml", ";", "", " ", "*/*", "json",
];
const randomContentType = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map(headerSafe) });
const HEADER_VALUES: Record<string, fc.Arbitrary<string>> = {
  origin: fc.constantFrom(SAME_ORIGIN, SAME_ORIGIN, "https://evil.example", "null", "http://127.0.0.1", "file://", "not a url", "http://[::1", ""),
  "sec-fetch-site": fc.constantFrom("same-origin", "same-origin", "same-site", "cross-site", "none", "bogus"),
  "if-none-match": fc.oneof(fc.constantFrom(ETAG, ETAG, "*", 'W/"x"', '"abc"', '""', ",,,", `${ETAG}, "other"`), fc.string({ maxLength: 40 }).map(headerSafe)),
  "if-modified-since": fc.constantFrom("Wed, 21 Oct 2015 07:28:00 GMT", "yesterday", "0", ""),
  cookie: fc.oneof(
    fc.string({ maxLength: 60 }).map(headerSafe),
    fc.string({ maxLength: 40 }).map((t) => `ratecard_mod=${headerSafe(t)}`),
    fc.constantFrom("ratecard_mod=", "ratecard_mod=%ZZ", "=;;==; ;", "a=b; a=c; ratecard_mod=x.y.z", `ratecard_mod=${"A".repeat(4000)}`),
    latin1Raw.map((t) => `ratecard_mod=${t}`),
  ),
  accept: fc.constantFrom("text/html", "application/json", "*/*", "text/csv", "application/xml", "garbage", "text/html;q=0.1, application/json;q=bogus", ""),
  "accept-encoding": fc.constantFrom("gzip", "br, gzip;q=0", "identity;q=0", "bogus", ""),
  "accept-language": fc.constantFrom("en", "*", "xx-invalid-??", ""),
  "x-forwarded-for": fc.constantFrom("198.51.100.1", "not-an-ip", "1.1.1.1, 2.2.2.2", "::1", "999.999.999.999", ""),
  "x-forwarded-host": fc.constantFrom("evil.example", "127.0.0.1:1", ""),
  "x-forwarded-proto": fc.constantFrom("https", "gopher", ""),
  range: fc.constantFrom("bytes=0-10", "bytes=-5", "bytes=999999999-", "bytes=a-b", "lines=1-2"),
  "access-control-request-method": fc.constantFrom("POST", "DELETE", "BOGUS"),
  "x-http-method-override": fc.constantFrom("DELETE", "PUT", "TRACE"),
  "content-encoding": fc.constantFrom("gzip", "deflate", "br", "identity", "bogus"),
  expect: fc.constantFrom("100-continue", "bogus"),
};
/** Zero to four extra headers. */
const headers: fc.Arbitrary<Record<string, string>> = fc
  .subarray(Object.keys(HEADER_VALUES), { maxLength: 4 })
  .chain((names) => fc.tuple(...names.map((name) => HEADER_VALUES[name]!)).map((values) => Object.fromEntries(names.map((name, i) => [name, values[i]!]))));

// ---------------------------------------------------------------------------------------------
// Bodies

const HUGE = "__huge__";
const HUGE_LITERALS = ["1e309", "-1e309", "1e-400", "123456789012345678901234567890", "-0", "1E+400", "0.1e-99999"];
const REPORT_FIELDS = [
  "state", "license", "years_licensed", "channel", "platform", "employment", "rates", "platform_experience",
  "rates.0", "rates.0.cpt", "rates.0.modality", "rates.0.payer", "rates.0.plan_type", "rates.0.year", "rates.0.paid", "rates.0.allowed",
  "platform_experience.monthly_fee", "platform_experience.percent_fee", "platform_experience.caseload_pressure", "platform_experience.told_of_fee_split",
  "__proto__", "constructor", "npi",
];

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(target);
  const keys = dotted.split(".");
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== "object" || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  Object.defineProperty(node, keys.at(-1)!, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(HUGE),
  fc.constantFrom(null, "", -1, 0, 1.005, 95.999, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53 + 1, 1e21, 5e-324, "95", "OR\u0000", "\ud800", "ＯＲ"),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);
/** A valid report with one to three fields replaced by odd values. */
const mutatedReport = fc
  .tuple(fc.array(fc.tuple(fc.constantFrom(...REPORT_FIELDS), oddValue), { minLength: 1, maxLength: 3 }), fc.constantFrom(...HUGE_LITERALS))
  .map(([edits, huge]) => {
    let report = validReport();
    for (const [field, value] of edits) report = setPath(report, field, value);
    return JSON.stringify(report).replaceAll(`"${HUGE}"`, huge);
  });

const deepJson = fc.tuple(fc.integer({ min: 1_000, max: 10_000 }), fc.constantFrom("array", "object", "mixed", "in-report")).map(([depth, kind]) => {
  if (kind === "array") return `${"[".repeat(depth)}${"]".repeat(depth)}`;
  if (kind === "object") return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
  if (kind === "mixed") return `${'[{"a":'.repeat(depth / 2)}1${"}]".repeat(depth / 2)}`;
  return JSON.stringify(validReport({ rates: "__deep__" })).replace('"__deep__"', `${"[".repeat(depth)}${"]".repeat(depth)}`);
});

const invalidUtf8 = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from([0x7b, 0x22, 0x73, 0x74, 0x61, 0x74, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    Buffer.concat([Buffer.from('{"state":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    Buffer.concat([Buffer.from('{"rates":[{"cpt":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}]}')]),
    Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from(JSON.stringify(validReport()))]),
    Buffer.from(JSON.stringify(validReport()), "utf16le"),
  ),
  fc.string({ maxLength: 40 }).map((s) => Buffer.concat([Buffer.from(`{"state":"${s}`, "utf8"), Buffer.from([0x80, 0xbf, 0xc3]), Buffer.from('"}')])),
);

const formBody = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom("state", "license", "years_licensed", "channel", "platform", "employment", "rates.0.cpt", "rates.0.paid", "rates.9.paid", "rates.99999.cpt", "experience.monthly_fee", "receipt", "email", "password", "token", "code", "_action", "__proto__", "rates.__proto__.x"),
        fc.string({ maxLength: 10 }).map(encodeURIComponent),
      ),
      fc.oneof(queryValue, fc.constantFrom("OR", "lpc", "5-9", "platform", "alma", "90837", "95", "1e309", "-5", "aaaa-bbbb-cccc-dddd-eeee-ffff-gg")),
    ),
    { maxLength: 25 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));

const multipartBody = fc.tuple(fc.constantFrom("xyz", "other"), fc.array(fc.tuple(fc.constantFrom("state", "receipt", "rates.0.paid", "file"), fc.string({ maxLength: 30 })), { maxLength: 5 }), fc.boolean()).map(
  ([boundary, parts, closed]) =>
    parts.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join("") + (closed ? `--${boundary}--\r\n` : ""),
);

type Body = { body: string | Buffer | undefined; type: string | undefined };
const withType = (type: string | undefined) => (b: string | Buffer | undefined): Body => ({ body: b, type });
const JSON_TYPE = "application/json";
const FORM_TYPE = "application/x-www-form-urlencoded";

const naturalBody: fc.Arbitrary<Body> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(withType(undefined)(undefined)) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null").map(withType(JSON_TYPE)) },
  { weight: 5, arbitrary: mutatedReport.map(withType(JSON_TYPE)) },
  { weight: 1, arbitrary: fc.constant(JSON.stringify(validReport())).map(withType(JSON_TYPE)) },
  { weight: 2, arbitrary: deepJson.map(withType(JSON_TYPE)) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_LITERALS).map((n) => `{"rates":[{"paid":${n},"allowed":${n},"year":${n}}],"state":${n}}`).map(withType(JSON_TYPE)) },
  { weight: 2, arbitrary: invalidUtf8.map(withType(JSON_TYPE)) },
  { weight: 1, arbitrary: invalidUtf8.map(withType(FORM_TYPE)) },
  { weight: 4, arbitrary: formBody.map(withType(FORM_TYPE)) },
  { weight: 1, arbitrary: multipartBody.map(withType("multipart/form-data; boundary=xyz")) },
  // 20 KB bodies (over the API's 16 KB limit), JSON and not.
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 16_000, max: 20_480 }), fc.boolean()).map(([n, asJson]) => (asJson ? withType(JSON_TYPE)(JSON.stringify({ ...validReport(), padding: "x".repeat(n) })) : withType(FORM_TYPE)(`state=${"y".repeat(n)}`))) },
  { weight: 1, arbitrary: fc.constantFrom("", "{", "}", "[", "null", "true", "\"\"", "{\"a\":}", "{'a':1}", "NaN", "{\"__proto__\":{\"polluted\":1}}", "\u0000", "x").map(withType(JSON_TYPE)) },
);
/** A body with its own content type most of the time, another or none otherwise. */
const body: fc.Arbitrary<Body> = fc.tuple(naturalBody, fc.option(fc.option(randomContentType, { freq: 4 }), { freq: 2 })).map(([b, other]) => (other === null ? b : { body: b.body, type: other ?? undefined }));

// ---------------------------------------------------------------------------------------------
// Requests

export type FuzzRequest = { method: string; path: string; headers: Record<string, string>; body: string | Buffer | undefined };

/** Anything: odd methods, paths, queries, headers and bodies together. */
const wildRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    method: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom("GET", "GET", "GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS") },
      { weight: 1, arbitrary: fc.constantFrom("TRACE", "PROPFIND", "PURGE", "SEARCH", "QUERY", "M-SEARCH", "LINK", "REPORT", "MKCOL") },
    ),
    path,
    query,
    headers,
    body,
    actionQuery: fc.option(fc.constantFrom(...ACTIONS).map((a) => `_action=${a}`), { freq: 6 }),
  })
  .map(({ method, path: p, query: q, headers: h, body: b, actionQuery }) => {
    let target = `${p}${q}`;
    if (actionQuery) target += `${target.includes("?") ? "&" : "?"}${actionQuery}`;
    const all: Record<string, string> = { ...h };
    if (b.type !== undefined) all["content-type"] = b.type;
    return { method, path: target, headers: all, body: b.body };
  });

/** Requests a browser or API client could send, with one odd detail at most: they reach the handlers. */
const FILTER_VALUES: Record<string, string[]> = {
  cpt: ["90837", "90834", "90791", "90832", "90846", "96127", "99213", "all"],
  state: ["OR", "CA", "NY", "TX", "DC", "WY", "ZZ", "all"],
  division: ["pacific", "new-england", "mountain", "nowhere"],
  channel: ["platform", "direct", "group", "self_pay", "all", "crypto"],
  platform: ["alma", "headway", "grow-therapy", "rula", "all", "acme"],
  payer: ["cigna", "aetna", "optum-uhc", "medicare", "all", "acme"],
  license: ["lpc", "lcsw", "psychologist", "all", "md"],
  license_group: ["masters", "doctoral", "all", "x"],
  modality: ["telehealth", "in_person", "all", "phone"],
  year: ["2025", "2024-2025", "2026", "2019", "2025-2024", "all"],
  geo_level: ["state", "division", "national"],
  _size: ["1", "10", "100", "0", "-1", "100000", "1e309"],
  _shape: ["objects", "arrays", "columns"],
  _fallback: ["1", "0", "true"],
  _next: ["", "abc", "eyJ9", "x".repeat(300)],
  amount: ["95", "121.80", "0", "-5", "1e309", "abc"],
  offer: ["95", "150", "x"],
};
const plausibleQuery = fc
  .subarray(Object.keys(FILTER_VALUES), { maxLength: 5 })
  .chain((keys) => fc.tuple(...keys.map((k) => fc.constantFrom(...FILTER_VALUES[k]!))).map((values) => (keys.length === 0 ? "" : `?${keys.map((k, i) => `${k}=${encodeURIComponent(values[i]!)}`).join("&")}`)));
const formFields = fc.record(
  {
    state: fc.constantFrom("OR", "CA", "ZZ", ""),
    license: fc.constantFrom("lpc", "lcsw", "x"),
    years_licensed: fc.constantFrom("5-9", "0-2", "99"),
    channel: fc.constantFrom("platform", "direct", "self_pay", "x"),
    platform: fc.constantFrom("alma", "headway", "", "acme"),
    "rates.0.cpt": fc.constantFrom("90837", "90834", "99999"),
    "rates.0.modality": fc.constantFrom("telehealth", "in_person"),
    "rates.0.payer": fc.constantFrom("cigna", "aetna", ""),
    "rates.0.year": fc.constantFrom("2025", "2026", "1999", "x"),
    "rates.0.paid": fc.constantFrom("95", "121.80", "0", "-1", "1e309", "5000", "abc", "95.999"),
    "rates.0.allowed": fc.constantFrom("151.74", "", "40"),
    "experience.caseload_pressure": fc.constantFrom("1", "5", "9"),
    "experience.monthly_fee": fc.constantFrom("125", "-1", "x"),
    receipt: fc.oneof(fc.stringMatching(/^(?:[a-z2-7]{4}-){6}[a-z2-7]{2}$/), fc.constantFrom("", "nope", "AAAA BBBB")),
    email: fc.constantFrom("mod@example.org", "x"),
    password: fc.constantFrom("correct horse battery staple", ""),
  },
  { requiredKeys: [] },
).map((fields) => new URLSearchParams(fields as Record<string, string>).toString());

const plausibleRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  // Pages and read API with real filters.
  {
    weight: 5,
    arbitrary: fc.tuple(fc.constantFrom("GET", "GET", "GET", "HEAD"), fc.constantFrom(...PAGES, ...API, ...MOD), plausibleQuery, headers).map(([method, p, q, h]) => ({ method, path: `${p}${q}`, headers: h, body: undefined })),
  },
  // The JSON API, with a mutated report.
  {
    weight: 3,
    arbitrary: fc.tuple(mutatedReport, headers).map(([b, h]) => ({ method: "POST", path: "/api/v1/reports", headers: { ...h, "content-type": "application/json" }, body: b })),
  },
  // Form posts from the site's own pages (same origin), as a browser sends them.
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom("/share?_action=share", "/receipt?_action=viewReceipt", "/receipt?_action=deleteReceipt", "/check-offer", "/mod/login?_action=mod.login", "/_actions/share", "/_actions/viewReceipt"), formFields, fc.constantFrom("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz"))
      .map(([p, form, type]) => ({
        method: "POST",
        path: p,
        headers: { "content-type": type, "sec-fetch-site": "same-origin", origin: SAME_ORIGIN },
        body: type.startsWith("multipart")
          ? [...new URLSearchParams(form)].map(([k, v]) => `--xyz\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join("") + "--xyz--\r\n"
          : form,
      })),
  },
  // Receipts: view or delete a random (well-formed) code.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom("GET", "DELETE", "HEAD"), fc.stringMatching(/^(?:[a-z2-7]{4}-){6}[a-z2-7]{2}$/)).map(([method, code]) => ({ method, path: `/api/v1/reports/${code}`, headers: {}, body: undefined })),
  },
);

export const request: fc.Arbitrary<FuzzRequest> = fc.oneof({ weight: 3, arbitrary: plausibleRequest }, { weight: 7, arbitrary: wildRequest });
