import fs from 'node:fs';
import path from 'node:path';

/**
 * Replacing the embedded database's directory by a restored one, so that a process killed at any
 * instant leaves either the old database or the new one (decision 0024):
 *
 * 1. the restored database is built complete in `pglite.incoming` and flushed to disk;
 * 2. the marker `restore.swap` is written (flushed): from here on the restore is decided;
 * 3. `pglite` → `pglite.outgoing`, `pglite.incoming` → `pglite`; the marker is removed; the old one deleted.
 *
 * Whoever opens the data directory next (under its lock) calls finishInterruptedRestore: with the
 * marker it completes step 3; without it, it throws away a half-built `pglite.incoming`.
 */
export const LIVE = 'pglite';
export const INCOMING = 'pglite.incoming';
export const OUTGOING = 'pglite.outgoing';
export const MARKER = 'restore.swap';

/** fsync of a file or a directory (a directory: so that the names in it are on disk). */
export function fsyncPath(target: string): void {
  const fd = fs.openSync(target, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Flushes every file and directory under `dir` to disk. */
export function fsyncTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) fsyncTree(full);
    else if (entry.isFile()) fsyncPath(full);
  }
  fsyncPath(dir);
}

/** Writes the marker: the incoming directory is complete and replaces the live one. */
export function markSwap(dataDir: string, about: Record<string, unknown>): void {
  const file = path.join(dataDir, MARKER);
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(about)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fsyncPath(dataDir);
}

/** Step 3: puts the incoming directory in place of the live one (idempotent, resumable). */
export function completeSwap(dataDir: string): void {
  const live = path.join(dataDir, LIVE);
  const incoming = path.join(dataDir, INCOMING);
  const outgoing = path.join(dataDir, OUTGOING);
  if (fs.existsSync(incoming)) {
    if (fs.existsSync(live)) {
      if (fs.existsSync(outgoing)) fs.rmSync(outgoing, { recursive: true, force: true });
      fs.renameSync(live, outgoing);
    }
    fs.renameSync(incoming, live);
    fsyncPath(dataDir);
  }
  fs.rmSync(path.join(dataDir, MARKER), { force: true });
  fsyncPath(dataDir);
  fs.rmSync(outgoing, { recursive: true, force: true });
}

/**
 * Called with the data directory's lock held, before the embedded database is opened: finishes a
 * restore that was decided (marker present), or undoes one that was not. Returns what it did.
 */
export function finishInterruptedRestore(dataDir: string): 'none' | 'completed' | 'discarded' {
  if (!fs.existsSync(dataDir)) return 'none';
  if (fs.existsSync(path.join(dataDir, MARKER))) {
    completeSwap(dataDir);
    return 'completed';
  }
  const incoming = path.join(dataDir, INCOMING);
  const outgoing = path.join(dataDir, OUTGOING);
  let did: 'none' | 'discarded' = 'none';
  if (fs.existsSync(incoming)) {
    fs.rmSync(incoming, { recursive: true, force: true });
    did = 'discarded';
  }
  // Without the marker the live directory was never moved; a leftover old one is only garbage.
  if (fs.existsSync(outgoing) && fs.existsSync(path.join(dataDir, LIVE))) fs.rmSync(outgoing, { recursive: true, force: true });
  return did;
}
