// Where a moderator checks a license: each state board's public lookup, with the page it was
// taken from. A small table; any other state falls back to a search for its board's lookup.

export type LicenseLookup = { url: string; source: string; generic: boolean };

const BOARD_LOOKUPS: Readonly<Record<string, { url: string; source: string }>> = {
  CA: { url: "https://search.dca.ca.gov/", source: "California Department of Consumer Affairs, license search (Board of Behavioral Sciences, Board of Psychology)" },
  NY: { url: "https://www.op.nysed.gov/verification-search", source: "New York State Education Department, Office of the Professions, license verification" },
  TX: { url: "https://www.bhec.texas.gov/verify-a-license/", source: "Texas Behavioral Health Executive Council, verify a license" },
};

/** The board lookup for a state, or a search for it when the table has none. */
export function licenseLookup(state: string, stateName: string = state): LicenseLookup {
  const known = BOARD_LOOKUPS[state];
  if (known) return { ...known, generic: false };
  const query = encodeURIComponent(`${stateName} behavioral health board license verification lookup`);
  return { url: `https://duckduckgo.com/?q=${query}`, source: "No board lookup on file for this state: a web search for it", generic: true };
}
