import { afterEach, describe, expect, it, vi } from "vitest";
import { scheduleSnapshots } from "../../src/lib/write/schedule.ts";

afterEach(() => vi.useRealTimers());

describe("scheduleSnapshots", () => {
  it("publishes once per period, never before the period ends", () => {
    vi.useFakeTimers();
    const publish = vi.fn();
    const schedule = scheduleSnapshots(86_400_000, publish);
    vi.advanceTimersByTime(86_399_999);
    expect(publish).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(publish).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2 * 86_400_000);
    expect(publish).toHaveBeenCalledTimes(3);
    schedule.stop();
    vi.advanceTimersByTime(86_400_000);
    expect(publish).toHaveBeenCalledTimes(3);
  });

  it("keeps the schedule going when one build fails", () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const schedule = scheduleSnapshots(1000, () => {
      calls++;
      if (calls === 1) throw new Error("disk full");
    }, (e) => errors.push(e));
    vi.advanceTimersByTime(3000);
    expect(calls).toBe(3);
    expect(errors).toHaveLength(1);
    schedule.stop();
  });
});
