import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkMatrix } from '../../../testing/matrix.ts';
import { type World, ok, setUp } from './fixtures.ts';

let w: World;
before(async () => {
  w = await setUp();
});
after(() => w.t.close());

describe('the child-protection officers who may witness a consent record', () => {
  test('the role × endpoint matrix: the coordinator and child protection only', async () => {
    await checkMatrix(w.clients, [{ method: 'GET', url: '/api/v1/case-facts/witnesses', allow: { coordinator: 200, child_protection: 200 } }]);
  });

  test('lists active child-protection officers, with their id and display name only', async () => {
    const officer = await w.t.database.db.selectFrom('users').select(['id', 'display_name']).where('display_name', '=', 'Amina Protection').executeTakeFirstOrThrow();
    const other = await w.t.database.db.selectFrom('users').select('id').where('role', '=', 'coordinator').executeTakeFirstOrThrow();
    const list = ok(await w.coordinator.request('GET', '/api/v1/case-facts/witnesses')).data as { id: string; displayName: string }[];
    assert.ok(list.some((u) => u.id === officer.id && u.displayName === officer.display_name));
    assert.ok(!list.some((u) => u.id === other.id), 'no other role');
    for (const u of list) assert.deepEqual(Object.keys(u).sort(), ['displayName', 'id']);
    // A disabled officer is no witness.
    await w.t.database.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', officer.id).execute();
    try {
      const after = ok(await w.coordinator.request('GET', '/api/v1/case-facts/witnesses')).data as { id: string }[];
      assert.ok(!after.some((u) => u.id === officer.id));
    } finally {
      await w.t.database.db.updateTable('users').set({ disabled_at: null }).where('id', '=', officer.id).execute();
    }
  });
});
