import { type Kysely, sql } from 'kysely';

// Frozen in time: the people, custody and returns figures as counts, kept from `person_figures` (migration
// 0013) by its own statement triggers, in the writing transaction. The dashboard summed a million
// narrow rows for each figure (0.3 s at 1,000,000 people); it now sums a few thousand counts.
//
// `person_counts`: people by scope — '' for everyone; a country code for the people who claim that
// nationality and are not withheld from its embassy (an embassy's scope) — by the nationality they
// are counted under ('' for none, and '' in an embassy's scope), the month of their latest possible
// birth date (the kind on a day is read from it), their status (0 held, 1 on an open case, 2 other, 3 returned) and whether
// they are held; `person_day_counts` the same by the day of that date, read only for the two months
// in which someone turns 9 or 18 today. `custody_counts`: the people held now, by scope and facility. `return_figures`: one
// narrow row per return home, kept by person with person_figures; from it `return_month_counts`
// (returns by country, month and whether a child that day) and `return_day_counts` (by country and
// days from identification to return: the percentiles are read from this histogram).
//
// Writers only append: each statement that changes `person_figures` inserts its changes as signed
// counts (+1 for the new row, −1 for the old, grouped), so concurrent writers never wait on a
// shared counter row nor deadlock on two of them. A scheduled job (`figures.compact`) folds the
// appended counts into one row per key; a reader sums the rows of its scope, folded or not, and so
// reads exactly what the committed registry holds. Decision 0031.
// No application imports.

/** Everyone's scope, and an embassy's for the people who claim its nationality and are not withheld from it (`r` a row of person_figures). */
const personScopes = `select ''::text as scope union all select c from unnest(r.claims) c where not r.withheld`;
/** Everyone's scope, and the embassy's of the country a person was returned to, if it may see them (`r` a row of return_figures). */
const returnScopes = `select ''::text as scope union all select r.country_code where not r.withheld and r.country_code = any(r.claims)`;

type Source = 'person_figures' | 'return_figures' | 'clearance_figures';
const SOURCES: readonly Source[] = ['person_figures', 'return_figures', 'clearance_figures'];

interface Count {
  readonly table: string;
  readonly source: Source;
  readonly columns: string;
  /** The columns of its index for readers (default: the scope). */
  readonly index?: string;
  /** The keys and signed count of every row of \`rel\` (the source table or a transition table of its rows). */
  readonly keys: (rel: string, sign: number) => string;
}

/** People's keys: scope, the nationality counted under (everyone's scope only), `birth` (a day or a month), status and whether held. */
const personKeys =
  (birth: string) =>
  (rel: string, sign: number): string => `
      select s.scope, case when s.scope = '' then coalesce(r.nat, '') else '' end as nat, ${birth},
        (case when r.returned_on is not null then 3 when r.on_case then 1 when r.held_since is not null then 0 else 2 end)::smallint as status,
        r.held_since is not null as held, ${sign} as n
      from ${rel} r cross join lateral (${personScopes}) s`;

const COUNTS: readonly Count[] = [
  {
    table: 'person_counts',
    source: 'person_figures',
    columns: 'scope, nat, birth_month, status, held',
    keys: personKeys(`date_trunc('month', r.birth_latest)::date as birth_month`),
  },
  {
    // The same people by the day of their latest possible birth date: read only for the two months in
    // which people turn 9 and 18 today (a range of the index on scope and day).
    table: 'person_day_counts',
    source: 'person_figures',
    columns: 'scope, nat, birth_latest, status, held',
    index: 'scope, birth_latest',
    keys: personKeys('r.birth_latest'),
  },
  {
    table: 'custody_counts',
    source: 'person_figures',
    columns: 'scope, facility_id',
    keys: (rel, sign) => `select s.scope, r.held_in as facility_id, ${sign} as n from ${rel} r cross join lateral (${personScopes}) s where r.held_in is not null`,
  },
  {
    table: 'return_month_counts',
    source: 'return_figures',
    columns: 'scope, country_code, month, child',
    keys: (rel, sign) => `select s.scope, r.country_code, date_trunc('month', r.returned_on)::date as month, r.child, ${sign} as n from ${rel} r cross join lateral (${returnScopes}) s`,
  },
  {
    table: 'return_day_counts',
    source: 'return_figures',
    columns: 'scope, country_code, days',
    keys: (rel, sign) => `select s.scope, r.country_code, r.returned_on - r.identified_on as days, ${sign} as n
      from ${rel} r cross join lateral (${returnScopes}) s where r.identified_on <= r.returned_on`,
  },
  {
    // Standing: 0 no decision, 1 denied, 2 approved (until valid_until, 'infinity' if for good).
    table: 'clearance_counts',
    source: 'clearance_figures',
    columns: 'scope, country_code, agency, standing, valid_until',
    keys: (rel, sign) => `select ''::text as scope, r.country_code, r.agency,
        (case when r.decision is null then 0 when r.decision = 'deny' then 1 else 2 end)::smallint as standing,
        (case when r.decision is null or r.decision = 'deny' then 'infinity'::date else coalesce(r.valid_until, 'infinity'::date) end) as valid_until,
        ${sign} as n
      from ${rel} r`,
  },
];

