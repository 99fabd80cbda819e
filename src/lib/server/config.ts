// The one place the environment is read: parsed once with zod, shared by the server and every script.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isMainThread } from "node:worker_threads";
import { z } from "zod";

// Everything the server and every script write (database, WAL, snapshots, backups, the secret)
// is readable by its owner only. Worker threads share the process's mask and may not set it.
if (isMainThread) process.umask(0o077);

const durationPattern = /^(\d+)(m|h|d)$/;
const durationUnitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export const configSchema = z.object({
  DATABASE_PATH: z.string().min(1).default("./data/ratecard.db"),
  HOST: z.string().min(1).default("localhost"),
  PORT: z.coerce.number().int().min(1).max(65535).default(4321),
  RATECARD_K: z.coerce
    .number()
    .int("must be a whole number")
    .min(3, "must be at least 3: smaller cells could identify a therapist")
    .max(1000)
    .default(5),
  RATECARD_SECRET: z
    .string()
    .min(32, "must be at least 32 characters")
    .optional(),
  RATECARD_DEMO: z.enum(["on", "off"]).default("on"),
  RATECARD_SNAPSHOT_EVERY: z
    .string()
    .regex(durationPattern, "must look like 30m, 24h or 7d")
    .default("24h")
    .transform((value) => {
      const [, count, unit] = durationPattern.exec(value) as RegExpExecArray;
      return Number(count) * durationUnitMs[unit as keyof typeof durationUnitMs];
    })
    .refine((ms) => ms >= 60_000, "must be at least 1m"),
  /**
   * Where the public reaches the site (`https://ratecard.example`): every absolute URL (pages,
   * /embed, Privacy Pass issuer and origin names) starts with it. Default: the listening address.
   */
  RATECARD_PUBLIC_ORIGIN: z
    .url({ protocol: /^https?$/, message: "must be an http(s) origin such as https://ratecard.example" })
    .transform((value) => URL.parse(value)?.origin ?? value)
    .optional(),
  /** How long a rejected report is kept (for a moderator to reconsider) before it is erased. */
  RATECARD_REJECTED_RETENTION: z
    .string()
    .regex(durationPattern, "must look like 30m, 24h or 30d")
    .default("30d")
    .transform((value) => {
      const [, count, unit] = durationPattern.exec(value) as RegExpExecArray;
      return Number(count) * durationUnitMs[unit as keyof typeof durationUnitMs];
    }),
  RATECARD_RATE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(10),
  RATECARD_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Privacy Pass tokens a verified license may receive per calendar year (issue 12). */
  RATECARD_TOKENS_PER_LICENSE: z.coerce.number().int().min(1).max(1000).default(12),
  /** Issue 12: new reports in one cell from which /mod/queue lists a burst; never below RATECARD_K. */
  RATECARD_BURST_THRESHOLD: z.coerce.number().int("must be a whole number").min(3, "must be at least 3").max(100_000).default(10),
});

export type Config = Omit<z.output<typeof configSchema>, "RATECARD_SECRET" | "RATECARD_PUBLIC_ORIGIN"> & {
  RATECARD_SECRET: string;
  /** RATECARD_PUBLIC_ORIGIN, or the listening address when unset. */
  RATECARD_PUBLIC_ORIGIN: string;
  /** Milliseconds between scheduled snapshots. */
  RATECARD_SNAPSHOT_EVERY: number;
};

export class ConfigError extends Error {}

/** Parses an environment; throws ConfigError with one line per bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Omit<Config, "RATECARD_SECRET" | "RATECARD_PUBLIC_ORIGIN"> & { RATECARD_SECRET?: string | undefined; RATECARD_PUBLIC_ORIGIN?: string | undefined } {
  const cleaned = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message} (got ${JSON.stringify(cleaned[String(issue.path[0])] ?? null)})`,
    );
    throw new ConfigError(`Invalid configuration: ${lines.join("; ")}`);
  }
  // Snapshots close together let someone who watched a report being made isolate it.
  if (env.NODE_ENV !== "test" && result.data.RATECARD_SNAPSHOT_EVERY < MIN_SNAPSHOT_EVERY_MS) {
    throw new ConfigError(
      `Invalid configuration: RATECARD_SNAPSHOT_EVERY: must be at least 1h, so that two snapshots cannot isolate one report (got ${JSON.stringify(cleaned.RATECARD_SNAPSHOT_EVERY)})`,
    );
  }
  return result.data;
}

export const MIN_SNAPSHOT_EVERY_MS = 3_600_000;

/** The origin of every absolute URL the site writes: configured, else where it listens. Never the Host header. */
export function publicOrigin(parsed: Pick<Config, "HOST" | "PORT"> & { RATECARD_PUBLIC_ORIGIN?: string | undefined }): string {
  if (parsed.RATECARD_PUBLIC_ORIGIN) return parsed.RATECARD_PUBLIC_ORIGIN;
  const host = parsed.HOST === "0.0.0.0" || parsed.HOST === "::" ? "localhost" : parsed.HOST.includes(":") ? `[${parsed.HOST}]` : parsed.HOST;
  return `http://${host}:${parsed.PORT}`;
}

/** The secret for cursors and set-up links: from the environment, else a file beside the database. */
export function resolveSecret(databasePath: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = join(dirname(resolve(databasePath)), "secret");
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) {
      throw new ConfigError(`Refusing to start: the secret file ${file} is readable by other users (chmod 600 it, or make a new one)`);
    }
    const secret = readFileSync(file, "utf8").trim();
    if (secret.length < 32) throw new ConfigError(`Refusing to start: the secret file ${file} is shorter than 32 characters`);
    return secret;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  return secret;
}

let loaded: Config | undefined;

/** The process's configuration. A bad value stops the program with one clear line. */
export function config(): Config {
  if (loaded) return loaded;
  try {
    const parsed = parseConfig(process.env);
    loaded = { ...parsed, RATECARD_SECRET: resolveSecret(parsed.DATABASE_PATH, parsed.RATECARD_SECRET), RATECARD_PUBLIC_ORIGIN: publicOrigin(parsed) };
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}
