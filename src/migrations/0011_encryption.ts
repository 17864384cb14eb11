import { type Kysely, sql } from 'kysely';

// Frozen in time: the most sensitive fields are sealed at rest by the application (decision 0024),
// so the database holds an envelope (`hw1:<key id>:…`) longer than the text, and the length limits
// of the text move to the API's schemas. No application imports.
//
// - The length checks on the best-interests texts go (they applied to the plaintext).
// - `sealing_keys` records the id of every key that has sealed a value here, so that a start without
//   that key is refused before anything is read or written with another one.
// - `sealing_pending` marks the columns that still hold plaintext written before this migration; the
//   application seals them as soon as it runs with a key (no key is read here: migrations hold no secrets).
const SEALED_COLUMNS = [
  ['persons', 'security_notes'],
  ['best_interests_assessments', 'summary'],
  ['best_interests_assessments', 'recommendation'],
  ['best_interests_determinations', 'recommendation'],
  ['best_interests_determinations', 'reasoning'],
  ['best_interests_determinations', 'dissent'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, column] of SEALED_COLUMNS) {
    await sql`alter table ${sql.table(table)} drop constraint if exists ${sql.id(`${table}_${column}_check`)}`.execute(db);
  }
  await sql`create table sealing_keys (
    key_id text primary key check (key_id ~ '^[a-z0-9_-]{1,32}$'),
    first_sealed_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table sealing_pending (
    table_name text not null,
    column_name text not null,
    primary key (table_name, column_name)
  )`.execute(db);
  for (const [table, column] of SEALED_COLUMNS) {
    await sql`insert into sealing_pending (table_name, column_name)
      select ${table}, ${column} where exists (select 1 from ${sql.table(table)} where ${sql.ref(column)} is not null and ${sql.ref(column)} not like 'hw1:%')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists sealing_pending`.execute(db);
  await sql`drop table if exists sealing_keys`.execute(db);
}
