import { type Kysely, sql } from 'kysely';

// Frozen in time: one narrow row per person counted in the figures (merged duplicates have none),
// holding exactly the facts the dashboard's people and custody figures read — the nationality a
// person is counted under, the nationalities they claim, whether they are withheld from embassies,
// their latest possible birth date, the day they were handed over home, whether they are on an open
// case, since when and where they are held — kept equal to the registry by statement triggers in the same
// transaction as every write that changes them. The figures then read one narrow table instead of
// joining four wide ones over the whole registry (12 s at 1,000,000 people). Nothing is cached: the
// row changes in the writing transaction, so it can be neither stale nor seen by anyone who could
// not see the registry's own rows (it is read under the same scoping). Decision 0026.
// No application imports.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table person_figures (
    person_id uuid primary key references persons (id) on delete cascade,
    nat text,
    claims text[] not null default '{}',
    withheld boolean not null,
    birth_latest date not null,
    returned_on date,
    on_case boolean not null,
    held_since date,
    held_in uuid
  )`.execute(db);
  await sql`create index person_figures_claims_idx on person_figures using gin (claims)`.execute(db);

  // The facts of the given people, read from the registry's own tables (the same readings as the
  // live queries of src/repositories/figures.ts). The people are locked first, in id order, so two
  // writers of one person cannot each write a row from a snapshot without the other's change (READ
  // COMMITTED: the statements after the lock see what the other committed).
  await sql`create function person_figures_refresh(ids uuid[]) returns void language plpgsql as $$
    begin
      if ids is null or cardinality(ids) = 0 then return; end if;
      perform 1 from persons where id = any(ids) order by id for no key update;
      delete from person_figures pf where pf.person_id = any(ids)
        and not exists (select 1 from persons p where p.id = pf.person_id and p.merged_into is null);
      insert into person_figures as pf (person_id, nat, claims, withheld, birth_latest, returned_on, on_case, held_since, held_in)
      select p.id,
        (select pn.country_code::text from person_nationalities pn where pn.person_id = p.id and pn.status <> 'rejected'
          order by (pn.status = 'verified') desc, pn.country_code limit 1),
        coalesce((select array_agg(pn.country_code::text order by pn.country_code) from person_nationalities pn
          where pn.person_id = p.id and pn.status <> 'rejected'), '{}'),
        p.withheld_from_embassy, p.birth_latest,
        (select min((h.received_at at time zone 'UTC')::date) from handovers h join movements m on m.id = h.movement_id
          where h.person_id = p.id and m.kind = 'repatriation'),
        exists (select 1 from case_members cm where cm.person_id = p.id and cm.current),
        ce.admitted_on, ce.facility_id
      from persons p
      left join custody_episodes ce on ce.person_id = p.id and ce.released_on is null
      where p.id = any(ids) and p.merged_into is null
      on conflict (person_id) do update set nat = excluded.nat, claims = excluded.claims, withheld = excluded.withheld,
        birth_latest = excluded.birth_latest, returned_on = excluded.returned_on, on_case = excluded.on_case, held_since = excluded.held_since,
        held_in = excluded.held_in
      where (pf.nat, pf.claims, pf.withheld, pf.birth_latest, pf.returned_on, pf.on_case, pf.held_since, pf.held_in)
        is distinct from (excluded.nat, excluded.claims, excluded.withheld, excluded.birth_latest, excluded.returned_on, excluded.on_case, excluded.held_since, excluded.held_in);
    end $$`.execute(db);

  // Every row again, set-wise (hash joins, no probe per person): after a bulk load that deferred the
  // triggers (the generator), and by this migration for the rows already there.
  await sql`create function person_figures_rebuild() returns void language plpgsql as $$
    begin
      delete from person_figures;
      insert into person_figures (person_id, nat, claims, withheld, birth_latest, returned_on, on_case, held_since, held_in)
      select p.id, cn.nat, coalesce(cl.claims, '{}'), p.withheld_from_embassy, p.birth_latest, r.returned_on, oc.person_id is not null, held.admitted_on, held.facility_id
      from persons p
      left join (select distinct on (pn.person_id) pn.person_id, pn.country_code::text as nat from person_nationalities pn
        where pn.status <> 'rejected' order by pn.person_id, (pn.status = 'verified') desc, pn.country_code) cn on cn.person_id = p.id
      left join (select pn.person_id, array_agg(pn.country_code::text order by pn.country_code) as claims from person_nationalities pn
        where pn.status <> 'rejected' group by pn.person_id) cl on cl.person_id = p.id
      left join (select h.person_id, min((h.received_at at time zone 'UTC')::date) as returned_on from handovers h join movements m on m.id = h.movement_id
        where m.kind = 'repatriation' group by h.person_id) r on r.person_id = p.id
      left join (select distinct cm.person_id from case_members cm where cm.current) oc on oc.person_id = p.id
      left join custody_episodes held on held.person_id = p.id and held.released_on is null
      where p.merged_into is null;
    end $$`.execute(db);

  // One trigger function per table, fired once per statement with the rows it changed (transition
  // tables: a bulk insert of 10,000 people refreshes them in one set-wise statement, not 10,000).
  // A bulk load may defer them for its transaction (set local homeward.figures = 'deferred') and
  // rebuild at the end.
  const deferred = `if current_setting('homeward.figures', true) = 'deferred' then return null; end if;`;
  await sql.raw(`create function person_figures_from_persons() returns trigger language plpgsql as $$
    begin
      ${deferred}
      if tg_op = 'INSERT' then
        perform person_figures_refresh(array(select id from new_rows));
      elsif tg_op = 'UPDATE' then
        perform person_figures_refresh(array(select n.id from new_rows n join old_rows o on o.id = n.id
          where (n.merged_into, n.birth_latest, n.withheld_from_embassy) is distinct from (o.merged_into, o.birth_latest, o.withheld_from_embassy)));
      end if;
      return null;
    end $$`).execute(db);
  await sql.raw(`create function person_figures_from_facts() returns trigger language plpgsql as $$
    begin
      ${deferred}
      if tg_op = 'INSERT' then
        perform person_figures_refresh(array(select distinct person_id from new_rows));
      elsif tg_op = 'UPDATE' then
        perform person_figures_refresh(array(select person_id from new_rows union select person_id from old_rows));
      else
        perform person_figures_refresh(array(select distinct person_id from old_rows));
      end if;
      return null;
    end $$`).execute(db);

  await sql`create trigger persons_figures_insert after insert on persons referencing new table as new_rows
    for each statement execute function person_figures_from_persons()`.execute(db);
  await sql`create trigger persons_figures_update after update on persons referencing old table as old_rows new table as new_rows
    for each statement execute function person_figures_from_persons()`.execute(db);
  for (const table of ['person_nationalities', 'case_members', 'custody_episodes', 'handovers']) {
    await sql.raw(`create trigger ${table}_figures_insert after insert on ${table} referencing new table as new_rows
      for each statement execute function person_figures_from_facts()`).execute(db);
    await sql.raw(`create trigger ${table}_figures_update after update on ${table} referencing old table as old_rows new table as new_rows
      for each statement execute function person_figures_from_facts()`).execute(db);
    await sql.raw(`create trigger ${table}_figures_delete after delete on ${table} referencing old table as old_rows
      for each statement execute function person_figures_from_facts()`).execute(db);
  }
  // A movement's kind decides whether its handovers are returns home.
  await sql`create function person_figures_from_movements() returns trigger language plpgsql as $$
    begin
      if current_setting('homeward.figures', true) = 'deferred' then return null; end if;
      perform person_figures_refresh(array(select distinct h.person_id from handovers h join new_rows n on n.id = h.movement_id
        join old_rows o on o.id = n.id where n.kind is distinct from o.kind));
      return null;
    end $$`.execute(db);
  await sql`create trigger movements_figures_update after update on movements referencing old table as old_rows new table as new_rows
    for each statement execute function person_figures_from_movements()`.execute(db);

  await sql`select person_figures_rebuild()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists movements_figures_update on movements`.execute(db);
  for (const table of ['person_nationalities', 'case_members', 'custody_episodes', 'handovers']) {
    for (const op of ['insert', 'update', 'delete']) await sql.raw(`drop trigger if exists ${table}_figures_${op} on ${table}`).execute(db);
  }
  await sql`drop trigger if exists persons_figures_insert on persons`.execute(db);
  await sql`drop trigger if exists persons_figures_update on persons`.execute(db);
  for (const fn of ['person_figures_from_movements', 'person_figures_from_facts', 'person_figures_from_persons', 'person_figures_rebuild']) {
    await sql.raw(`drop function if exists ${fn}()`).execute(db);
  }
  await sql`drop function if exists person_figures_refresh(uuid[])`.execute(db);
  await sql`drop table if exists person_figures`.execute(db);
}
