// When the disk is full or read-only, submissions get a 503 in the error shape and published
// pages keep being served; SIGTERM closes the database cleanly.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../helpers/server.ts";

const REPORT = {
  state: "OR", license: "lpc", years_licensed: "5-9", channel: "direct",
  rates: [{ cpt: "90837", modality: "telehealth", payer: "cigna", year: 2025, paid: 140 }],
};
const submit = (server: RunningServer) =>
  fetch(`${server.url}/api/v1/reports`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(REPORT) });

function canMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), "ratecard-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const mounts: string[] = [];
afterAll(() => {
  for (const dir of mounts) {
    try {
      execFileSync("umount", ["-l", dir], { stdio: "ignore" });
    } catch {
      // already unmounted
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

function mountTmpfs(sizeMb: number): string {
  const dir = mkdtempSync(join(tmpdir(), "ratecard-fault-"));
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMb}m`, "tmpfs", dir]);
  mounts.push(dir);
  return dir;
}

describe.skipIf(!canMount())("storage faults (needs root to mount a tmpfs)", () => {
  it("answers 503 when the disk is full, and keeps serving published pages", async () => {
    const dir = mountTmpfs(24);
    const server = await startServer({ dbPath: join(dir, "ratecard.db") });
    try {
      expect((await submit(server)).status).toBe(201);
      // Fill the disk to the last byte.
      try {
        execFileSync("dd", ["if=/dev/zero", `of=${join(dir, "filler")}`, "bs=64k"], { stdio: "ignore" });
      } catch {
        // dd stops with "no space left", which is the point
      }
      let answer: Response | undefined;
      for (let i = 0; i < 50; i++) {
        answer = await submit(server);
        if (answer.status !== 201) break;
      }
      expect(answer!.status).toBe(503);
      expect(answer!.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await answer!.json()).toMatchObject({ ok: false, status: 503, errors: [] });
      for (const path of ["/", "/share", "/methodology"]) expect((await fetch(`${server.url}${path}`)).status).toBe(200);
      const form = await fetch(`${server.url}/share?_action=share`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
        body: new URLSearchParams({ state: "OR", license: "lpc", years_licensed: "5-9", channel: "direct", "rates.0.cpt": "90837", "rates.0.modality": "telehealth", "rates.0.payer": "cigna", "rates.0.year": "2025", "rates.0.paid": "140" }),
      });
      expect(form.status).toBe(503);
      expect(await form.text()).toContain("could not be saved");
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(!canMount())("a read-only disk (needs root to mount a tmpfs)", () => {
  it("serves published pages and the receipt view from a database on a read-only mount, and answers writes with 503", async () => {
    const dir = mountTmpfs(64);
    const dbPath = join(dir, "ratecard.db");
    const writable = await startServer({ dbPath });
    const created = (await (await submit(writable)).json()) as { receipt: string };
    await writable.stop();
    execFileSync("mount", ["-o", "remount,ro", dir]);
    const server = await startServer({ dbPath });
    try {
      expect(server.output()).toContain("read-only");
      for (const path of ["/", "/compare", "/methodology", "/api/v1/aggregates.json?cpt=90837&_size=1"]) {
        expect((await fetch(`${server.url}${path}`)).status).toBe(200);
      }
      expect((await fetch(`${server.url}/api/v1/reports/${created.receipt}`)).status).toBe(200);
      const answer = await submit(server);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ ok: false, status: 503 });
      const deletion = await fetch(`${server.url}/api/v1/reports/${created.receipt}`, { method: "DELETE" });
      expect(deletion.status).toBe(503);
    } finally {
      await server.stop();
      execFileSync("mount", ["-o", "remount,rw", dir]);
    }
  });
});

describe("SIGTERM", () => {
  it("exits cleanly and closes the database, leaving no write-ahead log behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-term-"));
    mkdirSync(dir, { recursive: true });
    const server = await startServer({ dbPath: join(dir, "ratecard.db") });
    expect((await submit(server)).status).toBe(201);
    expect(existsSync(join(dir, "ratecard.db-wal"))).toBe(true);
    await server.stop();
    expect(existsSync(join(dir, "ratecard.db-wal"))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
