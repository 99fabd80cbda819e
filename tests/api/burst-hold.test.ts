// Issue 12 item 5, through the server: /mod/queue lists a burst of new crowd reports by cell and
// count band; "Hold these reports for review" needs a signed-in moderator (401 without, 403 from
// another site), holds them with reason "burst", and the audit log names no report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInModerator } from "../helpers/moderator-session.ts";
import { startServer, type RunningServer } from "../helpers/server.ts";

const EMAIL = "burst-moderator@example.org";
const PASSWORD = "plum tractor quietly sings";
const SAME_SITE = { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" };
const CELL = { cpt: "90837", state: "OR", channel: "platform", platform: "alma", payer: "cigna" };

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 90_000);
afterAll(() => server?.stop());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { method: "POST", headers: { ...SAME_SITE, ...headers }, body: form(fields), redirect: "manual" });

async function submitCrowdReports(count: number) {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${server.url}/api/v1/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        state: "OR", license: "lpc", years_licensed: "5-9", channel: "platform", platform: "alma",
        rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", year: 2025, paid: 101 + i }],
      }),
    });
    expect(((await response.json()) as { review_status: string }).review_status).toBe("accepted");
  }
}

describe("holding a burst", () => {
  it("is refused without a signed-in moderator, and from another site", async () => {
    const anonymous = await post("/mod/queue?_action=mod.holdBurst", CELL, { origin: server.url });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ ok: false, status: 401 });
    const crossSite = await post("/mod/queue?_action=mod.holdBurst", CELL, { "sec-fetch-site": "cross-site" });
    expect(crossSite.status).toBe(403);
  });

  it("lists a burst by cell and band, holds it on request, and audits no report id", { timeout: 90_000 }, async () => {
    const cookie = await signedInModerator(server, EMAIL, PASSWORD);
    const queue = async () => (await fetch(`${server.url}/mod/queue`, { headers: { cookie } })).text();
    const burstRow = /<tr data-burst="90837\|OR\|platform\|alma\|cigna"[^>]*>[\s\S]*?<\/tr>/;

    await submitCrowdReports(9);
    let page = await queue();
    expect(page).toContain("Bursts since the last snapshot");
    expect(page).not.toMatch(burstRow);

    await submitCrowdReports(2);
    page = await queue();
    const row = burstRow.exec(page)?.[0];
    expect(row).toBeDefined();
    expect(row).toContain("10–19");
    expect(row).not.toMatch(/\b11\b|\$1\d\d/);
    expect(row).toContain("Hold these reports for review");

    const held = await post("/mod/queue?_action=mod.holdBurst", CELL, { cookie });
    expect(held.status).toBeLessThan(400);
    page = await queue();
    expect(page).not.toMatch(burstRow);
    expect(page.match(/<section class="held"/g)).toHaveLength(11);
    expect(page.match(/Why it is held:<\/strong> burst</g)).toHaveLength(11);
    const ids = [...page.matchAll(/data-report="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(11);

    const again = await post("/mod/queue?_action=mod.holdBurst", CELL, { cookie });
    expect(again.status).toBe(409);

    const audit = await (await fetch(`${server.url}/mod/audit`, { headers: { cookie } })).text();
    expect(audit).toContain("burst.held");
    expect(audit).toMatch(/10-19/);
    for (const id of ids) expect(audit).not.toContain(id);
  });
});
