// The one machine-readable result line every benchmark prints last, and its reader (`npm run bench`):
//   BENCH_JSON {"bench":"<name>","rows":[{"name":"…","value":1.23,"unit":"s","goal":"…","met":true}]}
// `goal` is "" and `met` null for a figure that has no goal.
export type BenchRow = { name: string; value: number; unit: string; goal: string; met: boolean | null };
export type BenchResult = { bench: string; rows: BenchRow[] };

export const BENCH_JSON_PREFIX = "BENCH_JSON ";

export function benchJsonLine(result: BenchResult): string {
  return `${BENCH_JSON_PREFIX}${JSON.stringify(result)}`;
}

export function printBenchJson(bench: string, rows: BenchRow[]): void {
  console.log(benchJsonLine({ bench, rows }));
}

function isRow(value: unknown): value is BenchRow {
  const row = value as BenchRow;
  return typeof row === "object" && row !== null && typeof row.name === "string" && typeof row.value === "number"
    && typeof row.unit === "string" && typeof row.goal === "string" && (row.met === null || typeof row.met === "boolean");
}

/** Every BENCH_JSON line in a benchmark's output; a malformed one is an error naming the line. */
export function readBenchJson(output: string): BenchResult[] {
  return output.split("\n").filter((line) => line.startsWith(BENCH_JSON_PREFIX)).map((line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.slice(BENCH_JSON_PREFIX.length));
    } catch (error) {
      throw new Error(`Malformed BENCH_JSON line (${(error as Error).message}): ${line.slice(0, 200)}`, { cause: error });
    }
    const result = parsed as BenchResult;
    if (typeof result?.bench !== "string" || !Array.isArray(result.rows) || !result.rows.every(isRow)) {
      throw new Error(`BENCH_JSON line without {bench, rows:[{name, value, unit, goal, met}]}: ${line.slice(0, 200)}`);
    }
    return result;
  });
}
