// Issue 12: about 30% of the demo reports are verified, deterministically (the flags come from a
// seeded source of their own, so the demo reports themselves are as before).
import { describe, expect, it } from "vitest";
import { DEMO_REPORT_COUNT, demoVerifiedFlags } from "../../db/seed/demo.ts";
import { migrateDatabase, openDatabase } from "../../src/lib/server/db.ts";
import { prepareDatabase } from "../../src/lib/write/setup.ts";

describe("verified demo reports", () => {
  it("marks about 30% of the demo reports verified, the same ones every time", () => {
    const flags = demoVerifiedFlags();
    expect(flags).toHaveLength(DEMO_REPORT_COUNT);
    expect(demoVerifiedFlags()).toEqual(flags);
    const share = flags.filter(Boolean).length / flags.length;
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
  });

  it("stores exactly those flags when the demo data is added", () => {
    const connection = openDatabase(":memory:");
    migrateDatabase(connection);
    prepareDatabase(connection, { demo: true, k: 5 });
    const stored = connection.sqlite.prepare("SELECT count(*) AS n FROM reports WHERE verified = 1").get() as { n: number };
    expect(stored.n).toBe(demoVerifiedFlags().filter(Boolean).length);
    connection.sqlite.close();
  });
});
