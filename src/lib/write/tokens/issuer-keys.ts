// The Privacy Pass issuer keys (RFC 9578, token type 2, RSA-2048): one per calendar year, in the
// data folder (mode 0600). Only the current year's key issues; last year's key still redeems
// until the grace period ends, then its file is deleted and its tokens stop counting.
import { TOKEN_TYPES, publicVerif } from "@cloudflare/privacypass-ts";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const { BlindRSAMode, Issuer, getPublicKeyBytes } = publicVerif;

/** Tokens of a year's key are redeemable until the end of this month (1-based) of the next year. */
export const GRACE_UNTIL_MONTH = 3;

const KEY_FILE = /^privacy-pass-issuer-(\d{4})\.jwk$/;
const RSA_PARAMS = TOKEN_TYPES.BLIND_RSA.rsaParams;

export type IssuerKey = {
  year: number;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The RFC 9578 `token-key`: SubjectPublicKeyInfo with the RSASSA-PSS OID. */
  publicKeyBytes: Uint8Array;
  /** SHA-256 of publicKeyBytes (the token_key_id of RFC 9578). */
  keyId: Uint8Array;
  /** Unix seconds from which the key is used (1 January of its year), the directory's `not-before`. */
  notBefore: number;
};

export type IssuerKeySet = {
  /** The one key that signs token requests now. */
  issuing: IssuerKey;
  /** Keys whose tokens are accepted at redemption: the issuing key and, in the grace period, last year's. */
  redeeming: IssuerKey[];
};

const keyFile = (dir: string, year: number) => join(dir, `privacy-pass-issuer-${year}.jwk`);

/** Whether tokens signed with a key of `year` still count at `now`. */
export function keyRedeemable(year: number, now: Date): boolean {
  const currentYear = now.getUTCFullYear();
  if (year === currentYear) return true;
  return year === currentYear - 1 && now.getUTCMonth() + 1 <= GRACE_UNTIL_MONTH;
}

/** When tokens issued under the key of `year` stop counting (the first instant they are refused). */
export function tokensExpireAt(year: number): Date {
  return new Date(Date.UTC(year + 1, GRACE_UNTIL_MONTH, 1));
}

async function generateKeyFile(file: string): Promise<void> {
  const pair = await Issuer.generateKey(BlindRSAMode.PSS, { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) });
  const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  try {
    // "wx": two processes starting at once keep whichever key was written first.
    writeFileSync(file, JSON.stringify(jwk) + "\n", { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

async function loadKeyFile(file: string, year: number): Promise<IssuerKey> {
  const jwk = JSON.parse(readFileSync(file, "utf8")) as JsonWebKey;
  const privateKey = await crypto.subtle.importKey("jwk", jwk, RSA_PARAMS, true, ["sign"]);
  const publicJwk: JsonWebKey = { kty: "RSA", n: jwk.n!, e: jwk.e!, alg: jwk.alg!, ext: true };
  const publicKey = await crypto.subtle.importKey("jwk", publicJwk, RSA_PARAMS, true, ["verify"]);
  const publicKeyBytes = await getPublicKeyBytes(publicKey);
  return {
    year,
    privateKey,
    publicKey,
    publicKeyBytes,
    keyId: new Uint8Array(createHash("sha256").update(publicKeyBytes).digest()),
    notBefore: Date.UTC(year, 0, 1) / 1000,
  };
}

/**
 * Loads the keys for `now` from `dir`: creates this year's key when missing, deletes keys past
 * their grace period.
 */
export async function loadIssuerKeys(dir: string, now: Date = new Date()): Promise<IssuerKeySet> {
  mkdirSync(dir, { recursive: true });
  const year = now.getUTCFullYear();
  if (!existsSync(keyFile(dir, year))) await generateKeyFile(keyFile(dir, year));
  const redeeming: IssuerKey[] = [];
  for (const name of readdirSync(dir).sort().reverse()) {
    const match = KEY_FILE.exec(name);
    if (!match) continue;
    const keyYear = Number(match[1]);
    if (keyYear > year) continue;
    if (!keyRedeemable(keyYear, now)) {
      rmSync(join(dir, name), { force: true });
      continue;
    }
    redeeming.push(await loadKeyFile(join(dir, name), keyYear));
  }
  const issuing = redeeming.find((key) => key.year === year)!;
  return { issuing, redeeming };
}

const loadedSets = new Map<string, { stamp: string; keys: Promise<IssuerKeySet> }>();

/** The key set of `dir`, loaded once per month (a new year's key appears on the first request of January). */
export function issuerKeys(dir: string, now: Date = new Date()): Promise<IssuerKeySet> {
  const stamp = now.toISOString().slice(0, 7);
  const cached = loadedSets.get(dir);
  if (cached && cached.stamp === stamp) return cached.keys;
  const keys = loadIssuerKeys(dir, now);
  loadedSets.set(dir, { stamp, keys });
  keys.catch(() => loadedSets.delete(dir));
  return keys;
}
