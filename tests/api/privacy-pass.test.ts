// Privacy Pass against the real server, with the reference library as a standard client:
// a grant from `npm run issuance:grant`, the challenge, issuance, redemption on POST /api/v1/reports,
// and every refusal (issue 12).
import { AuthorizationHeader, Token, TOKEN_TYPES, TokenChallenge, WWWAuthenticateHeader, publicVerif } from "@cloudflare/privacypass-ts";
import Database from "better-sqlite3";
import { execFile } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, startServer, type RunningServer } from "../helpers/server.ts";

const { BlindRSAMode, Client, Issuer } = publicVerif;
const run = promisify(execFile);

let server: RunningServer;

const report = (overrides: Record<string, unknown> = {}) => ({
  state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma", employment: "1099",
  rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 95, allowed: 151.74 }],
  ...overrides,
});

/** `npm run issuance:grant` against the server's database; the code is the last line. */
async function grant(tokens: number, note = "test partner"): Promise<{ code: string; stdout: string }> {
  const { stdout } = await run("npm", ["run", "--silent", "issuance:grant", "--", "--tokens", String(tokens), "--note", note], {
    cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_PATH: server.dbPath },
  });
  const lines = stdout.trim().split("\n");
  return { code: lines.at(-1)!, stdout };
}

async function challenge(): Promise<WWWAuthenticateHeader> {
  const res = await fetch(`${server.url}/api/v1/token-challenge`);
  expect(res.status).toBe(200);
  const [header] = WWWAuthenticateHeader.parse(res.headers.get("www-authenticate")!);
  return header!;
}

