// The matching thread (candidateThread.ts). Plain JavaScript so that it starts
// under any loader: it registers tsx itself, then loads the TypeScript engine.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { proposeCandidates } = await import('./candidateProposals.ts');

parentPort.on('message', ({ id, subjects, relatives }) => {
  try {
    parentPort.postMessage({ id, ok: true, value: proposeCandidates(subjects, relatives) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
