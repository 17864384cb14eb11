import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { benchScale } from '../../scripts/bench/scale.ts';
import { TEST_DB_KIND } from './database.ts';

/**
 * The scale benchmark's quick check (issue 7): it runs end to end — generating a small
 * population, serving it with a real `homeward serve`, measuring every kind of request and a
 * short 50-client load — and every request answers. It checks that the benchmark works, not its
 * timings (those are `npm run bench -- scale --full`'s, in docs/benchmarks.md).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test(`the scale benchmark runs end to end on ${TEST_DB_KIND}`, { timeout: 300_000 }, async () => {
  const result = await benchScale({ root: ROOT, kind: TEST_DB_KIND, people: TEST_DB_KIND === 'postgres' ? 2000 : 800, samples: 3, loadSeconds: 2, discard: true, settleSeconds: 2 });
  assert.equal(result.rows.length, 11, 'every kind of request measured');
  for (const [what, api, raw] of result.rows) {
    assert.ok(api.p50 > 0, `${what} timed`);
    assert.ok(Number.isFinite(raw.p50), `${what}: the Server-Timing header gave the database's share`);
    assert.ok(raw.p50 <= api.p50 + 1, `${what}: the database's share is within the request's time`);
  }
  assert.ok(result.throughput.requests > 0);
  assert.equal(result.throughput.errors, 0);
  assert.equal(result.throughput.non2xx, 0, 'every request of the load answered 2xx');
  assert.ok(result.startupMs > 0 && result.peakMemoryMb > 0);
});
