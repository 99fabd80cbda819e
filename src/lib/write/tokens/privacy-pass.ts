// Privacy Pass at this origin (RFC 9577/9578, token type 2): the one fixed challenge, issuance
// against a grant, and the check of a token offered with a report. Issuance sees a grant and a
// blinded message; redemption sees a token it can verify but not link to its issuance.
import { TOKEN_TYPES, TokenChallenge, Token, publicVerif } from "@cloudflare/privacypass-ts";
import { createHash, timingSafeEqual } from "node:crypto";
import { dirname, resolve } from "node:path";
import type { Connection } from "../../server/db.ts";
import { config, publicOrigin } from "../../server/config.ts";
import { returnGrantToken, takeGrantToken } from "./grants.ts";
import { tokenSpent } from "./spent-tokens.ts";
import { issuerKeys, tokensExpireAt, type IssuerKey, type IssuerKeySet } from "./issuer-keys.ts";

const { BlindRSAMode, Issuer, Origin, TokenRequest } = publicVerif;
const BLIND_RSA = TOKEN_TYPES.BLIND_RSA;

export const TOKEN_REQUEST_TYPE = "application/private-token-request";
export const TOKEN_RESPONSE_TYPE = "application/private-token-response";
export const ISSUER_DIRECTORY_TYPE = "application/private-token-issuer-directory";
export const TOKEN_REQUEST_PATH = "/api/v1/token-requests";

/** Where the issuer keys live: the data folder, beside the database (never in backups). */
export function issuerKeysDir(): string {
  return dirname(resolve(config().DATABASE_PATH));
}

export function currentIssuerKeys(now: Date = new Date()): Promise<IssuerKeySet> {
  return issuerKeys(issuerKeysDir(), now);
}

/** The issuer name and origin name of the challenge: the public origin's host. */
export function tokenNames(origin: string = publicOrigin(config())): { issuerName: string; originName: string } {
  const host = new URL(origin).host;
  return { issuerName: host, originName: host };
}

/**
 * The origin's one challenge: the same for everyone and every time, with an empty redemption
 * context, so tokens can be fetched ahead and spent later and the challenge tags nobody.
 */
export function originChallenge(names = tokenNames()): TokenChallenge {
  return new TokenChallenge(BLIND_RSA.value, names.issuerName, new Uint8Array(0), [names.originName]);
}

export const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

/** RFC 9577's WWW-Authenticate value and the same values for JSON. */
export async function challengeAnswer(now: Date = new Date()) {
  const keys = await currentIssuerKeys(now);
  const challenge = originChallenge();
  const header = `PrivateToken challenge="${b64url(challenge.serialize())}", token-key="${b64url(keys.issuing.publicKeyBytes)}"`;
  return {
    header,
    json: {
      ok: true,
      token_type: BLIND_RSA.value,
      challenge: b64url(challenge.serialize()),
      token_key: b64url(keys.issuing.publicKeyBytes),
      issuer_name: tokenNames().issuerName,
      origin_name: tokenNames().originName,
      issuer_directory: "/.well-known/private-token-issuer-directory",
      token_request_uri: TOKEN_REQUEST_PATH,
      tokens_expire: tokensExpireAt(keys.issuing.year).toISOString(),
    },
  };
}

/** RFC 9578 section 4: the issuer directory, with the one issuing key. */
export async function issuerDirectory(now: Date = new Date()) {
  const keys = await currentIssuerKeys(now);
  return {
    "issuer-request-uri": new URL(TOKEN_REQUEST_PATH, publicOrigin(config())).href,
    "token-keys": [{ "token-type": BLIND_RSA.value, "token-key": b64url(keys.issuing.publicKeyBytes), "not-before": keys.issuing.notBefore }],
  };
}

export type IssuanceOutcome =
  | { kind: "issued"; body: Uint8Array }
  | { kind: "refused"; status: 400 | 401 | 403 | 415; message: string; path: string };

/** `Authorization: Bearer CODE` → the code, or null. */
export function bearerCode(header: string | null): string | null {
  const match = /^Bearer\s+([A-Za-z0-9_-]{1,200})\s*$/i.exec(header ?? "");
  return match ? match[1]! : null;
}

