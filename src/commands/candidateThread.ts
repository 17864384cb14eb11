/**
 * The matching sweep's engine in a worker thread: scoring a registry takes
 * seconds of CPU, and the server's event loop must keep answering requests
 * meanwhile (decision 0013). One thread per process, started on first use and
 * kept (it holds the reference model, learned once); it keeps the process
 * alive only while a sweep is in hand. If the thread dies, the sweep in hand
 * fails (the job is retried) and the next one starts a new thread.
 */
import { Worker } from 'node:worker_threads';
import type { SubjectRecord } from '../repositories/match-records.ts';
import type { Proposals } from './candidateProposals.ts';

interface Pending {
  readonly resolve: (value: Proposals) => void;
  readonly reject: (error: Error) => void;
}
type Reply = { readonly id: number; readonly ok: true; readonly value: Proposals } | { readonly id: number; readonly ok: false; readonly error: string };

const WORKER_FILE = new URL('./candidateThread.worker.mjs', import.meta.url);
let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_FILE);
  w.on('message', (reply: Reply) => {
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if (pending.size === 0) w.unref();
    if (reply.ok) p.resolve(reply.value);
    else p.reject(new Error(`matching thread: ${reply.error}`));
  });
  w.on('error', (error) => {
    if (worker === w) worker = null;
    failAll(error);
  });
  w.on('exit', (code) => {
    if (worker === w) worker = null;
    failAll(new Error(`matching thread stopped (exit code ${code})`));
  });
  w.unref();
  worker = w;
  return w;
}

/** proposeCandidates (candidateProposals.ts), run in the matching thread. */
export function proposeInThread(subjects: readonly SubjectRecord[], relatives: ReadonlySet<string>): Promise<Proposals> {
  const w = thread();
  const id = nextId++;
  return new Promise<Proposals>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, subjects, relatives });
  });
}

/** Stops the thread (a server closing); a later sweep starts a new one. */
export async function stopMatchingThread(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}
