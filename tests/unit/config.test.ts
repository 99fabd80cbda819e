// DESIGN.md "Configuration": one zod module parses the environment; a bad value stops the
// program with one clear line naming the variable.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, publicOrigin, resolveSecret } from "../../src/lib/server/config.ts";
import { makeDataFolderPrivate } from "../../src/lib/server/data-folder.ts";

const ROOT = resolve(import.meta.dirname, "../..");

function errorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`parseConfig accepted ${JSON.stringify(env)}`);
}

function expectRefused(env: Record<string, string>, variable: string): string {
  const message = errorOf(env).message;
  expect(message).toContain(variable);
  expect(message, "one line").not.toMatch(/[\r\n]/);
  expect(message).not.toMatch(/\bat\s+\S+:\d+/);
  return message;
}

describe("parseConfig defaults", () => {
  it("fills every default from an empty environment", () => {
    const config = parseConfig({});
    expect(config).toEqual({
      DATABASE_PATH: "./data/ratecard.db",
      HOST: "localhost",
      PORT: 4321,
      RATECARD_K: 5,
      RATECARD_DEMO: "on",
      RATECARD_SNAPSHOT_EVERY: 24 * 3_600_000,
      RATECARD_REJECTED_RETENTION: 30 * 86_400_000,
      RATECARD_RATE_LIMIT: 10,
      RATECARD_TRUST_PROXY: 0,
      RATECARD_TOKENS_PER_LICENSE: 12,
      RATECARD_BURST_THRESHOLD: 10,
    });
    expect(config.RATECARD_SECRET).toBeUndefined();
  });

  it("treats an empty variable as unset", () => {
    const config = parseConfig({ PORT: "", RATECARD_K: "", RATECARD_SNAPSHOT_EVERY: "", DATABASE_PATH: "" });
    expect(config.PORT).toBe(4321);
    expect(config.RATECARD_K).toBe(5);
    expect(config.RATECARD_SNAPSHOT_EVERY).toBe(86_400_000);
    expect(config.DATABASE_PATH).toBe("./data/ratecard.db");
  });

  it("ignores variables it does not know", () => {
    expect(() => parseConfig({ PATH: "/usr/bin", NODE_ENV: "test", RATECARD_UNKNOWN: "x" })).not.toThrow();
  });

  it("reads every variable it knows", () => {
    const secret = "s".repeat(40);
    const config = parseConfig({
      DATABASE_PATH: "/var/lib/ratecard/r.db", HOST: "0.0.0.0", PORT: "8080", RATECARD_K: "7",
      RATECARD_SECRET: secret, RATECARD_DEMO: "off", RATECARD_SNAPSHOT_EVERY: "6h",
      RATECARD_RATE_LIMIT: "0", RATECARD_TRUST_PROXY: "2",
      RATECARD_PUBLIC_ORIGIN: "https://ratecard.example/", RATECARD_TOKENS_PER_LICENSE: "6",
      RATECARD_REJECTED_RETENTION: "7d", RATECARD_BURST_THRESHOLD: "20",
    });
    expect(config).toEqual({
      DATABASE_PATH: "/var/lib/ratecard/r.db", HOST: "0.0.0.0", PORT: 8080, RATECARD_K: 7,
      RATECARD_SECRET: secret, RATECARD_DEMO: "off", RATECARD_SNAPSHOT_EVERY: 6 * 3_600_000,
      RATECARD_RATE_LIMIT: 0, RATECARD_TRUST_PROXY: 2,
      RATECARD_PUBLIC_ORIGIN: "https://ratecard.example", RATECARD_TOKENS_PER_LICENSE: 6,
      RATECARD_REJECTED_RETENTION: 7 * 86_400_000, RATECARD_BURST_THRESHOLD: 20,
    });
  });
});

describe("RATECARD_PUBLIC_ORIGIN (issue 12: Privacy Pass names)", () => {
  it("defaults to the listening address, and keeps only the origin of a URL", async () => {
    const { publicOrigin } = await import("../../src/lib/server/config.ts");
    expect(publicOrigin(parseConfig({}))).toBe("http://localhost:4321");
    expect(publicOrigin(parseConfig({ HOST: "0.0.0.0", PORT: "8080" }))).toBe("http://localhost:8080");
    expect(parseConfig({ RATECARD_PUBLIC_ORIGIN: "https://ratecard.example/some/path" }).RATECARD_PUBLIC_ORIGIN).toBe("https://ratecard.example");
  });

  it.each(["ratecard.example", "ftp://ratecard.example"])("refuses %s with a message naming RATECARD_PUBLIC_ORIGIN", (value) => {
    expectRefused({ RATECARD_PUBLIC_ORIGIN: value }, "RATECARD_PUBLIC_ORIGIN");
  });
});