/** The clearance_figures rows of the cases \`where\` selects (alias c), in the table's column order: each current member
 * of a case in clearance, for each clearing agency, with the agency's latest decision (as effectiveClearance reads it). */
const clearanceRows = (where: string) => `
  select c.id as case_id, cm.person_id, a.agency, c.country_code::text as country_code, l.decision, l.valid_until
  from cases c join case_members cm on cm.case_id = c.id and cm.current
  cross join (values ('coordinator'), ('judiciary'), ('custody'), ('security')) as a (agency)
  left join lateral (
    select cl.decision, cl.valid_until from clearances cl where cl.case_id = c.id and cl.person_id = cm.person_id and cl.agency = a.agency
    order by cl.decided_on desc, cl.created_at desc limit 1
  ) l on true
  where c.state = 'clearance' and ${where}`;

/** Appends the grouped signed counts of `rows` to a count table. */
const append = (count: Count, rows: string) => `
  insert into ${count.table} (${count.columns}, n)
    select ${count.columns}, sum(n)::int from (${rows}) k group by ${count.columns} having sum(n) <> 0;`;

/** The appends of one statement on `source`: its new rows counted +1, its old rows −1. */
const appendAll = (source: Source, relations: ReadonlyArray<readonly [string, number]>) =>
  COUNTS.filter((c) => c.source === source)
    .map((c) => append(c, relations.map(([rel, sign]) => c.keys(rel, sign)).join(' union all ')))
    .join('\n');

/** Folds the appended counts of a table into one row per key (the keys that have appended rows only). */
const fold = (count: Count) => {
  const cols = count.columns.split(', ');
  return `
  with keys as (select distinct ${count.columns} from ${count.table} where not compacted),
  gone as (
    delete from ${count.table} c using keys k where ${cols.map((c) => `c.${c} = k.${c}`).join(' and ')}
    returning ${cols.map((c) => `c.${c}`).join(', ')}, c.n
  )
  insert into ${count.table} (${count.columns}, n, compacted)
    select ${count.columns}, sum(n)::int, true from gone group by ${count.columns} having sum(n) <> 0;`;
};

/** A statement trigger function appending the counts of `source`'s changed rows. */
const countingTrigger = (source: Source) => `create function ${source}_counts_append() returns trigger language plpgsql as $$
    begin
      if current_setting('homeward.counts', true) = 'rebuilding' then return null; end if;
      if tg_op = 'INSERT' then
        ${appendAll(source, [['new_rows', 1]])}
      elsif tg_op = 'DELETE' then
        ${appendAll(source, [['old_rows', -1]])}
      else
        ${appendAll(source, [['new_rows', 1], ['old_rows', -1]])}
      end if;
      return null;
    end $$`;

/** The day a person was identified for a country: the verified nationality's decision or a mission's confirmation, whichever came first (as daysToReturn reads it). */
const identifiedOn = (person: string, country: string) => `(select min(d) from (
    select (pn.decided_at at time zone 'UTC')::date as d from person_nationalities pn
      where pn.person_id = ${person} and pn.country_code = ${country} and pn.status = 'verified' and pn.decided_at is not null
    union all
    select (vi.answered_at at time zone 'UTC')::date from verification_items vi join verification_requests vr on vr.id = vi.request_id
      where vi.person_id = ${person} and vr.country_code = ${country} and vi.answer = 'confirmed'
  ) x)`;

/** The return_figures rows of the handovers `where` selects (alias h, m, p), in the table's column order. */
const returnRows = (where: string) => `
  select h.id as handover_id, h.person_id, m.country_code::text as country_code, (h.received_at at time zone 'UTC')::date as returned_on,
    p.birth_latest > (((h.received_at at time zone 'UTC')::date - interval '18 years')::date) as child,
    ${identifiedOn('h.person_id', 'm.country_code')} as identified_on,
    p.withheld_from_embassy as withheld,
    coalesce((select array_agg(pn.country_code::text order by pn.country_code) from person_nationalities pn
      where pn.person_id = h.person_id and pn.status <> 'rejected'), '{}') as claims
  from handovers h join movements m on m.id = h.movement_id and m.kind = 'repatriation' join persons p on p.id = h.person_id
  where ${where}`;

