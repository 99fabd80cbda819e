// The submission schema of DESIGN.md "Contract details": the example passes, every rule fails
// with the API's path (`rates.0.paid`), and receipts are read leniently.
import { describe, expect, it } from "vitest";
import { MAX_RATES, fieldErrors, receiptSchema, reportSubmissionSchema } from "../../src/lib/schemas/report.ts";

type Input = Record<string, unknown>;

/** The DESIGN.md example, verbatim. */
const EXAMPLE = {
  state: "OR", license: "lpc", years_licensed: "5-9",
  channel: "platform", platform: "alma", employment: "1099",
  rates: [
    { cpt: "90837", modality: "telehealth", payer: "cigna", plan_type: "commercial", year: 2025, paid: 95, allowed: 151.74 },
  ],
  platform_experience: {
    told_of_fee_split: false, rate_cut_12m: true, can_export_records: false,
    monthly_fee: 125, percent_fee: null, non_compete: false,
    caseload_pressure: 3, equity_offered: false,
  },
};

const rate = (overrides: Input = {}): Input => ({ ...EXAMPLE.rates[0], ...overrides });
const report = (overrides: Input = {}): Input => ({ ...structuredClone(EXAMPLE), ...overrides });
const without = (object: Input, key: string): Input => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

function paths(input: unknown): string[] {
  const result = reportSubmissionSchema.safeParse(input);
  if (result.success) return [];
  return fieldErrors(result.error).map((error) => error.path);
}

describe("valid submissions", () => {
  it("accepts the DESIGN.md example unchanged", () => {
    const result = reportSubmissionSchema.safeParse(EXAMPLE);
    expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
    expect(result.data).toMatchObject(EXAMPLE);
  });

  it("accepts every documented value of the enums", () => {
    for (const years of ["0-2", "3-4", "5-9", "10-19", "20+"]) expect(paths(report({ years_licensed: years }))).toEqual([]);
    for (const license of ["lcsw", "lpc", "lmft", "psychologist", "psychiatrist", "pmhnp", "associate"]) expect(paths(report({ license }))).toEqual([]);
    for (const plan of ["commercial", "medicare", "medicare_advantage", "medicaid", "tricare", "eap", "unknown"]) {
      expect(paths(report({ rates: [rate({ plan_type: plan })] }))).toEqual([]);
    }
    for (const state of ["DC", "AK", "WY"]) expect(paths(report({ state }))).toEqual([]);
    expect(paths(report({ employment: "w2" }))).toEqual([]);
    expect(paths(report({ rates: [rate({ modality: "in_person" })] }))).toEqual([]);
  });

  it("makes allowed, employment, plan_type and platform_experience optional", () => {
    const minimal = without(without(report(), "platform_experience"), "employment");
    const parsed = reportSubmissionSchema.parse({ ...minimal, rates: [without(without(rate(), "allowed"), "plan_type")] });
    expect(parsed.rates[0]!.plan_type).toBe("unknown");
    expect(paths({ ...minimal, platform_experience: {} })).toEqual([]);
    expect(paths({ ...minimal, platform_experience: null, employment: null })).toEqual([]);
  });

  it("accepts direct and group reports with a payer and no platform, self_pay without a payer", () => {
    expect(paths(report({ channel: "direct", platform: null }))).toEqual([]);
    expect(paths(without(report({ channel: "group" }), "platform"))).toEqual([]);
    expect(paths(report({ channel: "self_pay", platform: null, rates: [rate({ payer: null, allowed: null })] }))).toEqual([]);
    expect(paths(without(report({ channel: "self_pay", rates: [without(without(rate(), "payer"), "allowed")] }), "platform"))).toEqual([]);
  });

  it("accepts up to 10 rates and amounts with 2 decimals", () => {
    expect(paths(report({ rates: Array.from({ length: MAX_RATES }, () => rate()) }))).toEqual([]);
    expect(MAX_RATES).toBe(10);
    expect(paths(report({ rates: [rate({ paid: 0.01, allowed: 0.29 }), rate({ paid: 151.74, allowed: 1.1 })] }))).toEqual([]);
  });

  it("accepts this year and next year", () => {
    const year = new Date().getUTCFullYear();
    expect(paths(report({ rates: [rate({ year }), rate({ year: year + 1 }), rate({ year: 2020 })] }))).toEqual([]);
  });
});

