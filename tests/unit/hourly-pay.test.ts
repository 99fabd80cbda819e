import { describe, expect, it } from "vitest";
import { HOURLY_FIELDS, initialHourlyValues, parseHourlyOffer, SOCIAL_SECURITY_WAGE_BASE, trueHourlyPay, type HourlyInputs } from "../../src/lib/shared/hourly-pay.ts";
import { formatHourlyValue, hourlyVerdict } from "../../src/lib/shared/hourly-table.ts";

function offer(overrides: Partial<HourlyInputs> = {}): HourlyInputs {
  return {
    pay: 100, sessionsPerWeek: 20, noShowPercent: 10, sessionMinutes: 60, unpaidMinutes: 15, weeksPerYear: 50,
    monthlyFee: 0, percentFee: 0, employment: "w2", ...overrides,
  };
}

describe("trueHourlyPay", () => {
  it("counts no-show slots as worked time but not paid time", () => {
    const result = trueHourlyPay(offer());
    expect(result.paidSessionsPerWeek).toBe(18);
    // 20 slots × 60 min + 18 sessions × 15 min of notes = 1470 min
    expect(result.hoursPerWeek).toBeCloseTo(24.5);
    expect(result.grossPerYear).toBe(90_000);
    expect(result.incomePerYear).toBe(90_000);
    expect(result.effectiveHourly).toBeCloseTo(90_000 / (24.5 * 50));
  });

  it("takes platform fees, monthly and as a percentage", () => {
    const result = trueHourlyPay(offer({ monthlyFee: 125, percentFee: 10 }));
    expect(result.feesPerYear).toBe(1500 + 9000);
    expect(result.incomePerYear).toBe(90_000 - 10_500);
  });

  it("charges a 1099 contractor the employer's half of payroll tax on 92.35% of net pay", () => {
    const result = trueHourlyPay(offer({ employment: "1099" }));
    expect(result.extraTaxPerYear).toBeCloseTo(90_000 * 0.9235 * 0.0765, 2);
    expect(result.incomePerYear).toBeCloseTo(90_000 - 90_000 * 0.9235 * 0.0765, 2);
  });

  it("stops the Social Security part at the wage base", () => {
    const result = trueHourlyPay(offer({ employment: "1099", pay: 600 }));
    const se = 540_000 * 0.9235;
    expect(result.extraTaxPerYear).toBeCloseTo(SOCIAL_SECURITY_WAGE_BASE * 0.062 + se * 0.0145, 2);
  });

  it("never makes fees larger than pay", () => {
    expect(trueHourlyPay(offer({ monthlyFee: 10_000, percentFee: 100 })).incomePerYear).toBe(0);
  });
});

describe("parseHourlyOffer", () => {
  it("reads the form's starting values", () => {
    const parsed = parseHourlyOffer(initialHourlyValues("a", "1099"), "a");
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.inputs.pay).toBe(HOURLY_FIELDS.find((f) => f.name === "pay")!.initial);
  });

  it("accepts dollar signs, commas and percent signs", () => {
    const parsed = parseHourlyOffer({ ...initialHourlyValues("b", "w2"), "b.pay": "$1,200", "b.noShowPercent": "12%" }, "b");
    expect(parsed.ok && parsed.inputs.pay).toBe(1200);
  });

  it("names each field that is missing or out of range", () => {
    const parsed = parseHourlyOffer({ ...initialHourlyValues("a", "1099"), "a.pay": "", "a.noShowPercent": "140", "a.employment": "both" }, "a");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors.pay).toBe("Enter a number.");
      expect(parsed.errors.noShowPercent).toBe("Enter a number from 0 to 100.");
      expect(parsed.errors.employment).toMatch(/1099 or W-2/);
      expect(parsed.errors.sessionsPerWeek).toBeUndefined();
    }
  });
});

describe("the hourly table", () => {
  it("says which offer pays more per hour worked", () => {
    const a = trueHourlyPay(offer({ pay: 95 }));
    const b = trueHourlyPay(offer({ pay: 130 }));
    expect(hourlyVerdict(a, b)).toMatch(/^Offer B pays \$\d+ more per hour worked than offer A\.$/);
    expect(hourlyVerdict(b, a)).toMatch(/^Offer A pays/);
    expect(hourlyVerdict(a, a)).toBe("Both offers pay about the same per hour worked.");
    expect(hourlyVerdict(a, null)).toMatch(/both offers/);
    expect(formatHourlyValue("effectiveHourly", a)).toMatch(/^\$\d+ an hour$/);
    expect(formatHourlyValue("hoursPerWeek", null)).toBe("—");
  });
});
