import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The embedded database belongs to one process: PGlite has no lock of its own
 * and two processes on one data directory silently lose writes. Whoever opens
 * it takes this lock file; a stale lock (its process is gone) is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the embedded database in ${path.dirname(lockPath)} is in use by process ${holder.pid} ` +
        `(${holder.command}, since ${holder.since}); stop it first, or use DATABASE_URL for a PostgreSQL server`,
    );
  }
}

interface LockHolder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface DataDirLock {
  release(): void;
}

export function lockPathFor(dataDir: string): string {
  return path.join(dataDir, 'homeward.lock');
}

export function acquireDataDirLock(dataDir: string, command: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = lockPathFor(dataDir);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            const current = readHolder(lockPath);
            if (current?.pid === me.pid) fs.unlinkSync(lockPath);
          } catch {
            // already gone
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      if (holder && holder.host === me.host && isAlive(holder.pid) && holder.pid !== process.pid) {
        throw new DataDirLockedError(lockPath, holder);
      }
      if (holder && holder.host !== me.host) throw new DataDirLockedError(lockPath, holder);
      // Stale: its process has ended. Re-read just before removing, so that a lock another
      // process took over in the meantime is not removed by mistake.
      const again = readHolder(lockPath);
      if (again && holder && (again.pid !== holder.pid || again.since !== holder.since)) continue;
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not take the lock ${lockPath}`);
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
