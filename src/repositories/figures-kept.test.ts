import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Executor } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import type { Role } from '../domain/roles.ts';
import { generate } from '../generate/generate.ts';
import { today } from '../registry/as-of.ts';
import { openTestBulkSession } from '../testing/bulk-session.ts';
import { TEST_DB_KIND } from '../testing/database.ts';
import { caseFigures, daysToReturn, heldByNationality, occupancyFigures, peopleFigures, pendingClearances, returnsByMonth, returnsByNationality } from './figures.ts';

/**
 * The people figures kept per person by triggers (migration 0013) against the registry itself: a
 * generated population of 1,200 people (families, custody, cases at every stage, returns), the
 * dashboard's people and custody figures read both ways for everyone and for three embassies, then
 * every kind of write that changes a figure, and after each the kept rows must equal a rebuild from
 * scratch and the two readings must agree. On PostgreSQL, two transactions changing one person at
 * once must not leave a row computed from a snapshot that missed the other's change.
 */
const AS_OF = today();

const actor = (role: Role, countryCode: string | null = null): Actor => ({
  userId: '00000000-0000-4000-8000-000000000000',
  username: `figures-${role}`,
  role,
  agencyId: null,
  countryCode,
  via: 'session',
  scopes: ['read', 'write'],
  totpEnrollmentPending: false,
  passwordChangePending: false,
});

const ACTORS = [actor('coordinator'), actor('security'), actor('embassy', 'TUR'), actor('embassy', 'RUS'), actor('embassy', 'TJK')];