function tokenRequest(body: Uint8Array, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/api/v1/token-requests`, { method: "POST", headers, body: Buffer.from(body) });
}

/** The standard client flow: challenge, blind, issue, finalize. */
async function fetchToken(code: string): Promise<Token> {
  const header = await challenge();
  const client = new Client(BlindRSAMode.PSS);
  const request = await client.createTokenRequest(header.challenge, header.tokenKey);
  const res = await tokenRequest(request.serialize(), { "Content-Type": "application/private-token-request", Authorization: `Bearer ${code}` });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/private-token-response");
  return client.finalize(client.deserializeTokenResponse(new Uint8Array(await res.arrayBuffer())));
}

function submit(body: unknown, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (authorization) headers.Authorization = authorization;
  return fetch(`${server.url}/api/v1/reports`, { method: "POST", headers, body: JSON.stringify(body) });
}

const reportCount = () => {
  const db = new Database(server.dbPath, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM reports WHERE source = 'crowd'").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  server = await startServer({ env: { RATECARD_PUBLIC_ORIGIN: "https://ratecard.example" } });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("issuer", () => {
  it("generates its RSA-2048 key into the data folder on first start, readable by the owner only", () => {
    const file = join(server.dataDir, `privacy-pass-issuer-${new Date().getUTCFullYear()}.jwk`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("publishes the one issuing key as an RFC 9578 issuer directory", async () => {
    const res = await fetch(`${server.url}/.well-known/private-token-issuer-directory`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/private-token-issuer-directory");
    const directory = await res.json() as { "issuer-request-uri": string; "token-keys": { "token-type": number; "token-key": string }[] };
    expect(directory["issuer-request-uri"]).toBe("https://ratecard.example/api/v1/token-requests");
    expect(directory["token-keys"]).toHaveLength(1);
    expect(directory["token-keys"][0]!["token-type"]).toBe(2);
    const header = await challenge();
    expect(Buffer.from(header.tokenKey).toString("base64url")).toBe(directory["token-keys"][0]!["token-key"]);
  });

  it("gives one fixed challenge, empty redemption context, names from RATECARD_PUBLIC_ORIGIN, as header and JSON", async () => {
    const first = await fetch(`${server.url}/api/v1/token-challenge`);
    const second = await fetch(`${server.url}/api/v1/token-challenge`);
    const header = first.headers.get("www-authenticate")!;
    expect(header).toMatch(/^PrivateToken challenge="[A-Za-z0-9_-]+", token-key="[A-Za-z0-9_-]+"$/);
    expect(second.headers.get("www-authenticate")).toBe(header);
    const [parsed] = WWWAuthenticateHeader.parse(header);
    expect(parsed!.challenge.tokenType).toBe(2);
    expect(parsed!.challenge.issuerName).toBe("ratecard.example");
    expect(parsed!.challenge.originInfo).toEqual(["ratecard.example"]);
    expect(parsed!.challenge.redemptionContext).toHaveLength(0);
    const json = await first.json() as { challenge: string; token_key: string; tokens_expire: string };
    expect(json.challenge).toBe(Buffer.from(parsed!.challenge.serialize()).toString("base64url"));
    expect(json.token_key).toBe(Buffer.from(parsed!.tokenKey).toString("base64url"));
    expect(Date.parse(json.tokens_expire)).toBeGreaterThan(Date.now());
  });
});

describe("issuance:grant", () => {
  it("prints a code of at least 128 bits, base64url without padding, alone on the last line; --list and --revoke manage it", async () => {
    const { code } = await grant(2, "listed partner");
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const db = new Database(server.dbPath, { readonly: true });
    const stored = db.prepare("SELECT * FROM issuance_grants").all() as Record<string, unknown>[];
    db.close();
    expect(JSON.stringify(stored)).not.toContain(code);
    const { stdout: listing } = await run("npm", ["run", "--silent", "issuance:grant", "--", "--list"], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_PATH: server.dbPath } });
    const line = listing.split("\n").find((l) => l.includes("listed partner"))!;
    expect(line).toContain("2/2 left");
    const id = line.split(/\s+/)[0]!;
    await run("npm", ["run", "--silent", "issuance:grant", "--", "--revoke", id], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_PATH: server.dbPath } });
    const header = await challenge();
    const request = await new Client(BlindRSAMode.PSS).createTokenRequest(header.challenge, header.tokenKey);
    const res = await tokenRequest(request.serialize(), { "Content-Type": "application/private-token-request", Authorization: `Bearer ${code}` });
    expect(res.status).toBe(403);
  });

  it("refuses a bad --tokens with one stderr line and a non-zero exit", async () => {
    const failed = await run("npm", ["run", "--silent", "issuance:grant", "--", "--tokens", "zero", "--note", "x"], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_PATH: server.dbPath } })
      .then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failed?.code).not.toBe(0);
    expect(failed?.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("a standard Privacy Pass client", () => {
  it("obtains a token with a grant and redeems it once on POST /api/v1/reports; the report is verified", async () => {
    const { code } = await grant(3);
    const token = await fetchToken(code);
    const before = reportCount();
    const created = await submit(report(), new AuthorizationHeader(token).toString(true));
    expect(created.status).toBe(201);
    const { receipt } = await created.json() as { receipt: string };
    const view = await (await fetch(`${server.url}/api/v1/reports/${receipt}`)).json() as { report: { verified: boolean } };
    expect(view.report.verified).toBe(true);

    const again = await submit(report(), new AuthorizationHeader(token).toString(true));
    expect(again.status).toBe(401);
    const body = await again.json() as { ok: boolean; status: number; error: string; errors: { path: string }[] };
    expect(body).toMatchObject({ ok: false, status: 401, errors: [{ path: "authorization" }] });
    expect(body.error).toMatch(/already spent/);
    expect(reportCount()).toBe(before + 1);
  });

  it("accepts the token parameter unquoted, as RFC 9110 allows", async () => {
    const { code } = await grant(1);
    const token = await fetchToken(code);
    const res = await submit(report(), new AuthorizationHeader(token).toString(false));
    expect(res.status).toBe(201);
  });

  it("keeps accepting reports without a token, unverified", async () => {
    const res = await submit(report());
    expect(res.status).toBe(201);
    const { receipt } = await res.json() as { receipt: string };
    const view = await (await fetch(`${server.url}/api/v1/reports/${receipt}`)).json() as { report: { verified: boolean } };
    expect(view.report.verified).toBe(false);
  });

  it("leaves the token unspent when the report is refused", async () => {
    const { code } = await grant(1);
    const token = new AuthorizationHeader(await fetchToken(code)).toString(true);
    const refused = await submit(report({ rates: [] }), token);
    expect(refused.status).toBe(400);
    const unknownCpt = await submit(report({ rates: [{ cpt: "99999", modality: "telehealth", plan_type: "commercial", year: 2025, paid: 95 }] }), token);
    expect(unknownCpt.status).toBe(400);
    expect((await submit(report(), token)).status).toBe(201);
  });
});

describe("the /share form", () => {
  const formBody = (token: string) => new URLSearchParams({
    state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma",
    "rates.0.cpt": "90837", "rates.0.modality": "telehealth", "rates.0.payer": "cigna", "rates.0.plan_type": "commercial",
    "rates.0.year": "2025", "rates.0.paid": "95", privacy_pass_token: token,
  }).toString();
  const post = (token: string) => fetch(`${server.url}/share?_action=share`, {
    method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Sec-Fetch-Site": "same-origin" }, body: formBody(token),
  });

  it("spends the token of its hidden field and stores the report as verified", async () => {
    const { code } = await grant(1);
    const token = Buffer.from((await fetchToken(code)).serialize()).toString("base64url");
    const before = reportCount();
    const res = await post(token);
    expect(res.status).toBe(200);
    const receipt = /id="receipt-code">([a-z2-7-]+)</.exec(await res.text())?.[1];
    expect(receipt).toBeDefined();
    expect(reportCount()).toBe(before + 1);
    const view = await (await fetch(`${server.url}/api/v1/reports/${receipt}`)).json() as { report: { verified: boolean } };
    expect(view.report.verified).toBe(true);
  });

  it("says clearly that a bad or reused token was refused, and stores nothing", async () => {
    const before = reportCount();
    const res = await post("bm90IGEgdG9rZW4");
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("Your verification token was refused");
    expect(reportCount()).toBe(before);
  });
});

describe("the address limit", () => {
  it("comes after the token check, a limited report leaves its token unspent, and verification requests are limited too", { timeout: 120_000 }, async () => {
    const { code } = await grant(1);
    const token = new AuthorizationHeader(await fetchToken(code)).toString(true);
    // A second server on the same database and keys, with a limit of one report an hour.
    const limited = await startServer({ dbPath: server.dbPath, env: { RATECARD_PUBLIC_ORIGIN: "https://ratecard.example", RATECARD_RATE_LIMIT: "1" } });
    try {
      const send = (authorization?: string) => fetch(`${limited.url}/api/v1/reports`, {
        method: "POST", headers: { "Content-Type": "application/json", ...(authorization ? { Authorization: authorization } : {}) }, body: JSON.stringify(report()),
      });
      expect((await send()).status).toBe(201);
      // A bad token is refused (401) before the limit is counted…
      expect((await send('PrivateToken token="bm90IGEgdG9rZW4"')).status).toBe(401);
      // …but refused tokens count too: the next one is not even checked.
      const sprayed = await send('PrivateToken token="bm90IGEgdG9rZW4"');
      expect(sprayed.status).toBe(429);
      expect(sprayed.headers.get("retry-after")).toMatch(/^\d+$/);
      // …and a good one meets the limit (429) without being spent.
      expect((await send(token)).status).toBe(429);
      // Verification requests have a limit of their own: one an hour here.
      const ask = () => fetch(`${limited.url}/verify?_action=verify.request`, {
        method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: limited.url, "Sec-Fetch-Site": "same-origin" },
        body: new URLSearchParams({ state: "TX", license_number: "12345", license_name: "Alex Example" }).toString(),
      });
      expect((await ask()).status).toBe(200);
      const second = await ask();
      expect(second.status).toBe(429);
      expect(await second.text()).toContain("Several verification requests came from this connection");
    } finally {
      await limited.stop();
    }
    expect((await submit(report(), token)).status).toBe(201);
  });
});

describe("issuance refuses", () => {
  async function validRequestBytes(): Promise<Uint8Array> {
    const header = await challenge();
    return (await new Client(BlindRSAMode.PSS).createTokenRequest(header.challenge, header.tokenKey)).serialize();
  }

  it("a request without a grant (401)", async () => {
    const res = await tokenRequest(await validRequestBytes(), { "Content-Type": "application/private-token-request" });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, status: 401, errors: [{ path: "authorization" }] });
  });

  it("an unknown grant (401)", async () => {
    const res = await tokenRequest(await validRequestBytes(), { "Content-Type": "application/private-token-request", Authorization: `Bearer ${"A".repeat(43)}` });
    expect(res.status).toBe(401);
  });

  it("an exhausted grant (403), after exactly N tokens", async () => {
    const { code } = await grant(2);
    await fetchToken(code);
    await fetchToken(code);
    const res = await tokenRequest(await validRequestBytes(), { "Content-Type": "application/private-token-request", Authorization: `Bearer ${code}` });
    expect(res.status).toBe(403);
    expect((await res.json() as { error: string }).error).toMatch(/no tokens left/);
  });

  it("two requests at once never take more than the grant holds", async () => {
    const { code } = await grant(3);
    const bodies = await Promise.all(Array.from({ length: 6 }, () => validRequestBytes()));
    const answers = await Promise.all(bodies.map((body) => tokenRequest(body, { "Content-Type": "application/private-token-request", Authorization: `Bearer ${code}` })));
    expect(answers.filter((res) => res.status === 200)).toHaveLength(3);
    expect(answers.filter((res) => res.status === 403)).toHaveLength(3);
  });

  it("another content type (415), without taking a token", async () => {
    const { code } = await grant(1);
    const res = await tokenRequest(await validRequestBytes(), { "Content-Type": "application/octet-stream", Authorization: `Bearer ${code}` });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ ok: false, status: 415 });
    await fetchToken(code);
  });

  it("a body longer than a token request, read no further than 1 KiB (413), without taking a token", async () => {
    const { code } = await grant(1);
    const chunks = [new Uint8Array(800), new Uint8Array(800), new Uint8Array(800)];
    const stream = new ReadableStream<Uint8Array>({ pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    } });
    const res = await fetch(`${server.url}/api/v1/token-requests`, {
      method: "POST", headers: { "Content-Type": "application/private-token-request", Authorization: `Bearer ${code}` }, body: stream, duplex: "half",
    } as RequestInit & { duplex: "half" });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, status: 413 });
    await fetchToken(code);
  });

  it("a body that is not a type 2 token request (400), without taking a token", async () => {
    const { code } = await grant(1);
    const res = await tokenRequest(new Uint8Array([0, 1, 2, 3]), { "Content-Type": "application/private-token-request", Authorization: `Bearer ${code}` });
    expect(res.status).toBe(400);
    await fetchToken(code);
  });
});

describe("redemption refuses, and stores nothing", () => {
  async function refused(authorization: string, pattern: RegExp) {
    const before = reportCount();
    const res = await submit(report(), authorization);
    expect(res.status).toBe(401);
    const body = await res.json() as { ok: boolean; error: string };
    expect(body.ok).toBe(false);
    expect(body.error).toMatch(pattern);
    expect(reportCount()).toBe(before);
  }

  it("a malformed token", async () => {
    await refused('PrivateToken token="bm90IGEgdG9rZW4"', /not a Privacy Pass token/);
    await refused("PrivateToken token=", /not a Privacy Pass token/);
  });

  it("a token whose signature was tampered with", async () => {
    const { code } = await grant(1);
    const token = await fetchToken(code);
    const authenticator = new Uint8Array(token.authenticator);
    authenticator[10] = authenticator[10]! ^ 1;
    const forged = new Token(TOKEN_TYPES.BLIND_RSA, token.authInput, authenticator);
    await refused(new AuthorizationHeader(forged).toString(true), /signature is not valid/);
  });

  it("a token signed by a foreign key, for this very challenge", async () => {
    const header = await challenge();
    const pair = await Issuer.generateKey(BlindRSAMode.PSS, { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) });
    const foreign = new Issuer(BlindRSAMode.PSS, "ratecard.example", pair.privateKey, pair.publicKey);
    const client = new Client(BlindRSAMode.PSS);
    const request = await client.createTokenRequest(header.challenge, await publicVerif.getPublicKeyBytes(pair.publicKey));
    const token = await client.finalize(await foreign.issue(request));
    await refused(new AuthorizationHeader(token).toString(true), /does not accept/);
  });

  it("a token made for another origin's challenge", async () => {
    const header = await challenge();
    const other = new TokenChallenge(2, "ratecard.example", new Uint8Array(0), ["elsewhere.example"]);
    const { code } = await grant(1);
    const client = new Client(BlindRSAMode.PSS);
    const request = await client.createTokenRequest(other, header.tokenKey);
    const res = await tokenRequest(request.serialize(), { "Content-Type": "application/private-token-request", Authorization: `Bearer ${code}` });
    const token = await client.finalize(client.deserializeTokenResponse(new Uint8Array(await res.arrayBuffer())));
    await refused(new AuthorizationHeader(token).toString(true), /another site's challenge/);
  });
});
