import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { addDays } from '../../../domain/birth-date.ts';
import type { Role } from '../../../domain/roles.ts';
import { type Client, type TestApp, createTestApp, signInNew } from '../../../testing/app.ts';

let t: TestApp;
let coordinator: Client;
let judge: Client;
let otherJudge: Client;
const TODAY = new Date().toISOString().slice(0, 10);

const signIn = (role: Role, displayName?: string, agencyName?: string): Promise<Client> => signInNew(t, role, { displayName, agencyName });

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const error = response.json().error as { code: string; message: string; details: { path: string; message: string }[] };
  assert.equal(error.code, code, response.body);
  return error;
}

let seq = 0;
async function person(birthDate: Record<string, unknown>): Promise<string> {
  seq += 1;
  const response = await coordinator.request('POST', '/api/v1/persons', { sex: 'female', birthDate, names: [{ fullName: `Accused ${seq}` }] });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}

const conviction = (actDate: string, sentence?: Record<string, unknown>, sentenceStart?: string) => ({
  charge: { code: 'anti_terrorism_article_4' },
  court: 'Central Criminal Court, Karkh',
  stage: 'final',
  verdict: 'convicted',
  actDate,
  ...(sentence ? { sentence } : {}),
  ...(sentenceStart ? { sentenceStart } : {}),
});
const record = (personId: string, body: unknown, client = judge) => client.request('POST', `/api/v1/persons/${personId}/proceedings`, body);
async function recorded(personId: string, body: unknown): Promise<string> {
  const response = await record(personId, body);
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}
type Proceeding = { id: string; verdict: string; stage: string; sentence: unknown; sentenceText: string | null; releaseDate: string | null; version: number };
async function proceedingsOf(personId: string): Promise<Proceeding[]> {
  const response = await judge.request('GET', `/api/v1/persons/${personId}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().proceedings;
}
async function stored(personId: string) {
  return t.database.db.selectFrom('proceedings').select(['id', 'verdict', 'release_date']).where('person_id', '=', personId).execute();
}

before(async () => {
  t = await createTestApp();
  coordinator = await signIn('coordinator');
  judge = await signIn('judiciary', 'Judge Karim Obaidi');
  otherJudge = await signIn('judiciary', 'Judge Salma Jaber');
});
after(() => t.close());

describe('the law’s limits', () => {
  test('no conviction of someone who could have been under 9 at the act (422 conviction_under_age_9)', async () => {
    // Born some day in 2010: on 2019-06-01 they were 8 or 9 — possibly 8, so no conviction.
    const id = await person({ precision: 'year', year: 2010 });
    const error = assertError(await record(id, conviction('2019-06-01', { kind: 'term', years: 2 }, '2020-01-01')), 422, 'conviction_under_age_9');
    assert.deepEqual(error.details.map((d) => d.path), ['body.verdict']);
    assert.match(error.message, /under 9 on 2019-06-01/);
    // An estimate reaching back far enough does not help: about 2008 is 2007–2009.
    const estimated = await person({ precision: 'estimated', aboutYear: 2008 });
    assertError(await record(estimated, conviction('2017-06-01')), 422, 'conviction_under_age_9');
    assert.deepEqual(await stored(id), []);
    assert.deepEqual(await stored(estimated), []);
    // A pending investigation of the same act is not a conviction; an act when certainly 9 may be.
    await recorded(id, { charge: { code: 'membership' }, stage: 'investigation', verdict: 'pending', actDate: '2019-06-01' });
    await recorded(id, conviction('2020-01-01', { kind: 'term', years: 2 }, '2021-01-01'));
    assert.deepEqual((await stored(id)).map((p) => p.verdict).sort(), ['convicted', 'pending']);
  });

  test('no juvenile term over 15 years (422 juvenile_sentence_over_15_years)', async () => {
    const id = await person({ precision: 'exact', date: '2000-05-05' });
    for (const sentence of [{ kind: 'term', years: 16 }, { kind: 'term', years: 15, days: 1 }, { kind: 'term', months: 181 }]) {
      const error = assertError(await record(id, conviction('2015-01-01', sentence, '2016-01-01')), 422, 'juvenile_sentence_over_15_years');
      assert.deepEqual(error.details.map((d) => d.path), ['body.sentence'], JSON.stringify(sentence));
    }
    assert.deepEqual(await stored(id), []);
    await recorded(id, conviction('2015-01-01', { kind: 'term', years: 15 }, '2016-01-01'));
    // Someone who could have been 17 at the act is a juvenile too; someone certainly 18 is not.
    const maybe17 = await person({ precision: 'year', year: 1997 });
    assertError(await record(maybe17, conviction('2015-06-01', { kind: 'term', years: 20 })), 422, 'juvenile_sentence_over_15_years');
    const adult = await person({ precision: 'exact', date: '1990-01-01' });
    await recorded(adult, conviction('2015-06-01', { kind: 'term', years: 20 }, '2016-01-01'));
  });

  test('no life or death sentence for a juvenile (422 juvenile_life_or_death), unless commuted to a lawful term', async () => {
    const id = await person({ precision: 'exact', date: '2001-09-09' });
    assertError(await record(id, conviction('2016-01-01', { kind: 'life' })), 422, 'juvenile_life_or_death');
    assertError(await record(id, conviction('2016-01-01', { kind: 'death' })), 422, 'juvenile_life_or_death');
    assertError(await record(id, conviction('2016-01-01', { kind: 'death', commutedTo: { kind: 'life' } })), 422, 'juvenile_life_or_death');
    assert.deepEqual(await stored(id), []);
    await recorded(id, conviction('2016-01-01', { kind: 'death', commutedTo: { kind: 'term', years: 15 } }, '2017-01-01'));
    assert.equal((await proceedingsOf(id))[0]?.releaseDate, '2032-01-01');
  });
});

describe('sentences and release dates', () => {
  test('a term stores and shows release date = start + term', async () => {
    const id = await person({ precision: 'exact', date: '1985-02-02' });
    const proceedingId = await recorded(id, conviction('2014-07-01', { kind: 'term', years: 4, months: 6 }, '2019-08-31'));
    const [shown] = await proceedingsOf(id);
    assert.equal(shown?.id, proceedingId);
    assert.equal(shown?.releaseDate, '2024-02-29');
    assert.equal(shown?.sentenceText, '4 years 6 months');
    assert.deepEqual(await stored(id), [{ id: proceedingId, verdict: 'convicted', release_date: '2024-02-29' }]);
  });

  test('a death sentence commuted to life has no release date; commuted on to 20 years it has one', async () => {
    const id = await person({ precision: 'exact', date: '1980-03-03' });
    await recorded(id, conviction('2014-07-01', { kind: 'death', commutedTo: { kind: 'life' } }, '2016-03-01'));
    const [life] = await proceedingsOf(id);
    assert.equal(life?.releaseDate, null);
    assert.equal(life?.sentenceText, 'death, commuted to life imprisonment');
    assert.deepEqual((await stored(id)).map((p) => p.release_date), [null]);

    const other = await person({ precision: 'exact', date: '1981-04-04' });
    await recorded(other, conviction('2014-07-01', { kind: 'death', commutedTo: { kind: 'life', commutedTo: { kind: 'term', years: 20 } } }, '2016-03-01'));
    assert.equal((await proceedingsOf(other))[0]?.releaseDate, '2036-03-01');
    const heavier = assertError(await record(other, conviction('2014-07-01', { kind: 'life', commutedTo: { kind: 'death' } })), 400, 'invalid_input');
    assert.ok(heavier.details.some((d) => d.path.startsWith('body.sentence')), JSON.stringify(heavier.details));
  });

  test('bad input is 400 naming the field: conviction without act date, sentence without conviction, dates in the future or before birth', async () => {
    const id = await person({ precision: 'exact', date: '1990-01-01' });
    const cases: [Record<string, unknown>, string][] = [
      [{ charge: { code: 'illegal_entry' }, stage: 'final', verdict: 'convicted' }, 'body.actDate'],
      [{ charge: { code: 'illegal_entry' }, stage: 'trial', verdict: 'pending', sentence: { kind: 'term', years: 1 } }, 'body.sentence'],
      [{ ...conviction(addDays(TODAY, 1)) }, 'body.actDate'],
      [{ ...conviction('1989-12-31') }, 'body.actDate'],
      [{ charge: { code: 'other' }, stage: 'trial', verdict: 'pending' }, 'body.charge.text'],
      [{ ...conviction('2015-01-01'), judge: 'me' }, 'body.judge'],
    ];
    for (const [body, path] of cases) {
      const error = assertError(await record(id, body), 400, 'invalid_input');
      assert.ok(error.details.some((d) => d.path === path), `${path}: ${JSON.stringify(error.details)}`);
    }
    assert.deepEqual(await stored(id), []);
  });
});

describe('who records proceedings, and revising them', () => {
  test('only the judiciary records proceedings (403 for every other role)', async () => {
    const id = await person({ precision: 'exact', date: '1990-01-01' });
    const proceedingId = await recorded(id, { charge: { code: 'illegal_entry' }, stage: 'trial', verdict: 'pending' });
    for (const [role, agency] of [['coordinator'], ['custody', 'Directorate P'], ['security'], ['embassy'], ['child_protection'], ['admin'], ['auditor']] as const) {
      const client = role === 'coordinator' ? coordinator : await signIn(role, undefined, agency);
      assertError(await record(id, conviction('2015-01-01', { kind: 'term', years: 1 }), client), 403, 'forbidden');
      const body = { charge: { code: 'illegal_entry' }, stage: 'final', verdict: 'acquitted' };
      assertError(await client.request('PUT', `/api/v1/proceedings/${proceedingId}`, body, { 'if-match': '"1"' }), 403, 'forbidden');
    }
    assert.deepEqual((await stored(id)).map((p) => p.verdict), ['pending']);
  });

  test('PUT /proceedings/:id with If-Match revises; a stale version is 412 naming the judge; the limits still bite', async () => {
    const id = await person({ precision: 'exact', date: '1988-08-08' });
    const proceedingId = await recorded(id, { charge: { code: 'anti_terrorism_article_4' }, stage: 'trial', verdict: 'pending', actDate: '2015-03-01' });
    const url = `/api/v1/proceedings/${proceedingId}`;
    const revised = await otherJudge.request('PUT', url, conviction('2015-03-01', { kind: 'term', years: 8 }, '2017-05-10'), { 'if-match': '"1"' });
    assert.equal(revised.statusCode, 200, revised.body);
    assert.deepEqual(revised.json(), { id: proceedingId, personId: id });
    const [shown] = await proceedingsOf(id);
    assert.deepEqual([shown?.verdict, shown?.stage, shown?.releaseDate, shown?.version], ['convicted', 'final', '2025-05-10', 2]);

    const stale = assertError(await judge.request('PUT', url, conviction('2015-03-01', { kind: 'term', years: 3 }, '2017-05-10'), { 'if-match': '"1"' }), 412, 'version_mismatch');
    assert.match(stale.message, /by Judge Salma Jaber\b/);
    assert.match(stale.message, new RegExp(`at ${TODAY}T`));
    const missing = assertError(await judge.request('PUT', url, conviction('2015-03-01', { kind: 'term', years: 3 })), 400, 'invalid_input');
    assert.ok(missing.details.some((d) => d.path.includes('if-match')), JSON.stringify(missing.details));
    assertError(await judge.request('PUT', '/api/v1/proceedings/00000000-0000-4000-8000-000000000000', conviction('2015-03-01'), { 'if-match': '"1"' }), 404, 'not_found');

    // Commuting to a shorter term moves the release date; the stored column follows.
    const commuted = await judge.request('PUT', url, conviction('2015-03-01', { kind: 'term', years: 8, commutedTo: { kind: 'term', years: 5 } }, '2017-05-10'), { 'if-match': '"2"' });
    assert.equal(commuted.statusCode, 200, commuted.body);
    assert.deepEqual((await stored(id)).map((p) => p.release_date), ['2022-05-10']);

    // A revision that breaks the law is refused and changes nothing.
    const minor = await person({ precision: 'exact', date: '2003-01-01' });
    const minorProceeding = await recorded(minor, conviction('2017-02-01', { kind: 'term', years: 10 }, '2018-01-01'));
    assertError(await judge.request('PUT', `/api/v1/proceedings/${minorProceeding}`, conviction('2017-02-01', { kind: 'life' }), { 'if-match': '"1"' }), 422, 'juvenile_life_or_death');
    const [unchanged] = await proceedingsOf(minor);
    assert.deepEqual([unchanged?.version, unchanged?.releaseDate], [1, '2028-01-01']);
  });
});
