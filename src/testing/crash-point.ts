/**
 * Crash tests only (`src/cli/crash.test.ts`): `HOMEWARD_TEST_CRASH_AT=<point>[:<n>]` makes the
 * process SIGKILL itself the n-th time (default: the first) it reaches the named point — no
 * cleanup, no rollback, no closing of the database, exactly as a power cut or the OOM killer
 * would. Without the variable a crash point does nothing.
 */
const wanted = parseCrashAt(process.env.HOMEWARD_TEST_CRASH_AT);
let reached = 0;

function parseCrashAt(value: string | undefined): { point: string; nth: number } | null {
  if (!value) return null;
  const [point = '', nth = '1'] = value.split(':');
  return { point, nth: Math.max(1, Number.parseInt(nth, 10) || 1) };
}

export type CrashPoint =
  | 'import-batch'
  | 'import-before-commit'
  | 'import-committed'
  | 'case-transition-state'
  | 'manifest-lock-stored'
  | 'manifest-lock-committed';

export function crashPoint(point: CrashPoint): void {
  if (wanted === null || wanted.point !== point) return;
  reached += 1;
  if (reached === wanted.nth) process.kill(process.pid, 'SIGKILL');
}
