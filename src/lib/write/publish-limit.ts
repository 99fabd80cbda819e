// The moderator's button and the schedule publish at most once an hour (issue 13): with more
// frequent snapshots, one report seen being made could be isolated by the difference of two.
// `npm run snapshot` on the server's own command line is not limited.
export const MIN_PUBLISH_INTERVAL_MS = 3_600_000;

/**
 * Shared through globalThis: the server process holds two copies of this module (the one
 * bundled into Astro's build, used by the button, and the one scripts/start.ts imports for the schedule).
 */
type PublishState = { lastAt: number | null };
const SHARED = Symbol.for("ratecard.publish-limit");
const state: PublishState = ((globalThis as Record<symbol, unknown>)[SHARED] as PublishState | undefined)
  ?? ((globalThis as Record<symbol, unknown>)[SHARED] = { lastAt: null }) as PublishState;

export type PublishPermission = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Whether the button or the schedule may publish now. */
export function mayPublish(now = Date.now()): PublishPermission {
  if (state.lastAt === null || now - state.lastAt >= MIN_PUBLISH_INTERVAL_MS || now < state.lastAt) return { ok: true };
  return { ok: false, retryAfterSeconds: Math.ceil((state.lastAt + MIN_PUBLISH_INTERVAL_MS - now) / 1000) };
}

/** Runs publish() when allowed, and remembers when; returns its result, or the wait. */
export function publishLimited<T>(publish: () => T, now = Date.now()): { ok: true; value: T } | { ok: false; retryAfterSeconds: number } {
  const permission = mayPublish(now);
  if (!permission.ok) return permission;
  const value = publish();
  state.lastAt = now;
  return { ok: true, value };
}

/** Forgets the last publication (tests). */
export function resetPublishLimit(): void {
  state.lastAt = null;
}
