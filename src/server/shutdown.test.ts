import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { sql } from 'kysely';
import pino from 'pino';
import { loadConfig } from '../config/env.ts';
import { createTestDatabase } from '../testing/database.ts';
import { buildApp, inFlightWork } from './app.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a shutdown waits for the handler of a client that went away before the database may close', async () => {
  const database = await createTestDatabase();
  const app = await buildApp({ database, config: loadConfig({ HOMEWARD_DATA_DIR: '/nonexistent-test-dir' }), log: pino({ level: 'silent' }) });
  let started: () => void = () => {};
  const begun = new Promise<void>((resolve) => {
    started = resolve;
  });
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let answered: number | null = null;
  // A handler still working when its client leaves (as a search or an export of a client that gave up).
  app.get('/api/v1/test-only/slow', { config: { access: { kind: 'public' } } }, async () => {
    started();
    await held;
    const { rows } = await sql<{ n: number }>`select 1 as n`.execute(database.db);
    answered = rows[0]?.n ?? null;
    return { ok: true };
  });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const client = new AbortController();
    const request = fetch(`http://127.0.0.1:${port}/api/v1/test-only/slow`, { signal: client.signal }).catch((error: unknown) => error);
    await begun;
    client.abort();
    await request;
    // The connection is gone, so the server's close does not wait for the handler…
    const closed = await Promise.race([app.close().then(() => true), sleep(5000).then(() => false)]);
    assert.ok(closed, 'the server closed');
    // …but the shutdown does, before it closes the database.
    let settled = false;
    const settling = app.handlersSettled().then(() => {
      settled = true;
    });
    await sleep(150);
    assert.equal(settled, false, 'a handler is still running');
    release();
    await settling;
    assert.equal(answered, 1, 'the handler reached the database after the server closed, while it was still open');
    assert.equal(await Promise.race([app.handlersSettled().then(() => true), sleep(100).then(() => false)]), true, 'with nothing running, at once');
  } finally {
    release();
    await database.destroy();
  }
});

test('the count of work in flight does not fall to zero between one step of a request and the next', async () => {
  const work = inFlightWork();
  let next: Promise<void> = Promise.resolve();
  let resume: () => void = () => {};
  let endHook: () => void = () => {};
  // One step (the authentication hook) is in flight when the shutdown starts waiting…
  const hook = work.track(new Promise<void>((resolve) => (endHook = resolve)));
  let settled = false;
  const settling = work.settled().then(() => {
    settled = true;
  });
  // …it ends, and the request's next step (its handler) begins a few microtasks later.
  const chain = hook.then(() =>
    Promise.resolve().then(() => {
      next = work.track(new Promise<void>((resolve) => (resume = resolve)));
    }),
  );
  endHook();
  await chain;
  await sleep(20);
  assert.equal(settled, false, 'the handler that followed the hook is counted: the shutdown still waits');
  resume();
  await next;
  await settling;
  assert.equal(settled, true);
});