describe("RATECARD_K (rule 'K reports')", () => {
  it("accepts 3 and more", () => {
    expect(parseConfig({ RATECARD_K: "3" }).RATECARD_K).toBe(3);
    expect(parseConfig({ RATECARD_K: "10" }).RATECARD_K).toBe(10);
  });

  it.each(["2", "1", "0", "-5"])("refuses K = %s with a message naming RATECARD_K", (k) => {
    const message = expectRefused({ RATECARD_K: k }, "RATECARD_K");
    expect(message).toMatch(/at least 3/);
  });

  it.each(["five", "4.5", "1e9"])("refuses K = %s", (k) => {
    expectRefused({ RATECARD_K: k }, "RATECARD_K");
  });
});

describe("PORT", () => {
  it.each(["0", "65536", "70000", "-1", "http", "80.5"])("refuses PORT = %s", (port) => {
    expectRefused({ PORT: port }, "PORT");
  });

  it("accepts 1 and 65535", () => {
    expect(parseConfig({ PORT: "1" }).PORT).toBe(1);
    expect(parseConfig({ PORT: "65535" }).PORT).toBe(65535);
  });
});

describe("RATECARD_SNAPSHOT_EVERY", () => {
  it.each([
    ["1m", 60_000], ["30m", 1_800_000], ["1h", 3_600_000], ["24h", 86_400_000], ["7d", 604_800_000], ["90m", 5_400_000],
  ])("parses %s as %i ms (under NODE_ENV=test)", (value, ms) => {
    expect(parseConfig({ NODE_ENV: "test", RATECARD_SNAPSHOT_EVERY: value }).RATECARD_SNAPSHOT_EVERY).toBe(ms);
  });

  it.each(["1m", "30m", "59m"])("refuses %s outside tests: snapshots under an hour apart could isolate one report", (value) => {
    const message = expectRefused({ RATECARD_SNAPSHOT_EVERY: value }, "RATECARD_SNAPSHOT_EVERY");
    expect(message).toMatch(/at least 1h/);
    expect(parseConfig({ RATECARD_SNAPSHOT_EVERY: "60m" }).RATECARD_SNAPSHOT_EVERY).toBe(3_600_000);
  });

  it.each(["0m", "30s", "1.5h", "24", "h", "daily", "24 h", "-1h"])("refuses %s", (value) => {
    expectRefused({ RATECARD_SNAPSHOT_EVERY: value }, "RATECARD_SNAPSHOT_EVERY");
  });
});

describe("other variables", () => {
  it.each([
    ["RATECARD_DEMO", "maybe"],
    ["RATECARD_RATE_LIMIT", "-1"],
    ["RATECARD_RATE_LIMIT", "lots"],
    ["RATECARD_TRUST_PROXY", "-1"],
    ["RATECARD_TRUST_PROXY", "11"],
    ["RATECARD_SECRET", "short"],
  ])("refuses %s = %s", (variable, value) => {
    expectRefused({ [variable]: value }, variable);
  });

  it("names every bad variable, still on one line", () => {
    const message = errorOf({ RATECARD_K: "2", PORT: "nope" }).message;
    expect(message).toContain("RATECARD_K");
    expect(message).toContain("PORT");
    expect(message).not.toMatch(/[\r\n]/);
  });
});

