// A fully signed-in moderator session (password, then TOTP enrolment) made with fetch alone,
// for tests of moderator pages and actions that need no browser for the sign-in itself.
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { PROJECT_ROOT, type RunningServer } from "./server.ts";

const SAME_SITE = { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin" };

/**
 * Runs `npm run moderator:create` for the server's database and returns the set-up link it prints,
 * on the server's own origin (asynchronously: a blocked event loop stalls a browser connection).
 */
export async function moderatorSetupLink(server: RunningServer, email: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, "scripts/create-moderator.ts"), "--email", email], {
    env: { ...process.env, DATABASE_PATH: server.dbPath, HOST: "127.0.0.1", PORT: String(server.port) }, encoding: "utf8",
  });
  return stdout.trim().split("\n").at(-1)!.replace(/^http:\/\/127\.0\.0\.1:\d+/, server.url);
}

/** Creates a moderator, sets the password, signs in and enrols TOTP: a fully signed-in session. */
export async function signedInModerator(server: RunningServer, EMAIL: string, PASSWORD: string): Promise<string> {
  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { ...SAME_SITE, ...headers }, body: new URLSearchParams(fields).toString(), redirect: "manual" });
  const cookieOf = (response: Response) => (response.headers.get("set-cookie") ?? "").split(";")[0]!;
  const token = new URL(await moderatorSetupLink(server, EMAIL)).searchParams.get("token")!;
  expect((await post("/mod/setup?_action=mod.setup", { token, password: PASSWORD, confirm: PASSWORD })).status).toBeLessThan(400);
  const login = await post("/mod/login?_action=mod.login", { email: EMAIL, password: PASSWORD });
  expect(login.status).toBe(303);
  const cookie = cookieOf(login);
  const setup = await (await fetch(`${server.url}/mod/2fa/setup`, { headers: { cookie } })).text();
  const manual = /data-testid="totp-key"[^>]*>([^<]+)</.exec(setup)![1]!.replace(/\s/g, "");
  const sealed = /name="key" value="([^"]+)"/.exec(setup)![1]!.replaceAll("&#34;", '"').replaceAll("&amp;", "&");
  const enrolled = await post("/mod/2fa/setup?_action=mod.enrollTotp", { key: sealed, code: generateTOTP(decodeBase32IgnorePadding(manual), 30, 6) }, { cookie });
  expect(enrolled.status).toBeLessThan(400);
  expect((await fetch(`${server.url}/mod/queue`, { headers: { cookie }, redirect: "manual" })).status).toBe(200);
  return cookie;
}
