// The one place the environment is read: parsed once with zod, shared by the server and every script.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { z } from "zod";

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
  RATECARD_RATE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(10),
  RATECARD_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** The site's public origin (scheme, host, port): Privacy Pass issuer and origin names come from it. Default: the listening address. */
  RATECARD_PUBLIC_ORIGIN: z.url({ protocol: /^https?$/ }).transform((value) => new URL(value).origin).optional(),
  /** Privacy Pass tokens a verified license may receive per calendar year (issue 12). */
  RATECARD_TOKENS_PER_LICENSE: z.coerce.number().int().min(1).max(1000).default(12),
});

export type Config = Omit<z.output<typeof configSchema>, "RATECARD_SECRET"> & {
  RATECARD_SECRET: string;
  /** Milliseconds between scheduled snapshots. */
  RATECARD_SNAPSHOT_EVERY: number;
};

export class ConfigError extends Error {}

/** Parses an environment; throws ConfigError with one line per bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Omit<Config, "RATECARD_SECRET"> & { RATECARD_SECRET?: string | undefined } {
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
  return result.data;
}

/** The secret for cursors and set-up links: from the environment, else a file beside the database. */
export function resolveSecret(databasePath: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = join(dirname(resolve(databasePath)), "secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
  return secret;
}

/** The site's public origin: RATECARD_PUBLIC_ORIGIN, else the address the server listens on. */
export function publicOrigin(settings: Pick<Config, "RATECARD_PUBLIC_ORIGIN" | "HOST" | "PORT">): string {
  if (settings.RATECARD_PUBLIC_ORIGIN) return settings.RATECARD_PUBLIC_ORIGIN;
  const host = settings.HOST === "0.0.0.0" || settings.HOST === "::" ? "localhost" : settings.HOST;
  return new URL(`http://${host.includes(":") ? `[${host}]` : host}:${settings.PORT}`).origin;
}

let loaded: Config | undefined;

/** The process's configuration. A bad value stops the program with one clear line. */
export function config(): Config {
  if (loaded) return loaded;
  try {
    const parsed = parseConfig(process.env);
    loaded = { ...parsed, RATECARD_SECRET: resolveSecret(parsed.DATABASE_PATH, parsed.RATECARD_SECRET) };
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}