type Op = 'insert' | 'update' | 'delete';
/** Statement triggers `<name>_<op>` on `table` calling `fn`, with the transition tables each operation has. */
async function statementTriggers(db: Kysely<any>, table: string, name: string, fn: string, ops: readonly Op[] = ['insert', 'update', 'delete']): Promise<void> {
  const referencing: Record<Op, string> = { insert: 'new table as new_rows', update: 'old table as old_rows new table as new_rows', delete: 'old table as old_rows' };
  for (const op of ops) {
    await sql.raw(`create trigger ${name}_${op} after ${op} on ${table} referencing ${referencing[op]} for each statement execute function ${fn}()`).execute(db);
  }
}

/**
 * `<table>_refresh(ids)`: the rows of the ids given (by `key`), after `lock`, made equal to `rows`
 * (a select in the table's column order) — only the rows that differ are deleted and inserted, so
 * a refresh that changes nothing writes nothing and appends no counts. `<table>_rebuild()`: every row.
 */
async function keptRows(db: Kysely<any>, table: string, key: string, pk: readonly string[], rows: (where: string) => string, idsWhere: string, lock = ''): Promise<void> {
  const samePk = pk.map((c) => `f.${c} = t.${c}`).join(' and ');
  await sql.raw(`create function ${table}_refresh(ids uuid[]) returns void language plpgsql as $$
    begin
      if ids is null or cardinality(ids) = 0 then return; end if;
      ${lock}
      -- Two statements: a row deleted and a row of the same key inserted by one statement collide.
      delete from ${table} t where t.${key} = any(ids)
        and not exists (select 1 from (${rows(idsWhere)}) f where ${samePk} and (f.*) is not distinct from (t.*));
      insert into ${table} select * from (${rows(idsWhere)}) f
        where not exists (select 1 from ${table} t where ${samePk} and (t.*) is not distinct from (f.*));
    end $$`).execute(db);
  await sql.raw(`create function ${table}_rebuild() returns void language plpgsql as $$
    begin
      delete from ${table};
      insert into ${table} ${rows('true')};
    end $$`).execute(db);
}

