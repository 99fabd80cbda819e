// Publishes a snapshot every `everyMs` (rule "Snapshots only": on a schedule, never per report).
export type Scheduled = { stop(): void };

export function scheduleSnapshots(everyMs: number, publish: () => void, onError: (error: unknown) => void = console.error): Scheduled {
  const timer = setInterval(() => {
    try {
      publish();
    } catch (error) {
      // A failed build must not stop the schedule or the server; the previous snapshot stays current.
      onError(error);
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
