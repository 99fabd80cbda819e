// Issue 13, item 14: the button and the schedule publish at most once an hour.
import { afterEach, describe, expect, it } from "vitest";
import { MIN_PUBLISH_INTERVAL_MS, mayPublish, publishLimited, resetPublishLimit } from "../../src/lib/write/publish-limit.ts";

afterEach(() => resetPublishLimit());

describe("publishing from the button or the schedule", () => {
  it("publishes at most once an hour, and says how long to wait", () => {
    const start = Date.parse("2026-12-01T12:00:00Z");
    let published = 0;
    const publish = () => ++published;
    expect(publishLimited(publish, start)).toEqual({ ok: true, value: 1 });
    expect(publishLimited(publish, start + 1_000)).toEqual({ ok: false, retryAfterSeconds: 3599 });
    expect(publishLimited(publish, start + MIN_PUBLISH_INTERVAL_MS - 1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(published).toBe(1);
    expect(publishLimited(publish, start + MIN_PUBLISH_INTERVAL_MS)).toEqual({ ok: true, value: 2 });
  });

  it("does not count a publication that failed", () => {
    const now = Date.parse("2026-12-01T12:00:00Z");
    expect(() => publishLimited(() => { throw new Error("disk full"); }, now)).toThrow("disk full");
    expect(mayPublish(now + 1)).toEqual({ ok: true });
  });
});
