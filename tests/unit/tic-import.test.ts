import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import * as schema from "../../db/schema.ts";
import { openDatabase, type Connection } from "../../src/lib/server/db.ts";
import { runTicImport } from "../../src/lib/write/tic/run.ts";
import { parseTinArgument, type TinMapping } from "../../src/lib/write/tic/store.ts";

const FIXTURES = resolve(import.meta.dirname, "../fixtures/tic");
// CMS's example files, in the steering folder beside the repository (../shared/reference/tic).
const CMS = resolve(import.meta.dirname, "../../../shared/reference/tic");
const quiet = { write: () => true };
const TINS = ["alma=12-3456789", "headway:OR=12345678", "grow-therapy=1234567893"].map((t) => parseTinArgument(t) as TinMapping);

let dir: string;
let server: Server;
let base: string;
let requests: string[] = [];

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8").replaceAll("127.0.0.1:PORT", new URL(base).host);
}

/** A file written for one test: JSON text, or bytes. */
function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function fresh(): Connection {
  return openDatabase(":memory:");
}

async function run(connection: Connection, sources: string[], options: { payer?: string; tins?: TinMapping[]; plan?: RegExp; jobs?: number } = {}) {
  return runTicImport(connection, { sources, progress: quiet, tins: TINS, ...options });
}

type Rate = Omit<typeof schema.ticRates.$inferSelect, "fileId">;
const byRate = (a: Rate, b: Rate) => `${a.tin}|${a.cpt}|${a.serviceCodes}|${a.modifiers}`.localeCompare(`${b.tin}|${b.cpt}|${b.serviceCodes}|${b.modifiers}`);

