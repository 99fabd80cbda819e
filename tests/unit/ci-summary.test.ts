// The CI summary line counts lint and type failures from `npm run validate` as failures.
import { describe, expect, it } from "vitest";
import { summarize, withSteps } from "../../scripts/ci-summary.ts";

const report = {
  testResults: [
    { name: "a.test.ts", status: "passed", assertionResults: [{ status: "passed" }, { status: "passed" }] },
    { name: "b.test.ts", status: "failed", assertionResults: [{ status: "passed" }, { status: "failed", fullName: "b breaks" }] },
  ],
};

describe("the CI summary", () => {
  it("counts passed and failed tests", () => {
    expect(summarize(report)).toMatchObject({ passed: 3, failed: 1 });
  });

  it("counts a failed lint or type step as a failure, and a failed tests step not twice", () => {
    const summary = withSteps(summarize(report), [
      { name: "lint (eslint)", ok: false },
      { name: "astro check", ok: true },
      { name: "types (tsc --noEmit)", ok: false },
      { name: "tests (vitest)", ok: false },
    ]);
    expect(summary).toMatchObject({ passed: 3, failed: 3 });
    expect(summary.problems).toContain("FAIL validate step: lint (eslint)");
    expect(summary.problems).toContain("FAIL validate step: types (tsc --noEmit)");
  });

  it("adds nothing when every step passed", () => {
    expect(withSteps(summarize(report), [{ name: "lint (eslint)", ok: true }])).toEqual(summarize(report));
  });
});