/** The keys of the rows a statement changed in the given columns: `key` of each row in one transition table and not identically in the other. */
const changed = (key: string, columns: string) => `select ${key} from (select ${columns} from new_rows except select ${columns} from old_rows) a
      union select ${key} from (select ${columns} from old_rows except select ${columns} from new_rows) b`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table person_counts (
    scope text not null, nat text not null, birth_month date not null, status smallint not null, held boolean not null,
    n integer not null, compacted boolean not null default false
  )`.execute(db);
  await sql`create table person_day_counts (
    scope text not null, nat text not null, birth_latest date not null, status smallint not null, held boolean not null,
    n integer not null, compacted boolean not null default false
  )`.execute(db);
  await sql`create table custody_counts (scope text not null, facility_id uuid not null, n integer not null, compacted boolean not null default false)`.execute(db);
  await sql`create table return_month_counts (
    scope text not null, country_code text not null, month date not null, child boolean not null, n integer not null, compacted boolean not null default false
  )`.execute(db);
  await sql`create table clearance_counts (
    scope text not null, country_code text not null, agency text not null, standing smallint not null, valid_until date not null,
    n integer not null, compacted boolean not null default false
  )`.execute(db);
  await sql`create table return_day_counts (
    scope text not null, country_code text not null, days integer not null, n integer not null, compacted boolean not null default false
  )`.execute(db);
  for (const count of COUNTS) {
    await sql.raw(`create index ${count.table}_scope_idx on ${count.table} (${count.index ?? 'scope'})`).execute(db);
    await sql.raw(`create index ${count.table}_appended_idx on ${count.table} (scope) where not compacted`).execute(db);
  }

  // One narrow row per return home (a handover of a repatriation), with what the returns figures
  // read of it: the country, the day, whether the person could be under 18 that day, the day they
  // were identified for that country, and what an embassy's scope tests. Kept by person, with
  // person_figures (the same triggers call both refreshes), and on a mission's confirmation.
  await sql`create table return_figures (
    handover_id uuid primary key references handovers (id) on delete cascade,
    person_id uuid not null references persons (id) on delete cascade,
    country_code text not null,
    returned_on date not null,
    child boolean not null,
    identified_on date,
    withheld boolean not null,
    claims text[] not null
  )`.execute(db);
  await sql`create index return_figures_person_idx on return_figures (person_id)`.execute(db);
  await keptRows(db, 'return_figures', 'person_id', ['handover_id'], returnRows, 'h.person_id = any(ids)');
  // Every trigger of migration 0013 refreshes the people it touched through person_figures_refresh:
  // it now refreshes their returns too (after their row, under the same lock on the people).
  await sql`alter function person_figures_refresh(uuid[]) rename to person_figures_refresh_rows`.execute(db);
  await sql`create function person_figures_refresh(ids uuid[]) returns void language plpgsql as $$
    begin
      perform person_figures_refresh_rows(ids);
      perform return_figures_refresh(ids);
    end $$`.execute(db);
  // What else decides a return's row: a mission's confirmation, a movement's country.
  await sql`create function return_figures_from_verification() returns trigger language plpgsql as $$
    begin
      if current_setting('homeward.figures', true) = 'deferred' then return null; end if;
      if tg_op = 'DELETE' then
        perform return_figures_refresh(array(select distinct person_id from old_rows));
      elsif tg_op = 'INSERT' then
        perform return_figures_refresh(array(select distinct person_id from new_rows where answer is not null));
      else
        perform return_figures_refresh(array(select n.person_id from new_rows n join old_rows o on o.request_id = n.request_id and o.person_id = n.person_id
          where (n.answer, n.answered_at) is distinct from (o.answer, o.answered_at)));
      end if;
      return null;
    end $$`.execute(db);
  await statementTriggers(db, 'verification_items', 'verification_items_returns', 'return_figures_from_verification');
  await sql`create function return_figures_from_movements() returns trigger language plpgsql as $$
    begin
      if current_setting('homeward.figures', true) = 'deferred' then return null; end if;
      perform return_figures_refresh(array(select distinct h.person_id from handovers h join new_rows n on n.id = h.movement_id
        join old_rows o on o.id = n.id where n.country_code is distinct from o.country_code));
      return null;
    end $$`.execute(db);
  await statementTriggers(db, 'movements', 'movements_returns', 'return_figures_from_movements', ['update']);

  // One row per current member of a case in clearance and clearing agency, with the agency's latest
  // decision: the pending clearances are the rows without a current approval (counted, by the day
  // an approval runs out, in clearance_counts). Kept by case, the case locked first (in id order) so
  // two writers of one case cannot each write rows from a snapshot without the other's change.
  await sql`create table clearance_figures (
    case_id uuid not null references cases (id) on delete cascade,
    person_id uuid not null,
    agency text not null,
    country_code text not null,
    decision text,
    valid_until date,
    primary key (case_id, person_id, agency)
  )`.execute(db);
  await keptRows(db, 'clearance_figures', 'case_id', ['case_id', 'person_id', 'agency'], clearanceRows, 'c.id = any(ids)', 'perform 1 from cases where id = any(ids) order by id for no key update;');
  await sql`create function clearance_figures_from_cases() returns trigger language plpgsql as $$
    begin
      if current_setting('homeward.figures', true) = 'deferred' then return null; end if;
      if tg_op = 'INSERT' then
        perform clearance_figures_refresh(array(select id from new_rows where state = 'clearance'));
      else
        perform clearance_figures_refresh(array(select n.id from new_rows n join old_rows o on o.id = n.id
          where (n.state, n.country_code) is distinct from (o.state, o.country_code)));
      end if;
      return null;
    end $$`.execute(db);
  // A case's members and its clearances; of an update, only the rows whose columns the figures read
  // changed (the eligibility refresh rewrites every open case's members' verdicts, not who they are).
  for (const [table, columns] of [
    ['case_members', 'case_id, person_id, current'],
    ['clearances', 'case_id, person_id, agency, decision, valid_until, decided_on, created_at'],
  ] as const) {
    await sql.raw(`create function clearance_figures_from_${table}() returns trigger language plpgsql as $$
      begin
        if current_setting('homeward.figures', true) = 'deferred' then return null; end if;
        if tg_op = 'INSERT' then
          perform clearance_figures_refresh(array(select distinct case_id from new_rows));
        elsif tg_op = 'DELETE' then
          perform clearance_figures_refresh(array(select distinct case_id from old_rows));
        else
          perform clearance_figures_refresh(array(${changed('case_id', columns)}));
        end if;
        return null;
      end $$`).execute(db);
    await statementTriggers(db, table, `${table}_clearance`, `clearance_figures_from_${table}`);
  }
  await statementTriggers(db, 'cases', 'cases_clearance', 'clearance_figures_from_cases', ['insert', 'update']);
  // The same for the people's own rows (migration 0013's trigger refreshed every member a statement
  // touched: the eligibility refresh of 121,000 open cases refreshed 400,000 people's figures and returns).
  await sql`drop trigger case_members_figures_update on case_members`.execute(db);
  await sql.raw(`create function person_figures_from_case_members() returns trigger language plpgsql as $$
    begin
      if current_setting('homeward.figures', true) = 'deferred' then return null; end if;
      perform person_figures_refresh(array(${changed('person_id', 'case_id, person_id, current')}));
      return null;
    end $$`).execute(db);
  await statementTriggers(db, 'case_members', 'case_members_figures', 'person_figures_from_case_members', ['update']);

  // Writers append counts: statement triggers on the three kept tables.
  for (const source of SOURCES) {
    await sql.raw(countingTrigger(source)).execute(db);
    await statementTriggers(db, source, `${source}_counts`, `${source}_counts_append`);
  }

  await sql.raw(`create function figure_counts_rebuild() returns void language plpgsql as $$
    begin
      ${COUNTS.map((c) => `delete from ${c.table};
      insert into ${c.table} (${c.columns}, n, compacted)
        select ${c.columns}, sum(n)::int, true from (${c.keys(c.source, 1)}) k group by ${c.columns};`).join('\n')}
    end $$`).execute(db);
  await sql.raw(`create function figure_counts_compact() returns void language plpgsql as $$
    begin
      ${COUNTS.map(fold).join('\n')}
    end $$`).execute(db);

  // A rebuild of every person's row (after a bulk load) rebuilds the returns and the counts once,
  // set-wise, instead of appending a million −1 and a million +1.
  await sql`alter function person_figures_rebuild() rename to person_figures_rebuild_rows`.execute(db);
  await sql`create function person_figures_rebuild() returns void language plpgsql as $$
    begin
      perform set_config('homeward.counts', 'rebuilding', true);
      perform person_figures_rebuild_rows();
      perform return_figures_rebuild();
      perform clearance_figures_rebuild();
      perform set_config('homeward.counts', '', true);
      perform figure_counts_rebuild();
    end $$`.execute(db);

  await sql`select set_config('homeward.counts', 'rebuilding', true)`.execute(db);
  await sql`select return_figures_rebuild()`.execute(db);
  await sql`select clearance_figures_rebuild()`.execute(db);
  await sql`select set_config('homeward.counts', '', true)`.execute(db);
  await sql`select figure_counts_rebuild()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists person_figures_rebuild()`.execute(db);
  await sql`alter function person_figures_rebuild_rows() rename to person_figures_rebuild`.execute(db);
  for (const table of ['case_members', 'clearances']) {
    for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${table}_clearance_${op} on ${table}`).execute(db);
  }
  for (const op of ['insert', 'update']) await sql.raw(`drop trigger if exists cases_clearance_${op} on cases`).execute(db);
  await sql`drop trigger if exists case_members_figures_update on case_members`.execute(db);
  await sql`drop function if exists person_figures_from_case_members()`.execute(db);
  await sql`create trigger case_members_figures_update after update on case_members referencing old table as old_rows new table as new_rows
    for each statement execute function person_figures_from_facts()`.execute(db);
  for (const fn of ['clearance_figures_from_case_members', 'clearance_figures_from_clearances', 'clearance_figures_from_cases', 'clearance_figures_rebuild']) {
    await sql.raw(`drop function if exists ${fn}()`).execute(db);
  }
  await sql`drop function if exists clearance_figures_refresh(uuid[])`.execute(db);
  await sql`drop table if exists clearance_figures`.execute(db);
  for (const source of SOURCES) {
    for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${source}_counts_${op} on ${source}`).execute(db);
    await sql.raw(`drop function if exists ${source}_counts_append()`).execute(db);
  }
  await sql`drop trigger if exists movements_returns_update on movements`.execute(db);
  for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists verification_items_returns_${op} on verification_items`).execute(db);
  await sql`drop function if exists person_figures_refresh(uuid[])`.execute(db);
  await sql`alter function person_figures_refresh_rows(uuid[]) rename to person_figures_refresh`.execute(db);
  for (const fn of ['return_figures_from_movements', 'return_figures_from_verification', 'return_figures_rebuild', 'figure_counts_compact', 'figure_counts_rebuild']) {
    await sql.raw(`drop function if exists ${fn}()`).execute(db);
  }
  await sql`drop function if exists return_figures_refresh(uuid[])`.execute(db);
  await sql`drop table if exists return_figures`.execute(db);
  for (const count of COUNTS) await sql.raw(`drop table if exists ${count.table}`).execute(db);
}