describe("each rule fails with its path", () => {
  const cases: [string, Input, string][] = [
    ["unknown state", report({ state: "XX" }), "state"],
    ["lower-case state", report({ state: "or" }), "state"],
    ["missing state", without(report(), "state"), "state"],
    ["unknown license", report({ license: "lmhc" }), "license"],
    ["bad years_licensed", report({ years_licensed: "5" }), "years_licensed"],
    ["bad channel", report({ channel: "insurance" }), "channel"],
    ["bad employment", report({ employment: "contractor" }), "employment"],
    ["platform missing for channel platform", report({ platform: null }), "platform"],
    ["platform absent for channel platform", without(report(), "platform"), "platform"],
    ["platform for channel direct", report({ channel: "direct" }), "platform"],
    ["platform for channel self_pay", report({ channel: "self_pay", rates: [rate({ payer: null, allowed: null })] }), "platform"],
    ["platform not a slug", report({ platform: "Grow Therapy" }), "platform"],
    ["no rates", report({ rates: [] }), "rates"],
    ["rates not a list", report({ rates: rate() }), "rates"],
    ["11 rates", report({ rates: Array.from({ length: 11 }, () => rate()) }), "rates"],
    ["CPT not 5 characters", report({ rates: [rate({ cpt: "9083" })] }), "rates.0.cpt"],
    ["CPT as a number", report({ rates: [rate({ cpt: 90837 })] }), "rates.0.cpt"],
    ["bad modality", report({ rates: [rate(), rate({ modality: "video" })] }), "rates.1.modality"],
    ["payer not a slug", report({ rates: [rate({ payer: "Cigna" })] }), "rates.0.payer"],
    ["payer missing for platform", report({ rates: [rate({ payer: null })] }), "rates.0.payer"],
    ["payer missing for direct", report({ channel: "direct", platform: null, rates: [rate(), without(rate(), "payer")] }), "rates.1.payer"],
    ["payer missing for group", report({ channel: "group", platform: null, rates: [rate({ payer: null })] }), "rates.0.payer"],
    ["payer for self_pay", report({ channel: "self_pay", platform: null, rates: [rate({ allowed: null })] }), "rates.0.payer"],
    ["allowed for self_pay", report({ channel: "self_pay", platform: null, rates: [rate({ payer: null })] }), "rates.0.allowed"],
    ["bad plan type", report({ rates: [rate({ plan_type: "ppo" })] }), "rates.0.plan_type"],
    ["year before 2020", report({ rates: [rate({ year: 2019 })] }), "rates.0.year"],
    ["year two ahead", report({ rates: [rate({ year: new Date().getUTCFullYear() + 2 })] }), "rates.0.year"],
    ["year as a string", report({ rates: [rate({ year: "2025" })] }), "rates.0.year"],
    ["fractional year", report({ rates: [rate({ year: 2025.5 })] }), "rates.0.year"],
    ["paid missing", report({ rates: [without(rate(), "paid")] }), "rates.0.paid"],
    ["paid as a string", report({ rates: [rate({ paid: "95" })] }), "rates.0.paid"],
    ["paid zero", report({ rates: [rate({ paid: 0 })] }), "rates.0.paid"],
    ["paid negative", report({ rates: [rate({ paid: -95 })] }), "rates.0.paid"],
    ["paid with 3 decimals", report({ rates: [rate({ paid: 95.001 })] }), "rates.0.paid"],
    ["paid absurdly large", report({ rates: [rate({ paid: 1_000_000 })] }), "rates.0.paid"],
    ["paid not finite", report({ rates: [rate({ paid: Number.NaN })] }), "rates.0.paid"],
    ["allowed zero", report({ rates: [rate({ allowed: 0 })] }), "rates.0.allowed"],
    ["allowed with 3 decimals", report({ rates: [rate(), rate(), rate({ allowed: 151.745 })] }), "rates.2.allowed"],
    ["yes/no answer as a string", report({ platform_experience: { told_of_fee_split: "no" } }), "platform_experience.told_of_fee_split"],
    ["rate_cut_12m as a number", report({ platform_experience: { rate_cut_12m: 1 } }), "platform_experience.rate_cut_12m"],
    ["caseload pressure 0", report({ platform_experience: { caseload_pressure: 0 } }), "platform_experience.caseload_pressure"],
    ["caseload pressure 6", report({ platform_experience: { caseload_pressure: 6 } }), "platform_experience.caseload_pressure"],
    ["caseload pressure 2.5", report({ platform_experience: { caseload_pressure: 2.5 } }), "platform_experience.caseload_pressure"],
    ["negative monthly fee", report({ platform_experience: { monthly_fee: -1 } }), "platform_experience.monthly_fee"],
    ["monthly fee with 3 decimals", report({ platform_experience: { monthly_fee: 9.999 } }), "platform_experience.monthly_fee"],
    ["percent fee over 100", report({ platform_experience: { percent_fee: 101 } }), "platform_experience.percent_fee"],
    ["platform_experience not an object", report({ platform_experience: "yes" }), "platform_experience"],
  ];

  it.each(cases)("%s → %s", (_name, input, path) => {
    const found = paths(input);
    expect(found, JSON.stringify(found)).toContain(path);
  });

  it("refuses unknown fields at every level, naming them", () => {
    const top = reportSubmissionSchema.safeParse(report({ email: "a@b.c", npi: "1234567890" }));
    expect(top.success).toBe(false);
    const topErrors = fieldErrors(top.error!);
    expect(topErrors).toContainEqual({ path: "", message: expect.stringMatching(/email/) });
    expect(topErrors.find((error) => error.path === "")!.message).toMatch(/npi/);

    const inRate = fieldErrors(reportSubmissionSchema.safeParse(report({ rates: [rate(), rate({ zip: "97201" })] })).error!);
    expect(inRate).toContainEqual({ path: "rates.1", message: expect.stringMatching(/zip/) });

    const inExperience = fieldErrors(reportSubmissionSchema.safeParse(report({ platform_experience: { name: "x" } })).error!);
    expect(inExperience).toContainEqual({ path: "platform_experience", message: expect.stringMatching(/name/) });
  });

  it("refuses things that are not a report object", () => {
    for (const input of [null, undefined, [], "report", 42]) expect(reportSubmissionSchema.safeParse(input).success).toBe(false);
  });

  it("gives every error a plain-language message", () => {
    const result = reportSubmissionSchema.safeParse(report({ state: "XX", rates: [rate({ paid: -1, modality: "x", year: 1999 })] }));
    const errors = fieldErrors(result.error!);
    expect(errors.map((error) => error.path)).toEqual(expect.arrayContaining(["state", "rates.0.paid", "rates.0.modality", "rates.0.year"]));
    for (const error of errors) {
      expect(error.message.length).toBeGreaterThan(5);
      expect(error.message).not.toMatch(/^Invalid input|ZodError|expected/);
    }
  });
});

describe("receiptSchema", () => {
  const code = "abcd-efgh-ijkl-mnop-qrst-uvwx-yz";

  it("normalizes case, spaces and dashes", () => {
    const bare = "abcdefghijklmnopqrstuvwxyz";
    expect(receiptSchema.parse(code)).toBe(bare);
    expect(receiptSchema.parse(code.toUpperCase())).toBe(bare);
    expect(receiptSchema.parse(code.replaceAll("-", " "))).toBe(bare);
    expect(receiptSchema.parse(` ${bare} `)).toBe(bare);
  });

  it.each(["", "abcd", "abcdefghijklmnopqrstuvwxy", "abcdefghijklmnopqrstuvwxyza", "abcdefghijklmnopqrstuvwxy1", "abcdefghijklmnopqrstuvwxy0", "abcdefghijklmnopqrstuvwxy8", "abcdefghijklmnop/rstuvwxyz"])(
    "refuses %j",
    (value) => {
      expect(receiptSchema.safeParse(value).success).toBe(false);
    },
  );
});
