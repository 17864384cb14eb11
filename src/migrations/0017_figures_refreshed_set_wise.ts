import { type Kysely, sql } from 'kysely';

// Frozen in time: a large batch of people's figure rows refreshed set-wise. Migration 0013's refresh
// reads each person's facts with subqueries of their own: right for the few people a request
// touches, but an import refreshes all of its people at its end (decision 0029): 50,000 people took
// 1.06 s of an 8.1 s import into an empty registry, and 70.6 s in a registry of 1,000,000 (3.4 s set-wise,
// counts included). From 1,000 people on, the facts are read as
// `person_figures_rebuild` reads them — one grouped pass over each table, restricted to the batch,
// joined by hash — in a statement planned for the batch at hand (EXECUTE: a plan cached for a
// handful of ids would probe each person again). Fewer people keep the per-person form.
// No application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter function person_figures_refresh_rows(uuid[]) rename to person_figures_refresh_each`.execute(db);
  await sql`create function person_figures_refresh_rows(ids uuid[]) returns void language plpgsql as $fn$
    begin
      if ids is null or cardinality(ids) < 1000 then
        perform person_figures_refresh_each(ids);
        return;
      end if;
      perform 1 from persons where id = any(ids) order by id for no key update;
      delete from person_figures pf where pf.person_id = any(ids)
        and not exists (select 1 from persons p where p.id = pf.person_id and p.merged_into is null);
      execute $q$
        insert into person_figures as pf (person_id, nat, claims, withheld, birth_latest, returned_on, on_case, held_since, held_in)
        select p.id, cn.nat, coalesce(cl.claims, '{}'), p.withheld_from_embassy, p.birth_latest, r.returned_on, oc.person_id is not null, held.admitted_on, held.facility_id
        from persons p
        left join (select distinct on (pn.person_id) pn.person_id, pn.country_code::text as nat from person_nationalities pn
          where pn.status <> 'rejected' and pn.person_id = any($1) order by pn.person_id, (pn.status = 'verified') desc, pn.country_code) cn on cn.person_id = p.id
        left join (select pn.person_id, array_agg(pn.country_code::text order by pn.country_code) as claims from person_nationalities pn
          where pn.status <> 'rejected' and pn.person_id = any($1) group by pn.person_id) cl on cl.person_id = p.id
        left join (select h.person_id, min((h.received_at at time zone 'UTC')::date) as returned_on from handovers h join movements m on m.id = h.movement_id
          where m.kind = 'repatriation' and h.person_id = any($1) group by h.person_id) r on r.person_id = p.id
        left join (select distinct cm.person_id from case_members cm where cm.current and cm.person_id = any($1)) oc on oc.person_id = p.id
        left join custody_episodes held on held.person_id = p.id and held.released_on is null
        where p.id = any($1) and p.merged_into is null
        on conflict (person_id) do update set nat = excluded.nat, claims = excluded.claims, withheld = excluded.withheld,
          birth_latest = excluded.birth_latest, returned_on = excluded.returned_on, on_case = excluded.on_case, held_since = excluded.held_since,
          held_in = excluded.held_in
        where (pf.nat, pf.claims, pf.withheld, pf.birth_latest, pf.returned_on, pf.on_case, pf.held_since, pf.held_in)
          is distinct from (excluded.nat, excluded.claims, excluded.withheld, excluded.birth_latest, excluded.returned_on, excluded.on_case, excluded.held_since, excluded.held_in)
      $q$ using ids;
    end $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function if exists person_figures_refresh_rows(uuid[])`.execute(db);
  await sql`alter function person_figures_refresh_each(uuid[]) rename to person_figures_refresh_rows`.execute(db);
}
