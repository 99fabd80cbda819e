// `npm run bench` reads each benchmark's BENCH_JSON line, not its text.
import { describe, expect, it } from "vitest";
import { benchJsonLine, readBenchJson, type BenchResult } from "../bench/bench-json.ts";

const result: BenchResult = {
  bench: "snapshot",
  rows: [
    { name: "build time, 1,000,000 reports", value: 6.41, unit: "s", goal: "≤ 10 s", met: true },
    { name: "peak RSS, 100,000 reports", value: 310, unit: "MB", goal: "", met: null },
  ],
};

describe("BENCH_JSON lines", () => {
  it("reads back exactly what a benchmark printed, among its other output", () => {
    const output = `generated 100,000 reports in 2.1 s\nsnapshot build …\n${benchJsonLine(result)}\n`;
    expect(output).toContain('BENCH_JSON {"bench":"snapshot","rows":[{"name":"build time, 1,000,000 reports","value":6.41,"unit":"s","goal":"≤ 10 s","met":true}');
    expect(readBenchJson(output)).toEqual([result]);
  });

  it("finds nothing in output without the line", () => {
    expect(readBenchJson("server 12,000 req/s p99 3 ms\n")).toEqual([]);
  });

  it("refuses a malformed line rather than reporting half of it", () => {
    expect(() => readBenchJson("BENCH_JSON {not json")).toThrow(/Malformed BENCH_JSON/);
    expect(() => readBenchJson('BENCH_JSON {"bench":"x","rows":[{"name":"a","value":"fast"}]}')).toThrow(/without \{bench, rows/);
  });
});
