// `npm run validate [-- vitest args]`: the one gate — lint, `astro sync && astro check`, `tsc --noEmit`,
// then the tests. Every step runs even when an earlier one failed (so one run shows everything);
// the outcome of each step is written to .tmp/validate-steps.json, which `npm run ci:summary`
// counts, so a lint or type error fails CI like a failed test. Exits non-zero if any step failed.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./lib/build.ts";

export type StepResult = { name: string; ok: boolean; seconds: number };

const bin = (name: string) => join(projectRoot, "node_modules/.bin", name);
const vitestArgs = process.argv.slice(2);

const steps: { name: string; commands: [string, string[]][] }[] = [
  { name: "lint (eslint)", commands: [[bin("eslint"), ["."]]] },
  { name: "astro check", commands: [[bin("astro"), ["sync"]], [bin("astro"), ["check"]]] },
  { name: "types (tsc --noEmit)", commands: [[bin("tsc"), ["--noEmit"]]] },
  { name: "tests (vitest)", commands: [[bin("vitest"), ["run", ...vitestArgs]]] },
];

const results: StepResult[] = [];
for (const step of steps) {
  console.log(`\nvalidate: ${step.name}…`);
  const started = performance.now();
  let ok = true;
  for (const [command, args] of step.commands) {
    const run = spawnSync(command, args, { cwd: projectRoot, stdio: "inherit" });
    if (run.status !== 0) {
      ok = false;
      break;
    }
  }
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  results.push({ name: step.name, ok, seconds });
  console.log(`validate: ${step.name} ${ok ? "passed" : "FAILED"} in ${seconds} s`);
}

mkdirSync(join(projectRoot, ".tmp"), { recursive: true });
writeFileSync(join(projectRoot, ".tmp/validate-steps.json"), JSON.stringify(results, null, 2) + "\n");
const failed = results.filter((r) => !r.ok);
console.log(`\nvalidate: ${failed.length === 0 ? "all steps passed" : `failed: ${failed.map((r) => r.name).join(", ")}`}`);
process.exit(failed.length === 0 ? 0 : 1);
