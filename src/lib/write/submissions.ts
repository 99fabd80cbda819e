// One path for every submission, from the /share form or the JSON API: validate, limit, store.
import { fieldErrors, reportSubmissionSchema, type FieldError } from "../schemas/report.ts";
import type { ReviewStatus } from "../schemas/codes.ts";
import { config } from "../server/config.ts";
import { database } from "../server/db.ts";
import { ClientRateLimiter } from "../server/rate-limit.ts";
import { SubmissionError, submitReport } from "./reports.ts";
import { isStorageFailure } from "../server/storage-errors.ts";

export type SubmissionOutcome =
  | { kind: "created"; receipt: string; reviewStatus: ReviewStatus }
  | { kind: "invalid"; errors: FieldError[] }
  | { kind: "limited"; retryAfterSeconds: number }
  | { kind: "unavailable" };

let limiter: ClientRateLimiter | undefined;

export function submissionLimiter(): ClientRateLimiter {
  limiter ??= new ClientRateLimiter(config().RATECARD_RATE_LIMIT);
  return limiter;
}

export function submit(input: unknown, clientIp: string): SubmissionOutcome {
  const parsed = reportSubmissionSchema.safeParse(input);
  if (!parsed.success) return { kind: "invalid", errors: fieldErrors(parsed.error) };
  const decision = submissionLimiter().hit(clientIp);
  if (!decision.allowed) return { kind: "limited", retryAfterSeconds: decision.retryAfterSeconds };
  try {
    const result = submitReport(database(), parsed.data);
    return { kind: "created", ...result };
  } catch (error) {
    if (error instanceof SubmissionError) return { kind: "invalid", errors: error.errors };
    if (isStorageFailure(error)) return { kind: "unavailable" };
    throw error;
  }
}
