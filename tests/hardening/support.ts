// Shared by the hardening tests and the submit benchmark: a valid submission and a
// bounded-concurrency runner (raw HTTP is tests/helpers/http.ts).

/** The submission example of DESIGN.md "Contract details" (plausible, so it is accepted). */
export function validReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    state: "OR", license: "lpc", years_licensed: "5-9",
    channel: "platform", platform: "alma", employment: "1099",
    rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 95, allowed: 151.74 }],
    platform_experience: {
      told_of_fee_split: false, rate_cut_12m: true, can_export_records: false,
      monthly_fee: 125, percent_fee: null, non_compete: false,
      caseload_pressure: 3, equity_offered: false,
    },
    ...overrides,
  };
}

/** Runs task(0..count-1) with at most `limit` in flight; resolves when all have settled. */
export async function runBounded(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/** The q-quantile (0..1) of sorted numbers, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