describe(`figures kept per person, on the ${TEST_DB_KIND === 'postgres' ? 'PostgreSQL' : 'embedded'} database`, () => {
  let opened: Awaited<ReturnType<typeof openTestBulkSession>>;
  let db: Kysely<DB>;

  before(async () => {
    opened = await openTestBulkSession();
    await generate(opened.session, { people: 1200, seed: 'figures', password: 'Generated-Figures-2026!', asOf: AS_OF, chunk: 500 });
    db = opened.session.db;
  });

  after(async () => {
    await opened?.close();
  });

  /** The kept rows, in a comparable form. */
  async function keptRows(): Promise<string[]> {
    const { rows } = await sql<Record<string, unknown>>`select * from person_figures order by person_id`.execute(db);
    return rows.map((r) => JSON.stringify(r));
  }

  /** The kept rows of the returns (migration 0015). */
  async function returnRows(executor: Executor = db): Promise<string[]> {
    const { rows } = await sql<Record<string, unknown>>`select * from return_figures order by handover_id`.execute(executor);
    const clearances = await sql<Record<string, unknown>>`select * from clearance_figures order by case_id, person_id, agency`.execute(executor);
    return [...rows, ...clearances.rows].map((r) => JSON.stringify(r));
  }

  /** The cases an embassy sees, by the kept flag (migration 0018). */
  async function embassyCases(executor: Executor = db): Promise<string[]> {
    const { rows } = await sql<{ id: string }>`select id from cases where embassy_sees order by id`.execute(executor);
    return rows.map((r) => r.id);
  }

  /** The counts (migration 0015) summed per key, folded or not, without the keys that sum to nothing. */
  async function countSums(executor: Executor = db): Promise<{ people: string[]; custody: string[]; others: string[] }> {
    const people = await sql<Record<string, unknown>>`select scope, nat, birth_month::text, status, held, sum(n)::int as n from person_counts
      group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5`.execute(executor);
    const custody = await sql<Record<string, unknown>>`select scope, facility_id, sum(n)::int as n from custody_counts
      group by 1, 2 having sum(n) <> 0 order by 1, 2`.execute(executor);
    const others: string[] = [];
    for (const [table, keys] of <Array<[string, string]>>[['person_day_counts', 'scope, nat, birth_latest::text, status, held'], ['return_month_counts', 'scope, country_code, month::text'], ['return_day_counts', 'scope, country_code, days'], ['clearance_counts', 'scope, country_code, agency, standing, valid_until::text']]) {
      const { rows } = await sql<Record<string, unknown>>`select ${sql.raw(keys)}, sum(n)::int as n from ${sql.table(table)} group by ${sql.raw(keys)} having sum(n) <> 0 order by ${sql.raw(keys)}`.execute(executor);
      others.push(...rows.map((r) => `${table} ${JSON.stringify(r)}`));
    }
    return { people: people.rows.map((r) => JSON.stringify(r)), custody: custody.rows.map((r) => JSON.stringify(r)), others };
  }

  /** The kept rows and counts equal a rebuild from the registry, and both readings of the figures agree, before and after the counts are folded. */
  async function agree(step: string) {
    const kept = [...(await keptRows()), ...(await returnRows())];
    const counts = await countSums();
    const flagged = await embassyCases();
    const rebuilt = await db.transaction().execute(async (tx) => {
      await sql`select case_embassy_rebuild()`.execute(tx);
      const rebuiltFlags = await embassyCases(tx);
      await sql`select person_figures_rebuild()`.execute(tx);
      const { rows } = await sql<Record<string, unknown>>`select * from person_figures order by person_id`.execute(tx);
      const rebuiltReturns = await returnRows(tx);
      const rebuiltCounts = await countSums(tx);
      // Undone: the comparison must not repair what it checks.
      throw Object.assign(new Error('rollback'), { rows: [...rows.map((r) => JSON.stringify(r)), ...rebuiltReturns], counts: rebuiltCounts, flags: rebuiltFlags });
    }).catch((e: { rows?: string[]; counts?: Awaited<ReturnType<typeof countSums>>; flags?: string[] }) => e);
    assert.ok(rebuilt.rows && rebuilt.counts && rebuilt.flags, `${step}: the rebuild failed: ${String(rebuilt)}`);
    assert.deepEqual(flagged, rebuilt.flags, `${step}: the cases' embassy flags differ from a rebuild`);
    assert.equal(kept.length, rebuilt.rows.length, `${step}: ${kept.length} kept rows, ${rebuilt.rows.length} rebuilt`);
    assert.deepEqual(kept, rebuilt.rows, `${step}: the kept rows differ from a rebuild`);
    assert.deepEqual(counts, rebuilt.counts, `${step}: the kept counts differ from a rebuild`);
    await readingsAgree(step);
    await sql`select figure_counts_compact()`.execute(db);
    assert.deepEqual(await countSums(), counts, `${step}: folding changed the counts`);
    const tables = ['person_counts', 'person_day_counts', 'custody_counts', 'return_month_counts', 'return_day_counts', 'clearance_counts'];
    const appended = await one(sql<{ n: number }>`select ${sql.raw(tables.map((t) => `(select count(*) from ${t} where not compacted)`).join(' + '))} as n`);
    assert.equal(Number(appended.n), 0, `${step}: counts left unfolded`);
    await readingsAgree(`${step} (folded)`);
  }

  async function readingsAgree(step: string) {
    for (const a of ACTORS) {
      const who = `${step}, ${a.role}${a.countryCode ? ` ${a.countryCode}` : ''}`;
      assert.deepEqual(await peopleFigures(db, a, AS_OF, 'kept'), await peopleFigures(db, a, AS_OF, 'live'), `${who}: people figures`);
      assert.deepEqual(await heldByNationality(db, a, AS_OF, 'kept'), await heldByNationality(db, a, AS_OF, 'live'), `${who}: held figures`);
      assert.deepEqual(await occupancyFigures(db, a, AS_OF, 'kept'), await occupancyFigures(db, a, AS_OF, 'live'), `${who}: occupancy`);
      assert.deepEqual(await returnsByMonth(db, a, AS_OF, 'kept'), await returnsByMonth(db, a, AS_OF, 'live'), `${who}: returns by month`);
      assert.deepEqual(await returnsByNationality(db, a, AS_OF, 'kept'), await returnsByNationality(db, a, AS_OF, 'live'), `${who}: returns by nationality`);
      assert.deepEqual(await daysToReturn(db, a, AS_OF, 'kept'), await daysToReturn(db, a, AS_OF, 'live'), `${who}: days to return`);
      assert.deepEqual(await pendingClearances(db, a, AS_OF, 'kept'), await pendingClearances(db, a, AS_OF, 'live'), `${who}: pending clearances`);
      assert.deepEqual(await caseFigures(db, a, AS_OF, 'kept'), await caseFigures(db, a, AS_OF, 'live'), `${who}: case figures`);
    }
  }

  /** Two open transactions on their own connections: a writes, b writes (and may wait for a's locks), a commits, then b. */
  async function writeAtOnce(first: [string, unknown[]], second: [string, unknown[]]) {
    const a = new pg.Client({ connectionString: opened.testDb?.url as string });
    const b = new pg.Client({ connectionString: opened.testDb?.url as string });
    await a.connect();
    await b.connect();
    try {
      await a.query('begin');
      await b.query('begin');
      await a.query(...first);
      const bWrites = b.query(...second);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.query('commit');
      await bWrites;
      await b.query('commit');
    } finally {
      await a.end();
      await b.end();
    }
  }

  const one = async <T,>(query: ReturnType<typeof sql<T>>, executor: Executor = db) => (await query.execute(executor)).rows[0] as T;

  test('after a generated load (triggers deferred, rebuilt once) the kept rows and both readings agree', async () => {
    const { n } = await one(sql<{ n: number }>`select count(*)::int as n from person_figures`);
    const { m } = await one(sql<{ m: number }>`select count(*)::int as m from persons where merged_into is null`);
    assert.equal(n, m);
    assert.ok(n >= 1200);
    const statuses = await peopleFigures(db, ACTORS[0] as Actor, AS_OF);
    for (const status of ['held', 'on_case', 'returned']) assert.ok(statuses.some((r) => r.status === status && r.count > 0), `some people are ${status}`);
    assert.ok((await returnsByMonth(db, ACTORS[0] as Actor, AS_OF)).length > 0, 'some people were returned');
    assert.ok(((await daysToReturn(db, ACTORS[0] as Actor, AS_OF))[0]?.people ?? 0) > 0, 'some returned people were identified');
    assert.ok((await returnsByMonth(db, ACTORS[2] as Actor, AS_OF)).length > 0, 'an embassy sees returns');
    // Cases seen by their country's embassy (the steps below make some unseen).
    const flags = await one(sql<{ seen: number }>`select count(*) filter (where embassy_sees)::int as seen from cases`);
    assert.ok(flags.seen > 0, `cases seen by their embassy: ${flags.seen}`);
    assert.ok((await caseFigures(db, ACTORS[2] as Actor, AS_OF)).length > 0, 'an embassy sees cases');
    await agree('generated');
  });

  test('every write that changes a figure keeps the rows equal to the registry', async () => {
    const held = await one(sql<{ person_id: string; id: string }>`select person_id, id from custody_episodes where released_on is null order by person_id limit 1`);
    await sql`update custody_episodes set released_on = ${AS_OF}::date, release_reason = 'released' where id = ${held.id}`.execute(db);
    await agree('custody released');

    const facility = await one(sql<{ id: string }>`select id from facilities order by id limit 1`);
    await sql`insert into custody_episodes (person_id, facility_id, admitted_on) values (${held.person_id}, ${facility.id}, ${AS_OF}::date)`.execute(db);
    await agree('admitted again');

    const claimed = await one(sql<{ person_id: string; country_code: string }>`select person_id, country_code from person_nationalities where status = 'claimed' order by person_id limit 1`);
    await sql`update person_nationalities set status = 'rejected' where person_id = ${claimed.person_id} and country_code = ${claimed.country_code}`.execute(db);
    await agree('nationality rejected');
    await sql`insert into person_nationalities (person_id, country_code, status) values (${claimed.person_id}, 'TJK', 'claimed') on conflict do nothing`.execute(db);
    await agree('another nationality claimed');
    await sql`delete from person_nationalities where person_id = ${claimed.person_id} and country_code = 'TJK'`.execute(db);
    await agree('nationality deleted');

    const member = await one(sql<{ person_id: string; case_id: string }>`select person_id, case_id from case_members where current order by person_id limit 1`);
    await sql`update case_members set current = false where person_id = ${member.person_id} and case_id = ${member.case_id}`.execute(db);
    await agree('left a case');

    const national = await one(sql<{ id: string }>`select p.id from persons p join person_nationalities pn on pn.person_id = p.id and pn.country_code = 'TUR' where not p.withheld_from_embassy and p.merged_into is null order by p.id limit 1`);
    await sql`update persons set withheld_from_embassy = true where id = ${national.id}`.execute(db);
    await agree('withheld from the embassy');
    await sql`update persons set birth_latest = birth_earliest where id = ${national.id}`.execute(db);
    await sql`update persons set display_name = display_name || ' ' where id = ${national.id}`.execute(db);
    await agree('birth and name changed');

    // As personMerger does it, the merged record holds no open custody (the merge moves its episodes
    // to the survivor, and refuses when both are held).
    const pair = (await sql<{ id: string }>`select id from persons p where merged_into is null
      and not exists (select 1 from custody_episodes ce where ce.person_id = p.id and ce.released_on is null) order by id desc limit 2`.execute(db)).rows;
    const [survivor, merged] = pair as [{ id: string }, { id: string }];
    await sql`update persons set merged_into = ${survivor.id}, merged_at = now() where id = ${merged.id}`.execute(db);
    await agree('merged');

    // The cases' embassy flags: a case moved to another country, a member added and moved to another
    // person (as a merge moves them), a member removed.
    const seenCase = await one(sql<{ id: string; country_code: string }>`select id, country_code from cases where embassy_sees order by id limit 1`);
    const elsewhere = seenCase.country_code === 'RUS' ? 'TUR' : 'RUS';
    await sql`update cases set country_code = ${elsewhere} where id = ${seenCase.id}`.execute(db);
    await agree('a case moved to another country');
    const newcomer = await one(sql<{ id: string }>`select p.id from persons p join person_nationalities pn on pn.person_id = p.id and pn.country_code = ${elsewhere} and pn.status <> 'rejected'
      where not p.withheld_from_embassy and not exists (select 1 from case_members cm where cm.person_id = p.id and cm.case_id = ${seenCase.id}) order by p.id limit 1`);
    await sql`insert into case_members (case_id, person_id, role, current) values (${seenCase.id}, ${newcomer.id}, 'member', false)`.execute(db);
    await agree('a national added to a case');
    await sql`update case_members set person_id = ${merged.id} where case_id = ${seenCase.id} and person_id = ${newcomer.id}`.execute(db);
    await agree('a member moved to another person');
    await sql`delete from case_members where case_id = ${seenCase.id} and person_id = ${merged.id}`.execute(db);
    await agree('a member removed');
    await sql`update cases set country_code = ${seenCase.country_code} where id = ${seenCase.id}`.execute(db);
    await agree('the case moved back');

    const flight = await one(sql<{ id: string }>`select id from movements where kind = 'repatriation' order by id limit 1`);
    const notReturned = await one(sql<{ id: string }>`select p.id from persons p where p.merged_into is null and not exists (select 1 from handovers h where h.person_id = p.id) order by p.id limit 1`);
    await sql`insert into handovers (movement_id, person_id, received_by, received_at) values (${flight.id}, ${notReturned.id}, 'Receiving officer', now())`.execute(db);
    await agree('handed over');
    const returned = await one(sql<{ person_id: string; country_code: string }>`select h.person_id, m.country_code from handovers h join movements m on m.id = h.movement_id
      where m.kind = 'repatriation' and h.person_id <> ${notReturned.id} order by h.person_id limit 1`);
    await sql`update person_nationalities set status = 'verified', decided_at = now() - interval '400 days' where person_id = ${returned.person_id} and country_code = ${returned.country_code}`.execute(db);
    await agree('a returned person\'s nationality verified earlier');
    const request = await one(sql<{ id: string }>`insert into verification_requests (country_code, due_on) values (${returned.country_code}, ${AS_OF}::date) returning id`);
    await sql`insert into verification_items (request_id, person_id, answer, answered_at) values (${request.id}, ${returned.person_id}, 'confirmed', now() - interval '900 days')`.execute(db);
    await agree('a mission confirmed a returned person earlier still');
    await sql`update verification_items set answer = 'not_national' where request_id = ${request.id}`.execute(db);
    await agree('the confirmation corrected');
    await sql`update persons set withheld_from_embassy = true where id = ${returned.person_id}`.execute(db);
    await agree('a returned person withheld');

    // Clearances: a decision for a member of a case in clearance, a denial after it, one that runs out, a member leaving, the case moving on.
    const inClearance = await one(sql<{ case_id: string; person_id: string }>`select cm.case_id, cm.person_id from case_members cm join cases c on c.id = cm.case_id
      where c.state = 'clearance' and cm.current order by cm.case_id, cm.person_id limit 1`);
    await sql`insert into clearances (case_id, person_id, agency, decision, decided_on) values (${inClearance.case_id}, ${inClearance.person_id}, 'security', 'approve', ${AS_OF}::date - 10)`.execute(db);
    await agree('a clearance approved');
    await sql`insert into clearances (case_id, person_id, agency, decision, decided_on, valid_until) values (${inClearance.case_id}, ${inClearance.person_id}, 'judiciary', 'approve', ${AS_OF}::date - 30, ${AS_OF}::date - 1)`.execute(db);
    await agree('a clearance that ran out');
    await sql`insert into clearances (case_id, person_id, agency, decision, decided_on) values (${inClearance.case_id}, ${inClearance.person_id}, 'security', 'deny', ${AS_OF}::date)`.execute(db);
    await agree('a clearance denied after its approval');
    // A verdict refreshed (the eligibility job rewrites every open case's members) changes no figure: it writes none
    // (no kept row deleted, none written by the transaction).
    await db.transaction().execute(async (tx) => {
      const kept = ['person_counts', 'person_day_counts', 'custody_counts', 'return_month_counts', 'return_day_counts', 'clearance_counts', 'return_figures', 'clearance_figures', 'person_figures'];
      const rows = async () => {
        const out: Record<string, string> = {};
        for (const t of kept) {
          const r = await one(sql<{ n: string; mine: string }>`select count(*)::text as n, count(*) filter (where xmin = pg_current_xact_id()::xid)::text as mine from ${sql.table(t)}`, tx);
          out[t] = `${r.n} rows, ${r.mine} written now`;
        }
        return out;
      };
      await sql`select pg_current_xact_id()`.execute(tx);
      const before = await rows();
      const updated = await sql`update case_members set eligible = eligible, eligibility = eligibility, evaluated_at = now() where current`.execute(tx);
      assert.ok(Number(updated.numAffectedRows) > 0);
      assert.deepEqual(await rows(), before, 'a verdict refresh wrote figures');
      throw new Error('rollback');
    }).catch((e: Error) => assert.equal(e.message, 'rollback'));
    await sql`update case_members set current = false where case_id = ${inClearance.case_id} and person_id = ${inClearance.person_id}`.execute(db);
    await agree('a member left a case in clearance');
    await sql`update cases set state = 'approved' where id = ${inClearance.case_id}`.execute(db);
    await agree('a case left clearance');
    await sql`delete from handovers where movement_id = ${flight.id} and person_id = ${notReturned.id}`.execute(db);
    await agree('handover deleted');

    // A large batch (as an import's end refreshes its people) is refreshed set-wise (migration 0017):
    // facts changed with the triggers deferred, then every person refreshed at once.
    await db.transaction().execute(async (tx) => {
      await sql`select set_config('homeward.figures', 'deferred', true)`.execute(tx);
      await sql`update person_nationalities set status = 'verified', decided_at = now() where status = 'claimed' and person_id in (select id from persons order by id limit 300)`.execute(tx);
      await sql`update custody_episodes set released_on = ${AS_OF}::date, release_reason = 'released' where released_on is null and person_id in (select id from persons order by id desc limit 200)`.execute(tx);
      await sql`update persons set withheld_from_embassy = true where id in (select id from persons order by display_name limit 100)`.execute(tx);
      await sql`select set_config('homeward.figures', '', true)`.execute(tx);
      const all = await sql<{ n: number }>`select count(*)::int as n from persons`.execute(tx);
      assert.ok((all.rows[0]?.n ?? 0) >= 1000, 'enough people for the set-wise refresh');
      await sql`select person_figures_refresh(array(select id from persons))`.execute(tx);
    });
    await agree('a large batch refreshed set-wise');

    const inserted = await one(sql<{ id: string }>`insert into persons (display_name, sex, birth_precision, birth_earliest, birth_latest)
      values ('Kept Figure New', 'female', 'exact', ${AS_OF}::date - 2000, ${AS_OF}::date - 2000) returning id`);
    await sql`insert into person_nationalities (person_id, country_code, status) values (${inserted.id}, 'RUS', 'claimed')`.execute(db);
    await agree('registered');

    // The days on which people turn 18 and 9, and the days either side: the months read person by person.
    for (const years of [18, 9]) {
      for (const shift of [-1, 0, 1]) {
        const born = await one(sql<{ id: string }>`insert into persons (display_name, sex, birth_precision, birth_earliest, birth_latest)
          values ('Kept Figure Boundary', 'male', 'exact', (${AS_OF}::date - ${sql.raw(`interval '${years} years'`)})::date + ${shift}::int, (${AS_OF}::date - ${sql.raw(`interval '${years} years'`)})::date + ${shift}::int) returning id`);
        await sql`insert into person_nationalities (person_id, country_code, status) values (${born.id}, 'TUR', 'claimed')`.execute(db);
        await sql`insert into custody_episodes (person_id, facility_id, admitted_on) values (${born.id}, ${facility.id}, ${AS_OF}::date)`.execute(db);
      }
    }
    await agree('turning 9 and 18');
  });

  test('two transactions changing one person at once leave the row right (PostgreSQL)', { skip: TEST_DB_KIND !== 'postgres' }, async () => {
    const target = await one(sql<{ id: string }>`select p.id from persons p where p.merged_into is null
      and not exists (select 1 from custody_episodes ce where ce.person_id = p.id and ce.released_on is null)
      and not exists (select 1 from case_members cm where cm.person_id = p.id and cm.current) order by p.id limit 1`);
    const facility = await one(sql<{ id: string }>`select id from facilities order by id limit 1`);
    // b waits for a's lock on the person, then reads what a committed.
    await writeAtOnce(
      ['insert into custody_episodes (person_id, facility_id, admitted_on) values ($1, $2, $3)', [target.id, facility.id, AS_OF]],
      [`insert into person_nationalities (person_id, country_code, status) values ($1, 'FIN', 'verified') on conflict (person_id, country_code) do update set status = 'verified'`, [target.id]],
    );
    const row = await one(sql<{ nat: string; held_since: string | null }>`select nat, held_since::text from person_figures where person_id = ${target.id}`);
    assert.equal(row.nat, 'FIN');
    assert.equal(row.held_since, AS_OF);
    await agree('concurrent writers');
  });

  test('two transactions changing one case\'s members at once leave its embassy flag right (PostgreSQL)', { skip: TEST_DB_KIND !== 'postgres' }, async () => {
    // A case of two nationals its embassy sees. One transaction withholds the first from the embassy
    // (the second still shows the case), the other rejects the second's nationality (the first still
    // shows it): each alone leaves the flag set, both together must clear it.
    const members = [];
    for (const name of ['Kept Flag One', 'Kept Flag Two']) {
      const p = await one(sql<{ id: string }>`insert into persons (display_name, sex, birth_precision, birth_earliest, birth_latest)
        values (${name}, 'female', 'exact', ${AS_OF}::date - 9000, ${AS_OF}::date - 9000) returning id`);
      await sql`insert into person_nationalities (person_id, country_code, status) values (${p.id}, 'TUR', 'claimed')`.execute(db);
      members.push(p.id);
    }
    const [first, second] = members as [string, string];
    const kase = await one(sql<{ id: string }>`insert into cases (reference, country_code, kind, state) values ('KEPT-FLAG-1', 'TUR', 'family', 'identification') returning id`);
    await sql`insert into case_members (case_id, person_id, role, current) values (${kase.id}, ${first}, 'principal', false), (${kase.id}, ${second}, 'member', false)`.execute(db);
    const flag = async () => (await one(sql<{ embassy_sees: boolean }>`select embassy_sees from cases where id = ${kase.id}`)).embassy_sees;
    assert.equal(await flag(), true);
    // b waits for a's lock on the case, then reads what a committed.
    await writeAtOnce(['update persons set withheld_from_embassy = true where id = $1', [first]], [`update person_nationalities set status = 'rejected' where person_id = $1`, [second]]);
    assert.equal(await flag(), false);
    await agree('concurrent case writers');
  });

  test('writers of the same counts do not wait for each other (PostgreSQL)', { skip: TEST_DB_KIND !== 'postgres' }, async () => {
    // Two people of one nationality, birth month and status, admitted to one facility by two open
    // transactions: both append to the same count keys, and neither waits for the other's commit.
    const { rows: pair } = await sql<{ id: string }>`select p.id from persons p where p.merged_into is null and p.birth_latest >= ${AS_OF}::date - 4000 and p.birth_latest < ${AS_OF}::date - 3000
      and not exists (select 1 from custody_episodes ce where ce.person_id = p.id and ce.released_on is null) order by p.id limit 2`.execute(db);
    assert.equal(pair.length, 2);
    const facility = await one(sql<{ id: string }>`select id from facilities order by id limit 1`);
    const clients = pair.map(() => new pg.Client({ connectionString: opened.testDb?.url as string }));
    for (const c of clients) await c.connect();
    try {
      for (const c of clients) await c.query(`begin; set local lock_timeout = '2s'`);
      for (const [i, c] of clients.entries()) {
        await c.query('insert into custody_episodes (person_id, facility_id, admitted_on) values ($1, $2, $3)', [pair[i]?.id, facility.id, AS_OF]);
      }
      for (const c of clients) await c.query('commit');
    } finally {
      for (const c of clients) await c.end();
    }
    await agree('two writers of the same counts');
  });
});
