import { type Kysely, sql } from 'kysely';

// Frozen in time: a person's display name copied onto each of their nationalities, kept equal by
// triggers in the same transaction, so a list of one nationality in name order reads one index
// (country, name, person) instead of walking every name in the registry and probing each person's
// nationalities — 25,848 probes for the first 50 children of Tajikistan among 200,000 people, 3 s at
// 1,000,000, because names sort by script and so by nationality. No application imports.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table person_nationalities add column display_name text`.execute(db);
  await sql`update person_nationalities pn set display_name = p.display_name from persons p where p.id = pn.person_id`.execute(db);
  await sql`alter table person_nationalities alter column display_name set not null`.execute(db);
  await sql`create function person_nationality_take_name() returns trigger language plpgsql as $$
    begin
      select p.display_name into new.display_name from persons p where p.id = new.person_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger person_nationalities_name before insert or update of person_id on person_nationalities
    for each row execute function person_nationality_take_name()`.execute(db);
  await sql`create function person_name_to_nationalities() returns trigger language plpgsql as $$
    begin
      update person_nationalities set display_name = new.display_name where person_id = new.id and display_name is distinct from new.display_name;
      return null;
    end $$`.execute(db);
  await sql`create trigger persons_name_to_nationalities after update of display_name on persons
    for each row when (old.display_name is distinct from new.display_name) execute function person_name_to_nationalities()`.execute(db);
  await sql`create index person_nationalities_country_name_idx on person_nationalities (country_code, display_name, person_id) where status <> 'rejected'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists person_nationalities_country_name_idx`.execute(db);
  await sql`drop trigger if exists persons_name_to_nationalities on persons`.execute(db);
  await sql`drop function if exists person_name_to_nationalities()`.execute(db);
  await sql`drop trigger if exists person_nationalities_name on person_nationalities`.execute(db);
  await sql`drop function if exists person_nationality_take_name()`.execute(db);
  await sql`alter table person_nationalities drop column if exists display_name`.execute(db);
}