describe("config() in a process", () => {
  function run(env: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-config-"));
    try {
      const script = `import(${JSON.stringify(join(ROOT, "src/lib/server/config.ts"))}).then((m) => { const c = m.config(); console.log("K=" + c.RATECARD_K); })`;
      const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("RATECARD_") && key !== "PORT" && key !== "HOST"));
      return spawnSync(process.execPath, ["--input-type=module", "--eval", script], {
        cwd: ROOT,
        env: { ...base, DATABASE_PATH: join(dir, "r.db"), ...env },
        encoding: "utf8",
        timeout: 20_000,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("stops with exit code 78 and one line on stderr naming the variable", () => {
    const result = run({ RATECARD_K: "2" });
    expect(result.status, result.stderr).toBe(78);
    const lines = result.stderr.trim().split("\n").filter((line) => !line.includes("ExperimentalWarning") && !line.includes("--trace-warnings"));
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain("RATECARD_K");
    expect(result.stderr).not.toMatch(/\bat\s+\S+:\d+/);
    expect(result.stdout).toBe("");
  });

  it("starts with a valid environment", () => {
    const result = run({ RATECARD_K: "4" });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("K=4");
  });
});

describe("RATECARD_PUBLIC_ORIGIN (issue 13, item 21)", () => {
  it("takes an origin, and defaults to the listening address", () => {
    expect(publicOrigin(parseConfig({ RATECARD_PUBLIC_ORIGIN: "https://ratecard.example/" }))).toBe("https://ratecard.example");
    expect(publicOrigin(parseConfig({ HOST: "127.0.0.1", PORT: "8080" }))).toBe("http://127.0.0.1:8080");
    expect(publicOrigin(parseConfig({ HOST: "0.0.0.0" }))).toBe("http://localhost:4321");
  });

  it.each(["ratecard.example", "ftp://ratecard.example", "//ratecard.example"])("refuses %s", (value) => {
    expectRefused({ RATECARD_PUBLIC_ORIGIN: value }, "RATECARD_PUBLIC_ORIGIN");
  });
});

describe("files (issue 13, item 20)", () => {
  it("refuses a secret file that others can read, or one shorter than 32 characters", () => {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-secret-"));
    try {
      const db = join(dir, "r.db");
      writeFileSync(join(dir, "secret"), "s".repeat(40), { mode: 0o644 });
      chmodSync(join(dir, "secret"), 0o644);
      expect(() => resolveSecret(db, undefined)).toThrow(/readable by other users/);
      chmodSync(join(dir, "secret"), 0o600);
      expect(resolveSecret(db, undefined)).toBe("s".repeat(40));
      writeFileSync(join(dir, "secret"), "short\n");
      expect(() => resolveSecret(db, undefined)).toThrow(/shorter than 32/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sets the process's umask to 077, so every file and folder written is owner-only", () => {
    const dir = mkdtempSync(join(tmpdir(), "ratecard-umask-"));
    try {
      writeFileSync(join(dir, "file"), "x");
      mkdirSync(join(dir, "folder"));
      expect(statSync(join(dir, "file")).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, "folder")).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("makes the data folder private at start: files 0600, folders 0700, snapshot folders too, nothing else touched", () => {
    const parent = mkdtempSync(join(tmpdir(), "ratecard-private-"));
    try {
      const dir = join(parent, "data");
      mkdirSync(join(dir, "ratecard.db.snapshots"), { recursive: true, mode: 0o755 });
      chmodSync(dir, 0o755);
      chmodSync(join(dir, "ratecard.db.snapshots"), 0o755);
      for (const file of ["ratecard.db", "ratecard.db-wal", "secret", "ratecard.db.snapshots/snapshot-1.snapshot"]) {
        writeFileSync(join(dir, file), "x");
        chmodSync(join(dir, file), 0o644);
      }
      const beside = join(parent, "ratecard.db");
      writeFileSync(beside, "x");
      chmodSync(beside, 0o644);
      expect(makeDataFolderPrivate(join(dir, "ratecard.db"))).toBe(6);
      const mode = (path: string) => statSync(path).mode & 0o777;
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, "ratecard.db.snapshots"))).toBe(0o700);
      for (const file of ["ratecard.db", "ratecard.db-wal", "secret", "ratecard.db.snapshots/snapshot-1.snapshot"]) expect(mode(join(dir, file)), file).toBe(0o600);
      // DATABASE_PATH=./ratecard.db in a shared folder: only Ratecard's own files change.
      writeFileSync(join(parent, "notes.txt"), "x");
      chmodSync(join(parent, "notes.txt"), 0o644);
      chmodSync(parent, 0o755);
      expect(makeDataFolderPrivate(beside)).toBe(1);
      expect(mode(beside)).toBe(0o600);
      expect(mode(join(parent, "notes.txt"))).toBe(0o644);
      expect(mode(parent)).toBe(0o755);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
