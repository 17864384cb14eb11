import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { FieldCryptoError } from '../security/field-crypto.ts';
import { fieldKeyring } from '../security/field-keys.ts';
import { type World, childAtAssessment, daysAgo, determinationBody, ok, panels, setUp } from '../routes/api/case-facts/fixtures.ts';
import { openValue, prepareFieldKeys } from './sealed-fields.ts';

// Security notes and best-interests content are sealed at rest (decision 0024): what the database
// holds is an envelope bound to its row; the API shows the text to those who may see it.
let w: World;
before(async () => {
  w = await setUp();
});
after(() => w.t.close());

const NOTES = 'Named by two witnesses from the eastern camp';
const SUMMARY = 'Attached to the grandmother; wishes to go to school.';

async function person(id: string) {
  return ok(await w.security.request('GET', `/api/v1/persons/${id}`));
}

describe('sealed fields', () => {
  test('written through the API: sealed in the database, in the audit trail too; read back as text', async () => {
    const f = await childAtAssessment(w);
    const version = (await person(f.childId)).version;
    ok(await w.security.request('PATCH', `/api/v1/persons/${f.childId}`, { securityNotes: NOTES }, { 'if-match': `"${version}"` }));
    ok(await w.protection.request('POST', `/api/v1/persons/${f.childId}/best-interests-assessments`, { kind: 'comprehensive', assessedOn: daysAgo(30), summary: SUMMARY, recommendation: 'return' }), 201);
    ok(await w.protection.request('POST', `/api/v1/persons/${f.childId}/best-interests-determinations`, { ...determinationBody(), dissent: 'One member would wait' }), 201);

    const db = w.t.database.db;
    const row = await db.selectFrom('persons').select('security_notes').where('id', '=', f.childId).executeTakeFirstOrThrow();
    assert.match(row.security_notes ?? '', /^hw1:[0-9a-f]{8}:/);
    const assessment = await db.selectFrom('best_interests_assessments').selectAll().where('child_id', '=', f.childId).executeTakeFirstOrThrow();
    const determination = await db.selectFrom('best_interests_determinations').selectAll().where('child_id', '=', f.childId).executeTakeFirstOrThrow();
    for (const value of [assessment.summary, assessment.recommendation, determination.recommendation, determination.reasoning, determination.dissent]) assert.match(value ?? '', /^hw1:/);
    // No plaintext anywhere in the database's text: not in the rows, not in the audit values.
    for (const secret of ['two witnesses', 'wishes to go to school', 'grandmother in Khujand', 'would wait']) {
      const found = await sql<{ n: number }>`select
          (select count(*) from persons where security_notes like ${`%${secret}%`})
        + (select count(*) from best_interests_assessments where summary like ${`%${secret}%`} or recommendation like ${`%${secret}%`})
        + (select count(*) from best_interests_determinations where reasoning like ${`%${secret}%`} or recommendation like ${`%${secret}%`} or dissent like ${`%${secret}%`})
        + (select count(*) from audit_values where data::text like ${`%${secret}%`}) as n`.execute(db);
      assert.equal(Number(found.rows[0]?.n), 0, `${secret} stored in plain text`);
    }
    const keys = await sql<{ key_id: string }>`select key_id from sealing_keys`.execute(db);
    assert.deepEqual(keys.rows.map((r) => r.key_id), [fieldKeyring().current.id]);

    // The API is unchanged: the text, for those who may see it.
    assert.equal((await person(f.childId)).securityNotes, NOTES);
    const shown = (await panels(w, f.caseId, w.protection)).members[0].bestInterests;
    assert.equal(shown.assessments[0].content.summary, SUMMARY);
    assert.equal(shown.determination.content.dissent, 'One member would wait');
    assert.equal(shown.determination.content.reasoning, determinationBody().reasoning);
  });

  test('a sealed value copied to another row, or another column, does not open', async () => {
    const a = await childAtAssessment(w);
    const b = await childAtAssessment(w);
    const version = (await person(a.childId)).version;
    ok(await w.security.request('PATCH', `/api/v1/persons/${a.childId}`, { securityNotes: NOTES }, { 'if-match': `"${version}"` }));
    const db = w.t.database.db;
    const sealed = (await db.selectFrom('persons').select('security_notes').where('id', '=', a.childId).executeTakeFirstOrThrow()).security_notes as string;
    assert.equal(openValue('persons', 'security_notes', a.childId, sealed), NOTES);
    assert.throws(() => openValue('persons', 'security_notes', b.childId, sealed), FieldCryptoError);
    assert.throws(() => openValue('best_interests_assessments', 'summary', a.childId, sealed), FieldCryptoError);
  });

  test('plaintext from before migration 0011 is sealed when a key is at hand; without the key a start is refused', async () => {
    const f = await childAtAssessment(w);
    const db = w.t.database.db;
    await db.updateTable('persons').set({ security_notes: 'written before 0011' }).where('id', '=', f.childId).execute();
    await sql`insert into sealing_pending (table_name, column_name) values ('persons', 'security_notes') on conflict do nothing`.execute(db);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-keys-'));
    try {
      const keyring = fieldKeyring();
      const env = { encryptionKey: { id: keyring.current.id, key: keyring.current.key }, dataDir };
      const status = await prepareFieldKeys(db, env, { create: false });
      assert.equal(status.problem, null);
      assert.ok(status.sealedNow >= 1);
      const stored = (await db.selectFrom('persons').select('security_notes').where('id', '=', f.childId).executeTakeFirstOrThrow()).security_notes;
      assert.match(stored ?? '', /^hw1:/);
      assert.equal((await person(f.childId)).securityNotes, 'written before 0011');
      assert.equal((await sql<{ n: number }>`select count(*) as n from sealing_pending`.execute(db)).rows[0]?.n, 0);

      // No key, and values sealed here: refused, naming the key; never a new key file beside them.
      const none = await prepareFieldKeys(db, { encryptionKey: null, dataDir }, { create: true });
      assert.match(none.problem ?? '', new RegExp(`sealed with encryption key ${keyring.current.id} and no key is set: set HOMEWARD_ENCRYPTION_KEY`));
      assert.equal(fs.existsSync(path.join(dataDir, 'encryption.key')), false);
      // Another key: refused, naming both.
      const other = await prepareFieldKeys(db, { encryptionKey: { id: 'other', key: Buffer.alloc(32, 7) }, dataDir }, { create: true });
      assert.match(other.problem ?? '', new RegExp(`sealed with encryption key ${keyring.current.id}, but the key configured is other`));
      assert.equal(fieldKeyring().current.id, keyring.current.id, 'the process keeps the key that fits');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
