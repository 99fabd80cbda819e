// One path for every submission, from the /share form or the JSON API: validate, limit, store.
import { fieldErrors, reportSubmissionSchema, type FieldError } from "../schemas/report.ts";
import type { ReviewStatus } from "../schemas/codes.ts";
import { config } from "../server/config.ts";
import { database } from "../server/db.ts";
import { ClientRateLimiter } from "../server/rate-limit.ts";
import { SubmissionError, submitReport } from "./reports.ts";
import { isStorageFailure } from "../server/storage-errors.ts";
import { checkToken } from "./tokens/privacy-pass.ts";
import { TokenSpentError } from "./tokens/spent-tokens.ts";

export type SubmissionOutcome =
  | { kind: "created"; receipt: string; reviewStatus: ReviewStatus }
  | { kind: "invalid"; errors: FieldError[] }
  | { kind: "limited"; retryAfterSeconds: number }
  /** The Privacy Pass token offered with the report was refused; nothing was stored. */
  | { kind: "token"; message: string }
  | { kind: "unavailable" };

let limiter: ClientRateLimiter | undefined;

export function submissionLimiter(): ClientRateLimiter {
  limiter ??= new ClientRateLimiter(config().RATECARD_RATE_LIMIT);
  return limiter;
}

let tokenFailures: ClientRateLimiter | undefined;

/** Refused Privacy Pass tokens per client and hour (issue 12), the same number as reports. */
export function tokenFailureLimiter(): ClientRateLimiter {
  tokenFailures ??= new ClientRateLimiter(config().RATECARD_RATE_LIMIT);
  return tokenFailures;
}

/**
 * The order is the promise of issue 12: parse the report, check the token, count the address,
 * then store the report and spend the token in one transaction (a refused report keeps its token).
 */
export async function submit(input: unknown, clientIp: string, token: string | null = null): Promise<SubmissionOutcome> {
  const parsed = reportSubmissionSchema.safeParse(input);
  if (!parsed.success) return { kind: "invalid", errors: fieldErrors(parsed.error) };
  let spentTokenHash: Buffer | undefined;
  if (token !== null) {
    // Refused tokens count against the client, so signature checks cannot be sprayed without limit.
    const failures = tokenFailureLimiter();
    if (failures.blocked(clientIp)) {
      const decision = failures.hit(clientIp);
      return { kind: "limited", retryAfterSeconds: decision.allowed ? 1 : decision.retryAfterSeconds };
    }
    const checked = await checkToken(database(), token);
    if (checked.kind === "invalid") {
      failures.hit(clientIp);
      return { kind: "token", message: checked.message };
    }
    spentTokenHash = checked.spentHash;
  }
  const decision = submissionLimiter().hit(clientIp);
  if (!decision.allowed) return { kind: "limited", retryAfterSeconds: decision.retryAfterSeconds };
  try {
    const result = submitReport(database(), parsed.data, spentTokenHash ? { spentTokenHash } : {});
    return { kind: "created", ...result };
  } catch (error) {
    if (error instanceof SubmissionError) return { kind: "invalid", errors: error.errors };
    if (error instanceof TokenSpentError) return { kind: "token", message: error.message };
    if (isStorageFailure(error)) return { kind: "unavailable" };
    throw error;
  }
}
