// Pagination cursors: an offset into one snapshot's rows for one filter, signed so that a
// cursor cannot be forged, altered, or replayed against another snapshot or filter.
import { createHmac, timingSafeEqual } from "node:crypto";

export type Cursor = { snapshot: number; offset: number };

const VERSION = "c1";
const MAC_BYTES = 16;

function mac(secret: string, payload: string, filter: string): Buffer {
  return createHmac("sha256", secret).update(`ratecard-cursor|${payload}|${filter}`).digest().subarray(0, MAC_BYTES);
}

/** `filter` is the canonical filter query string the cursor is bound to. */
export function encodeCursor(cursor: Cursor, filter: string, secret: string): string {
  const payload = `${VERSION}.${cursor.snapshot}.${cursor.offset}`;
  return `${Buffer.from(payload).toString("base64url")}.${mac(secret, payload, filter).toString("base64url")}`;
}

/** The cursor, or null when it is malformed, altered, or was issued for another filter. */
export function decodeCursor(token: string, filter: string, secret: string): Cursor | null {
  const match = /^([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const payload = Buffer.from(match[1]!, "base64url").toString("latin1");
  const fields = /^c1\.([1-9]\d{0,8})\.(0|[1-9]\d{0,9})$/.exec(payload);
  // Compared as text, so that exactly one spelling of a cursor is valid (base64 has spare bits).
  if (!fields || Buffer.from(payload).toString("base64url") !== match[1]) return null;
  const expected = Buffer.from(mac(secret, payload, filter).toString("base64url"));
  if (!timingSafeEqual(Buffer.from(match[2]!), expected)) return null;
  return { snapshot: Number(fields[1]), offset: Number(fields[2]) };
}
