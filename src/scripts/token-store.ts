// The browser's Privacy Pass tokens (issue 12), kept in localStorage only: the server never
// learns which browser holds which token. Expired tokens are dropped on every read.

export type StoredToken = { token: string; expires: string };

const KEY = "ratecard.privacy-pass-tokens";
/** The token put in the /share form, until the page after sending says what became of it. */
const SENT_KEY = "ratecard.privacy-pass-sent";

function isStoredToken(value: unknown): value is StoredToken {
  return typeof value === "object" && value !== null
    && typeof (value as StoredToken).token === "string" && /^[A-Za-z0-9_-]{100,1000}$/.test((value as StoredToken).token)
    && typeof (value as StoredToken).expires === "string" && !Number.isNaN(Date.parse((value as StoredToken).expires));
}

export function parseTokens(text: string): StoredToken[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || !parsed.every(isStoredToken)) return null;
    return parsed;
  } catch {
    return null;
  }
}

export function loadTokens(now = Date.now()): StoredToken[] {
  let tokens: StoredToken[];
  try {
    tokens = parseTokens(localStorage.getItem(KEY) ?? "[]") ?? [];
  } catch {
    return [];
  }
  const live = tokens.filter((t) => Date.parse(t.expires) > now);
  if (live.length !== tokens.length) saveTokens(live);
  return live;
}

export function saveTokens(tokens: StoredToken[]): void {
  const unique = [...new Map(tokens.map((t) => [t.token, t])).values()];
  localStorage.setItem(KEY, JSON.stringify(unique));
}

export function addTokens(tokens: StoredToken[]): number {
  const all = [...loadTokens(), ...tokens];
  saveTokens(all);
  return loadTokens().length;
}

export function removeToken(token: string): void {
  saveTokens(loadTokens().filter((t) => t.token !== token));
}

export function markSent(token: string): void {
  sessionStorage.setItem(SENT_KEY, token);
}

export function takeSent(): string | null {
  const token = sessionStorage.getItem(SENT_KEY);
  sessionStorage.removeItem(SENT_KEY);
  return token;
}
