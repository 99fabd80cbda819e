// The one reading of a typed dollar amount and the one dollars→cents, for forms, the API, seeds
// and the browser alike.

/** "$1,234.50" → 1234.5: a leading $ and thousands commas are allowed; undefined when not a number. */
export function parseMoney(text: string): number | undefined {
  const cleaned = text.replace(/^\$/, "").replace(/,/g, "");
  const value = Number(cleaned);
  return cleaned !== "" && Number.isFinite(value) ? value : undefined;
}

/** 151.74 → 15174 (an amount of whole cents, as the schemas check with hasWholeCents). */
export function dollarsToCents(dollars: number): number {
  return Math.round(dollars * 100);
}

/** True when an amount of dollars has at most two decimals (tolerating binary floating point). */
export function hasWholeCents(dollars: number): boolean {
  return Math.abs(dollars * 100 - Math.round(dollars * 100)) < 1e-6;
}
