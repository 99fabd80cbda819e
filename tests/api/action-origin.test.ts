// Issue 12 item 5 (done with issue 13): the origin check guards every request that names an
// action, whatever its path and content type, before the content type is looked at; a client
// with neither Sec-Fetch-Site nor Origin (curl, scripts) passes; the JSON API keeps its 415.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../helpers/server.ts";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
}, 90_000);
afterAll(() => server?.stop());

const post = (path: string, headers: Record<string, string>, body = "state=OR") =>
  fetch(`${server.url}${path}`, { method: "POST", headers, body, redirect: "manual" });

async function expectRefused(response: Response) {
  expect(response.status).toBe(403);
  expect(await response.json()).toMatchObject({ ok: false, status: 403, errors: [{ path: "origin" }] });
}

describe("a cross-site request that names an action", () => {
  it.each([
    ["/_actions/share", "application/json"],
    ["/_actions/mod.review", "application/json"],
    ["/?_action=share", "text/plain"],
    ["/share?_action=share", "application/json"],
    ["/api/v1/reports?_action=share", "application/x-www-form-urlencoded"],
    ["/api/v1/snapshots?_action=mod.publishSnapshot", "application/json"],
    ["/mod/queue?_action=mod.review", "application/json"],
  ])("%s as %s gets 403, not 415 or 404", async (path, type) => {
    await expectRefused(await post(path, { "content-type": type, "sec-fetch-site": "cross-site" }));
    await expectRefused(await post(path, { "content-type": type, origin: "https://evil.example" }));
  });
});

describe("clients without fetch metadata or Origin", () => {
  it("pass the origin check on a form post (curl, scripts)", async () => {
    const response = await post("/share", { "content-type": "application/x-www-form-urlencoded" });
    expect(response.status).not.toBe(403);
    const action = await post("/_actions/share", { "content-type": "application/json" }, "{}");
    expect(action.status).toBe(415);
  });

  it("the JSON API keeps its 415 for other content types, even from another site", async () => {
    const response = await post("/api/v1/reports", { "content-type": "text/plain", origin: "https://newsroom.example" });
    expect(response.status).toBe(415);
  });
});