function rates(connection: Connection): Rate[] {
  return connection.db.select().from(schema.ticRates).all().map(({ fileId: _, ...rest }) => rest).sort(byRate);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ratecard-tic-"));
  server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const name = new URL(request.url ?? "/", "http://x").pathname.slice(1);
    try {
      const body = name === "cms-provider-reference.json" ? readFileSync(`${CMS}/examples-v1/provider-reference.json`)
        : name.endsWith(".gz") ? readFileSync(join(FIXTURES, name)) : fixture(name);
      response.writeHead(200, { "content-type": "application/json" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
});

afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const EXPECTED_V2 = [
  { tin: "012345678", cpt: "90837", modifiers: "95", serviceCodes: "02;10;11", negotiatedType: "negotiated", negotiatedRate: 118.5, expirationDate: "9999-12-31", networks: "PPO" },
  { tin: "123456789", cpt: "90834", modifiers: "GT;HO", serviceCodes: "11", negotiatedType: "negotiated", negotiatedRate: 112.3, expirationDate: "9999-12-31", networks: "Open Access Plus;PPO" },
  { tin: "123456789", cpt: "90837", modifiers: "", serviceCodes: "02;10", negotiatedType: "negotiated", negotiatedRate: 151.74, expirationDate: "9999-12-31", networks: "Open Access Plus;PPO" },
  { tin: "123456789", cpt: "90837", modifiers: "", serviceCodes: "11", negotiatedType: "negotiated", negotiatedRate: 151.74, expirationDate: "9999-12-31", networks: "Open Access Plus;PPO" },
  { tin: "1234567893", cpt: "90837", modifiers: "", serviceCodes: "11", negotiatedType: "fee schedule", negotiatedRate: 99.99, expirationDate: "9999-12-31", networks: "Open Access Plus" },
].sort(byRate);

describe("tic:import, the shapes of a file", () => {
  it("keeps the psychotherapy rates of mapped groups only (v2, provider_references first, gzip): no small practice, no institutional, no other code", async () => {
    const connection = fresh();
    const { failures, outcomes } = await run(connection, [join(FIXTURES, "v2-refs-first.json.gz")]);
    expect(failures).toEqual([]);
    expect(outcomes[0]!.status).toBe("imported");
    expect(rates(connection)).toEqual(EXPECTED_V2);
    const file = connection.db.select().from(schema.ticFiles).get()!;
    expect(file).toMatchObject({
      sourceFile: "v2-refs-first.json.gz", payer: "cigna", reportingEntity: "Cigna Health Life Insurance Company",
      planId: "12345OR0010001", planName: "Synthetic Open Access Plus", planMarketType: "group", lastUpdatedOn: "2026-10-01",
      schemaVersion: "2.0.0", ratesKept: 5, nonDollarRates: 1,
    });
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("resolves provider_references that come after in_network to the same rates", async () => {
    const connection = fresh();
    expect((await run(connection, [join(FIXTURES, "v2-refs-last.json")])).failures).toEqual([]);
    expect(rates(connection)).toEqual(EXPECTED_V2);
  });

  it("reads inline v1 provider groups, npi [0], an EIN with its leading zero, a type-2 NPI, and a billing code after its rates", async () => {
    const connection = fresh();
    expect((await run(connection, [join(FIXTURES, "v1-inline.json")])).failures).toEqual([]);
    expect(rates(connection)).toEqual([
      { tin: "012345678", cpt: "90837", modifiers: "", serviceCodes: "11", negotiatedType: "negotiated", negotiatedRate: 103, expirationDate: "9999-12-31", networks: "" },
      { tin: "1234567893", cpt: "90834", modifiers: "", serviceCodes: "02", negotiatedType: "negotiated", negotiatedRate: 88, expirationDate: "9999-12-31", networks: "" },
    ]);
    expect(connection.db.select().from(schema.ticFiles).get()).toMatchObject({ payer: "optum-uhc", nonDollarRates: 1 });
  });

  it("reads what payers write loosely: \"cpt\", padded codes, \"Negotiated\", an EIN with spaces", async () => {
    const connection = fresh();
    const text = readFileSync(join(FIXTURES, "v2-refs-first.json"), "utf8")
      .replaceAll('"billing_code_type": "CPT"', '"billing_code_type": "cpt"')
      .replace('"billing_code": "90834"', '"billing_code": " 90834 "')
      .replaceAll('"negotiated_type": "negotiated"', '"negotiated_type": "Negotiated"')
      .replace('"value": "12-3456789"', '"value": "12 3456789"');
    expect((await run(connection, [write("loose.json", text)])).failures).toEqual([]);
    expect(rates(connection)).toEqual(EXPECTED_V2);
  });

  it("fetches a remote v1 provider reference (location) from a loopback server", async () => {
    const connection = fresh();
    requests = [];
    const path = write("v1-remote-location.json", fixture("v1-remote-location.json"));
    expect((await run(connection, [path])).failures).toEqual([]);
    expect(requests).toContain("/provider-reference-alma.json");
    expect(rates(connection)).toEqual([
      { tin: "123456789", cpt: "90837", modifiers: "", serviceCodes: "11", negotiatedType: "negotiated", negotiatedRate: 129, expirationDate: "9999-12-31", networks: "" },
    ]);
    expect(connection.db.select().from(schema.ticFiles).get()).toMatchObject({ payer: "aetna" });
  });

  it("imports from a URL, recording it without its query string", async () => {
    const connection = fresh();
    expect((await run(connection, [`${base}/v2-refs-first.json.gz?Signature=secret&Expires=1`])).failures).toEqual([]);
    expect(connection.db.select().from(schema.ticFiles).get()!.sourceFile).toBe(`${base}/v2-refs-first.json.gz`);
    expect(rates(connection)).toEqual(EXPECTED_V2);
  });

  it("reads a table of contents and only the in-network files of the plans --plan picks", async () => {
    const connection = fresh();
    requests = [];
    const toc = write("table-of-contents.json", fixture("table-of-contents.json"));
    const { failures, outcomes } = await run(connection, [toc], { plan: /open access/i });
    expect(failures).toEqual([]);
    expect(outcomes.map((o) => o.status)).toEqual(["listed", "imported"]);
    expect(requests).toEqual(["/v2-refs-first.json.gz"]);
    expect(rates(connection)).toEqual(EXPECTED_V2);
  });

  it("imports CMS's own examples (v1 and v2) with --payer, keeping nothing (they hold no psychotherapy code)", async () => {
    const connection = fresh();
    const files = [
      `${CMS}/examples-v1/in-network-rates-fee-for-service-single-plan-sample.json`,
      `${CMS}/examples-v1/in-network-rates-multiple-plans-sample.json`,
      `${CMS}/examples-v2/in-network-rates-fee-for-service-single-plan-sample.json`,
      `${CMS}/examples-v2/in-network-rates-all-negotiated-types-sample.json`,
      `${CMS}/examples-v2/in-network-rates-no-npi.json`,
      `${CMS}/examples-v2/in-network-rates-bundle-single-plan-sample.json`,
      `${CMS}/examples-v2/in-network-rates-capitation-single-plan-sample.json`,
      `${CMS}/examples-v2/in-network-rates-multiple-plans-sample.json`,
    ];
    // The v1 examples point at a provider reference on cms.gov; there is no network here, so map no group of theirs.
    const { failures, outcomes } = await run(connection, files.filter((f) => !f.includes("examples-v1/in-network-rates-fee")), { payer: "medicare" });
    expect(failures).toEqual([]);
    expect(outcomes.every((o) => o.status === "imported")).toBe(true);
    expect(rates(connection)).toEqual([]);
  });

  it("reads CMS's v1 example whose provider reference is a remote location (served here from loopback)", async () => {
    const connection = fresh();
    requests = [];
    const example = readFileSync(`${CMS}/examples-v1/in-network-rates-fee-for-service-single-plan-sample.json`, "utf8")
      .replace("https://www.cms.gov/some_provider_group.json", `${base}/cms-provider-reference.json`)
      .replaceAll('"billing_code": "27448"', '"billing_code": "90834"');
    const path = write("cms-v1.json", example);
    const { failures } = await run(connection, [path], { payer: "medicare", tins: [parseTinArgument("alma=22-2222222") as TinMapping] });
    expect(failures).toEqual([]);
    expect(requests).toEqual(["/cms-provider-reference.json"]);
    // 27448 (renamed 90834) has a rate for provider reference 1, whose groups include TIN 22-2222222.
    expect(rates(connection).map((r) => [r.tin, r.cpt, r.negotiatedRate, r.serviceCodes])).toEqual([["222222222", "90834", 12003.45, "CSTM-00"]]);
  });

  it("keeps the CMS examples' professional rates when their CPT code and TIN are Ratecard's (v2 example, 27447 treated as kept)", async () => {
    const connection = fresh();
    const example = JSON.parse(readFileSync(`${CMS}/examples-v2/in-network-rates-fee-for-service-single-plan-sample.json`, "utf8")) as { in_network: { billing_code: string }[] };
    for (const item of example.in_network) item.billing_code = item.billing_code === "27447" ? "90837" : item.billing_code;
    const path = write("cms-v2-as-90837.json", JSON.stringify(example));
    const { failures } = await run(connection, [path], { payer: "medicare", tins: [parseTinArgument("alma=11-1111111") as TinMapping] });
    expect(failures).toEqual([]);
    expect(rates(connection).map((r) => [r.tin, r.cpt, r.negotiatedRate, r.serviceCodes, r.modifiers, r.networks])).toEqual([
      ["111111111", "90837", 120.45, "05;06;07", "", "ACME Choice Provider Group"],
      ["111111111", "90837", 123.45, "11;18;19", "AS", "ACME Choice Provider Group"],
    ]);
  });
});

describe("tic:import, payers and mappings", () => {
  it("records --tin mappings with 'command line' as their source, normalized to 9 digits", async () => {
    const connection = fresh();
    await run(connection, []);
    expect(connection.db.select().from(schema.platformTins).all().sort((a, b) => a.tin.localeCompare(b.tin))).toEqual([
      { tin: "012345678", platform: "headway", state: "OR", source: "command line" },
      { tin: "123456789", platform: "alma", state: null, source: "command line" },
      { tin: "1234567893", platform: "grow-therapy", state: null, source: "command line" },
    ]);
  });

  it("refuses an unknown platform, and a malformed --tin", async () => {
    expect((await run(fresh(), [], { tins: [parseTinArgument("nosuch=12-3456789") as TinMapping] })).failures)
      .toEqual(['--tin nosuch=123456789: unknown platform "nosuch"']);
    expect(parseTinArgument("alma=12-34-56-78-90-1")).toMatch(/expected PLATFORM\[:STATE\]=TIN/);
  });

  it("fails a file whose reporting entity no alias names, and imports nothing from it", async () => {
    const connection = fresh();
    const path = `${CMS}/examples-v2/in-network-rates-fee-for-service-single-plan-sample.json`;
    const { failures } = await run(connection, [path]);
    expect(failures).toEqual([`in-network-rates-fee-for-service-single-plan-sample.json: byte 0: unknown reporting entity "medicare": pass --payer SLUG, or add the name to db/seed/payer-tic-aliases.json`]);
    expect(connection.db.select().from(schema.ticFiles).all()).toEqual([]);
  });

  it("refuses an unknown --payer", async () => {
    expect((await run(fresh(), [join(FIXTURES, "v1-inline.json")], { payer: "nosuch" })).failures).toEqual(["--payer nosuch: unknown payer (see db/seed/payers.json)"]);
  });
});

describe("tic:import, re-import and supersession", () => {
  it("skips a file whose SHA-256 was already imported", async () => {
    const connection = fresh();
    await run(connection, [join(FIXTURES, "v2-refs-first.json.gz")]);
    const second = await run(connection, [join(FIXTURES, "v2-refs-first.json.gz")]);
    expect(second.outcomes.map((o) => o.status)).toEqual(["skipped"]);
    expect(connection.db.select().from(schema.ticFiles).all()).toHaveLength(1);
    expect(rates(connection)).toHaveLength(5);
  });

  it("lets a newer file of the same payer and plan replace the older one's rates, never the other way round", async () => {
    const connection = fresh();
    const original = JSON.parse(readFileSync(join(FIXTURES, "v2-refs-first.json"), "utf8")) as Record<string, unknown>;
    const older = write("older.json", JSON.stringify({ ...original, last_updated_on: "2026-09-01" }));
    const newer = write("newer.json", JSON.stringify({ ...original, last_updated_on: "2026-11-01", in_network: (original["in_network"] as unknown[]).slice(0, 2) }));
    const otherPlan = write("other-plan.json", JSON.stringify({ ...original, plan_id: "99999OR0010001", last_updated_on: "2026-08-01" }));
    const noPlan = write("no-plan.json", JSON.stringify({ ...original, plan_id: undefined, last_updated_on: "2026-07-01" }));
    await run(connection, [older, otherPlan, noPlan]);
    const [olderId, otherId, noPlanId] = connection.db.select().from(schema.ticFiles).all().map((f) => f.id);
    await run(connection, [newer]);
    const byFile = (id: number | undefined) => connection.db.select().from(schema.ticRates).where(eq(schema.ticRates.fileId, id!)).all().length;
    expect(byFile(olderId)).toBe(0);
    expect(byFile(otherId)).toBe(5);
    expect(byFile(noPlanId)).toBe(5);
    const newerId = connection.db.select().from(schema.ticFiles).all().find((f) => f.sourceFile === "newer.json")!.id;
    expect(byFile(newerId)).toBe(4);
    // An older file that arrives later is recorded, but its rates do not come back.
    const oldest = write("oldest.json", JSON.stringify({ ...original, last_updated_on: "2026-01-01" }));
    const late = await run(connection, [oldest]);
    expect(late.outcomes[0]!.message).toMatch(/older than file \d+ of the same plan/);
    expect(byFile(connection.db.select().from(schema.ticFiles).all().find((f) => f.sourceFile === "oldest.json")!.id)).toBe(0);
    expect(byFile(newerId)).toBe(4);
  });
});

describe("tic:import, bad files", () => {
  const good = () => readFileSync(join(FIXTURES, "v2-refs-first.json"), "utf8");
  const withItem = (change: (item: Record<string, unknown>) => void) => {
    const file = JSON.parse(good()) as { in_network: Record<string, unknown>[] };
    change(file.in_network[1]!);
    return JSON.stringify(file);
  };
  const cases: [string, () => string | Uint8Array, RegExp][] = [
    ["truncated.json.gz", () => gzipSync(good()).subarray(0, 700), /^truncated\.json\.gz: byte \d+: truncated gzip/],
    ["not-gzip.json.gz", () => Uint8Array.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), /^not-gzip\.json\.gz: byte 0: (not valid gzip|truncated gzip)/],
    ["broken.json", () => good().replace('"billing_code": "90834"', '"billing_code" "90834"'), /^broken\.json: byte \d+: expected ":"/],
    ["ends-early.json", () => good().slice(0, 3000), /^ends-early\.json: byte \d+: the file ends early/],
    ["no-billing-code.json", () => withItem((item) => { delete item["billing_code"]; }), /^no-billing-code\.json: byte \d+: an in_network item without a billing_code string/],
    ["rate-as-text.json", () => withItem((item) => {
      ((item["negotiated_rates"] as Record<string, unknown>[])[0]!["negotiated_prices"] as Record<string, unknown>[])[0]!["negotiated_rate"] = "151.74";
    }), /^rate-as-text\.json: byte \d+: negotiated rate: negotiated_prices\[0\]\.negotiated_rate: /],
    ["no-date.json", () => good().replace('"last_updated_on": "2026-10-01",', ""), /^no-date\.json: byte \d+: file header: last_updated_on: /],
    ["refs-as-object.json", () => good().replace('"provider_references": [', '"provider_references": {"x": ').replace(/\]\s*,\s*"in_network"/, '}, "in_network"'), /^refs-as-object\.json: byte \d+: expected provider_references \(an array\)/],
  ];

  it.each(cases)("%s imports nothing and gives one line FILE: byte N: problem", async (name, content, line) => {
    const connection = fresh();
    const path = write(name, content());
    const { failures } = await run(connection, [path]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(line);
    expect(connection.db.select().from(schema.ticFiles).all()).toEqual([]);
    expect(connection.db.select().from(schema.ticRates).all()).toEqual([]);
  });

  it("imports the good files of a run whose other files fail (--jobs 2)", async () => {
    const connection = fresh();
    const bad = write("bad-in-a-batch.json", good().slice(0, 2000));
    const { failures, outcomes } = await run(connection, [bad, join(FIXTURES, "v2-refs-first.json.gz"), join(FIXTURES, "v1-inline.json")], { jobs: 2 });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^bad-in-a-batch\.json: byte \d+: /);
    expect(outcomes.filter((o) => o.status === "imported")).toHaveLength(2);
    expect(connection.db.select().from(schema.ticFiles).all().map((f) => f.sourceFile).sort()).toEqual(["v1-inline.json", "v2-refs-first.json.gz"]);
  });

  it("names a URL that answers 404, without its query string", async () => {
    const { failures } = await run(fresh(), [`${base}/gone.json.gz?token=secret`]);
    expect(failures).toEqual([`${base}/gone.json.gz: byte 0: HTTP 404 Not Found`]);
  });

  it("fails a file whose remote provider reference cannot be fetched, importing nothing from it", async () => {
    const connection = fresh();
    const path = write("dead-location.json", fixture("v1-remote-location.json").replace("provider-reference-alma.json", "gone.json"));
    const { failures } = await run(connection, [path]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^dead-location\.json: byte \d+: provider reference 7 at http:\/\/127\.0\.0\.1:\d+\/gone\.json could not be read \(HTTP 404\)$/);
    expect(connection.db.select().from(schema.ticFiles).all()).toEqual([]);
  });

  it("names a file that does not exist", async () => {
    const { failures } = await run(fresh(), [join(dir, "missing.json")]);
    expect(failures).toEqual(["missing.json: byte 0: cannot be read (ENOENT)"]);
  });
});
