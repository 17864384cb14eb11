import { type Kysely, sql } from 'kysely';

// Frozen in time: whether a case's country's embassy sees it, kept on the case (decision 0033).
// An embassy sees a case of its country when some member is a national of that country (a
// nationality not rejected) and not withheld from the embassy — the condition of
// `caseVisibleTo`. The embassy's case figures counted it live, one probe of the members, the
// people and their nationalities per case of the country: 140 ms for a country of 13,500 cases in
// a registry of 1,000,000 people. `cases.embassy_sees` holds the answer, kept in the same
// transaction by statement triggers on everything it reads (a case's members, their
// nationalities and their withheld flag, the case's country), so the figures read an index.
// Access control (`caseVisibleTo` for one case, the lists) still asks the members themselves.
// A bulk load may defer the triggers for its transaction (set local homeward.case_flags =
// 'deferred') and call case_embassy_rebuild() at its end. No application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cases add column embassy_sees boolean not null default false`.execute(db);

  // The cases are locked first, in id order (as person_figures_refresh locks the people): two
  // transactions changing the members of one case at once would otherwise each compute the flag
  // from a snapshot without the other's change. The update reads after the lock, with a snapshot
  // that holds whatever the transaction it waited for committed.
  await sql`create function case_embassy_refresh(ids uuid[]) returns void language plpgsql as $fn$
    begin
      if ids is null or cardinality(ids) = 0 then return; end if;
      perform 1 from cases where id = any(ids) order by id for no key update;
      update cases c set embassy_sees = v.sees
      from (select k.id, exists (
          select 1 from case_members cm join persons p on p.id = cm.person_id
          where cm.case_id = k.id and not p.withheld_from_embassy
            and exists (select 1 from person_nationalities pn
              where pn.person_id = p.id and pn.country_code = k.country_code and pn.status <> 'rejected')) as sees
        from cases k where k.id = any(ids)) v
      where c.id = v.id and c.embassy_sees is distinct from v.sees;
    end $fn$`.execute(db);

  // Every case at once, set-wise: after the migration and after a bulk load.
  await sql`create function case_embassy_rebuild() returns void language sql as $fn$
    with seen as (
      select distinct cm.case_id from case_members cm
      join cases k on k.id = cm.case_id
      join persons p on p.id = cm.person_id and not p.withheld_from_embassy
      join person_nationalities pn on pn.person_id = cm.person_id and pn.country_code = k.country_code and pn.status <> 'rejected'
    )
    update cases c set embassy_sees = s.case_id is not null
    from cases k left join seen s on s.case_id = k.id
    where k.id = c.id and c.embassy_sees is distinct from (s.case_id is not null)
    $fn$`.execute(db);

  const deferred = `if current_setting('homeward.case_flags', true) = 'deferred' then return null; end if;`;
  // A case's members: the cases whose member rows came, went or changed person or case (an
  // update that keeps both — a verdict, a departure — changes nothing the flag reads).
  await sql.raw(`create function case_embassy_from_members() returns trigger language plpgsql as $fn$
    begin
      ${deferred}
      if tg_op = 'INSERT' then
        perform case_embassy_refresh(array(select distinct case_id from new_rows));
      elsif tg_op = 'UPDATE' then
        perform case_embassy_refresh(array(
          select n.case_id from new_rows n where not exists (select 1 from old_rows o where (o.case_id, o.person_id) = (n.case_id, n.person_id))
          union select o.case_id from old_rows o where not exists (select 1 from new_rows n where (o.case_id, o.person_id) = (n.case_id, n.person_id))));
      else
        perform case_embassy_refresh(array(select distinct case_id from old_rows));
      end if;
      return null;
    end $fn$`).execute(db);
  // The members' nationalities: the cases of the people whose nationality rows changed.
  await sql.raw(`create function case_embassy_from_nationalities() returns trigger language plpgsql as $fn$
    begin
      ${deferred}
      if tg_op = 'INSERT' then
        perform case_embassy_refresh(array(select distinct cm.case_id from case_members cm join new_rows n on n.person_id = cm.person_id));
      elsif tg_op = 'UPDATE' then
        perform case_embassy_refresh(array(select cm.case_id from case_members cm where cm.person_id in (
          select n.person_id from new_rows n where not exists (select 1 from old_rows o
            where (o.person_id, o.country_code, o.status) = (n.person_id, n.country_code, n.status))
          union select o.person_id from old_rows o where not exists (select 1 from new_rows n
            where (o.person_id, o.country_code, o.status) = (n.person_id, n.country_code, n.status)))));
      else
        perform case_embassy_refresh(array(select distinct cm.case_id from case_members cm join old_rows o on o.person_id = cm.person_id));
      end if;
      return null;
    end $fn$`).execute(db);
  // The members' withheld flag.
  await sql.raw(`create function case_embassy_from_persons() returns trigger language plpgsql as $fn$
    begin
      ${deferred}
      perform case_embassy_refresh(array(select cm.case_id from case_members cm where cm.person_id in (
        select n.id from new_rows n join old_rows o on o.id = n.id where n.withheld_from_embassy is distinct from o.withheld_from_embassy)));
      return null;
    end $fn$`).execute(db);
  // The case's country (the refresh's own update of embassy_sees changes no country: no recursion).
  await sql.raw(`create function case_embassy_from_cases() returns trigger language plpgsql as $fn$
    begin
      ${deferred}
      perform case_embassy_refresh(array(select n.id from new_rows n join old_rows o on o.id = n.id where n.country_code is distinct from o.country_code));
      return null;
    end $fn$`).execute(db);

  const referencing = {
    insert: 'referencing new table as new_rows',
    update: 'referencing old table as old_rows new table as new_rows',
    delete: 'referencing old table as old_rows',
  } as const;
  for (const [table, fn, ops] of [
    ['case_members', 'case_embassy_from_members', ['insert', 'update', 'delete']],
    ['person_nationalities', 'case_embassy_from_nationalities', ['insert', 'update', 'delete']],
    ['persons', 'case_embassy_from_persons', ['update']],
    ['cases', 'case_embassy_from_cases', ['update']],
  ] as const) {
    for (const op of ops) {
      await sql.raw(`create trigger ${table}_embassy_${op} after ${op} on ${table} ${referencing[op]} for each statement execute function ${fn}()`).execute(db);
    }
  }

  await sql`select case_embassy_rebuild()`.execute(db);
  // The embassy's case figures: its country's cases it sees, per state, from the index alone.
  await sql`create index cases_embassy_state_idx on cases (country_code, state) where embassy_sees`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, ops] of [
    ['case_members', ['insert', 'update', 'delete']],
    ['person_nationalities', ['insert', 'update', 'delete']],
    ['persons', ['update']],
    ['cases', ['update']],
  ] as const) {
    for (const op of ops) await sql.raw(`drop trigger if exists ${table}_embassy_${op} on ${table}`).execute(db);
  }
  for (const fn of ['case_embassy_from_members', 'case_embassy_from_nationalities', 'case_embassy_from_persons', 'case_embassy_from_cases']) {
    await sql.raw(`drop function if exists ${fn}()`).execute(db);
  }
  await sql`drop function if exists case_embassy_rebuild()`.execute(db);
  await sql`drop function if exists case_embassy_refresh(uuid[])`.execute(db);
  await sql`drop index if exists cases_embassy_state_idx`.execute(db);
  await sql`alter table cases drop column if exists embassy_sees`.execute(db);
}
