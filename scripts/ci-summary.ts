// `npm run -s ci:summary`: reads vitest's JSON report (.tmp/vitest.json) and prints one final line,
// `N passed, N failed`, where failed counts failed tests plus test files that failed outside any
// test (could not load, a hook threw). A missing or unreadable report counts as one failure.
// `npm run validate` also writes .tmp/validate-steps.json: each failed step (lint, astro check,
// tsc) counts as one more failure, so a lint or type error fails CI like a failed test.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

type AssertionResult = { status?: string; fullName?: string; failureMessages?: string[] };
type FileResult = { name?: string; status?: string; message?: string; failureMessage?: string; assertionResults?: AssertionResult[] };
type Report = { testResults?: FileResult[] };

export type Summary = { passed: number; failed: number; problems: string[] };
type StepResult = { name?: string; ok?: boolean };

export function summarize(report: Report): Summary {
  let passed = 0;
  let failed = 0;
  const problems: string[] = [];
  for (const file of report.testResults ?? []) {
    const tests = file.assertionResults ?? [];
    const failedTests = tests.filter((test) => test.status === "failed");
    passed += tests.filter((test) => test.status === "passed").length;
    failed += failedTests.length;
    for (const test of failedTests) problems.push(`FAIL ${file.name ?? "?"} > ${test.fullName ?? "?"}`);
    const fileMessage = (file.failureMessage ?? file.message ?? "").trim();
    // A file that failed with no failed test in it (or with a file-level error): count it once.
    if (failedTests.length === 0 && (file.status === "failed" || fileMessage !== "")) {
      failed += 1;
      problems.push(`FAIL ${file.name ?? "?"} (file): ${fileMessage.split("\n")[0] || file.status}`);
    }
  }
  return { passed, failed, problems };
}

/** Adds the validate steps that failed (the tests step is already counted test by test). */
export function withSteps(summary: Summary, steps: StepResult[]): Summary {
  const failedSteps = steps.filter((step) => step.ok !== true && !String(step.name).startsWith("tests"));
  return {
    passed: summary.passed,
    failed: summary.failed + failedSteps.length,
    problems: [...summary.problems, ...failedSteps.map((step) => `FAIL validate step: ${step.name ?? "?"}`)],
  };
}

function readSteps(path: string): StepResult[] | string {
  if (!existsSync(path)) return [];
  try {
    const steps = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return Array.isArray(steps) ? (steps as StepResult[]) : `${path} is not a list of steps`;
  } catch (error) {
    return `${path}: ${(error as Error).message.split("\n")[0]}`;
  }
}

function main(): void {
  const path = resolve(process.argv[2] ?? ".tmp/vitest.json");
  let report: Report;
  try {
    report = JSON.parse(readFileSync(path, "utf8")) as Report;
  } catch (error) {
    console.log(`No readable vitest report at ${path}: ${(error as Error).message.split("\n")[0]}`);
    console.log("0 passed, 1 failed");
    return;
  }
  const steps = readSteps(resolve(process.argv[3] ?? ".tmp/validate-steps.json"));
  const { passed, failed, problems } =
    typeof steps === "string"
      ? withSteps(summarize(report), [{ name: `unreadable validate steps (${steps})`, ok: false }])
      : withSteps(summarize(report), steps);
  for (const problem of problems) console.log(problem);
  console.log(`${passed} passed, ${failed} failed`);
}

if (import.meta.main) main();
