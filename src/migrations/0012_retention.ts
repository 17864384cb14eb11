import { type Kysely, sql } from 'kysely';

// Frozen in time: retention (issue 8, decision 0025). A person's record, and a case, say when they were
// anonymised; the retention job looks only at cases in a final state not yet anonymised, oldest first
// (a partial index, small: finished cases awaiting their period). No application imports.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table persons add column anonymised_at timestamptz`.execute(db);
  await sql`alter table cases add column anonymised_at timestamptz`.execute(db);
  await sql`create index cases_retention_idx on cases (state_changed_at, id)
    where state in ('closed', 'rejected', 'withdrawn') and anonymised_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists cases_retention_idx`.execute(db);
  await sql`alter table cases drop column if exists anonymised_at`.execute(db);
  await sql`alter table persons drop column if exists anonymised_at`.execute(db);
}
