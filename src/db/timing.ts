import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogEvent } from 'kysely';

/**
 * Time spent in the database on behalf of one unit of work (an HTTP request):
 * how many statements ran and how long the database was busy with at least one
 * of them (overlapping statements of a Promise.all count once). Measured at the
 * driver, so it is the raw SQL's time, round trip included. Off unless a caller
 * runs its work inside `measureQueries`.
 */
export interface QueryTiming {
  queries: number;
  /** [end, duration] of each statement, in ms (performance.now()). */
  readonly spans: [number, number][];
}

const current = new AsyncLocalStorage<QueryTiming>();

/** Runs `fn` (and everything it starts) with its statements timed into `timing`. */
export function measureQueries<T>(timing: QueryTiming, fn: () => T): T {
  return current.run(timing, fn);
}

/** Kysely's `log` option: notes each statement's duration in the running unit of work, if any. */
export function noteQuery(event: LogEvent): void {
  const timing = current.getStore();
  if (!timing) return;
  timing.queries += 1;
  timing.spans.push([performance.now(), event.queryDurationMillis]);
}

/** The milliseconds during which at least one statement was running. */
export function busyMillis(timing: QueryTiming): number {
  const intervals = timing.spans.map(([end, duration]) => [end - duration, end] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start = Number.NEGATIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const [s, e] of intervals) {
    if (s > end) {
      if (end > start) total += end - start;
      start = s;
      end = e;
    } else if (e > end) end = e;
  }
  if (end > start) total += end - start;
  return total;
}