/** One RFC 9578 token request against a grant: the grant loses one token only when a response is signed. */
export async function issueToken(connection: Connection, request: { contentType: string | null; grantCode: string | null; body: Uint8Array }, now: Date = new Date()): Promise<IssuanceOutcome> {
  const type = (request.contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== TOKEN_REQUEST_TYPE) {
    return { kind: "refused", status: 415, path: "content-type", message: `Send the token request as ${TOKEN_REQUEST_TYPE} (got ${type || "none"})` };
  }
  if (request.grantCode === null) {
    return { kind: "refused", status: 401, path: "authorization", message: "Send a grant code as Authorization: Bearer CODE" };
  }
  const keys = await currentIssuerKeys(now);
  let tokenRequest: InstanceType<typeof TokenRequest>;
  try {
    tokenRequest = TokenRequest.deserialize(BLIND_RSA, request.body);
  } catch {
    return { kind: "refused", status: 400, path: "body", message: "The body is not a token request of type 2 (Blind RSA)" };
  }
  if (tokenRequest.tokenType !== BLIND_RSA.value || request.body.length !== 2 + 1 + BLIND_RSA.Nk) {
    return { kind: "refused", status: 400, path: "body", message: "The body is not a token request of type 2 (Blind RSA)" };
  }
  if (tokenRequest.truncatedTokenKeyId !== keys.issuing.keyId[keys.issuing.keyId.length - 1]) {
    return { kind: "refused", status: 400, path: "body", message: "The token request names another key; fetch the current one from the issuer directory" };
  }
  const taken = takeGrantToken(connection, request.grantCode);
  if (taken === "unknown") return { kind: "refused", status: 401, path: "authorization", message: "No grant has that code" };
  if (taken === "exhausted") return { kind: "refused", status: 403, path: "authorization", message: "This grant has no tokens left" };
  if (taken === "revoked") return { kind: "refused", status: 403, path: "authorization", message: "This grant was revoked" };
  try {
    const issuer = new Issuer(BlindRSAMode.PSS, tokenNames().issuerName, keys.issuing.privateKey, keys.issuing.publicKey);
    const response = await issuer.issue(tokenRequest);
    return { kind: "issued", body: response.serialize() };
  } catch {
    returnGrantToken(connection, request.grantCode);
    return { kind: "refused", status: 400, path: "body", message: "The blinded message could not be signed" };
  }
}

export type TokenCheck =
  | { kind: "valid"; spentHash: Buffer }
  | { kind: "invalid"; message: string };

/** The token of `Authorization: PrivateToken token=…` (quoted or not), or null when the header is another scheme or absent. */
export function privateTokenValue(header: string | null): string | null | "malformed" {
  if (!header) return null;
  const match = /^PrivateToken\s+(.*)$/is.exec(header.trim());
  if (!match) return null;
  for (const part of match[1]!.split(",")) {
    const param = /^\s*token\s*=\s*(?:"([^"]*)"|([^\s",]*))\s*$/i.exec(part);
    if (param) return param[1] ?? param[2] ?? "malformed";
  }
  return "malformed";
}

function decodeToken(text: string): Uint8Array | null {
  const cleaned = text.trim().replace(/=+$/, "");
  if (!/^[A-Za-z0-9_\-+/]+$/.test(cleaned)) return null;
  return new Uint8Array(Buffer.from(cleaned.replace(/\+/g, "-").replace(/\//g, "_"), "base64url"));
}

const sha256 = (...parts: Uint8Array[]) => {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const SPENT_DOMAIN = new TextEncoder().encode("ratecard spent token v1");

/** Checks a base64url token: type 2, this origin's challenge, a key still redeemable, a valid signature, unspent. */
export async function checkToken(connection: Connection, tokenText: string, now: Date = new Date()): Promise<TokenCheck> {
  const bytes = decodeToken(tokenText);
  let token: Token;
  try {
    if (bytes === null) throw new Error("not base64url");
    token = Token.deserialize(BLIND_RSA, bytes);
  } catch {
    return { kind: "invalid", message: "The token is not a Privacy Pass token of type 2" };
  }
  const input = token.authInput;
  if (input.tokenType !== BLIND_RSA.value) return { kind: "invalid", message: "The token is not a Privacy Pass token of type 2" };
  const expectedDigest = sha256(originChallenge().serialize());
  if (input.challengeDigest.length !== 32 || !timingSafeEqual(Buffer.from(input.challengeDigest), expectedDigest)) {
    return { kind: "invalid", message: "The token was made for another site's challenge" };
  }
  const keys = await currentIssuerKeys(now);
  const key: IssuerKey | undefined = keys.redeeming.find((candidate) => Buffer.from(candidate.keyId).equals(Buffer.from(input.tokenKeyId)));
  if (!key) return { kind: "invalid", message: "The token was signed by a key this site does not accept (another issuer, or an expired key)" };
  const valid = await new Origin(BlindRSAMode.PSS, [tokenNames().originName]).verify(token, key.publicKey).catch(() => false);
  if (!valid) return { kind: "invalid", message: "The token's signature is not valid" };
  const spentHash = sha256(SPENT_DOMAIN, input.tokenKeyId, input.nonce);
  if (tokenSpent(connection, spentHash)) return { kind: "invalid", message: "This token was already spent" };
  return { kind: "valid", spentHash };
}

