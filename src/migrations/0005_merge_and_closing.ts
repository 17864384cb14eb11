import { type Kysely, sql } from 'kysely';

// Frozen in time: merging two registrations of one person; why and when a tracing request was closed. No application imports.
export async function up(db: Kysely<any>): Promise<void> {
  // The record merged into another stays, with its history; everything it held moved to the survivor.
  await sql`alter table persons add column merged_into uuid references persons (id)`.execute(db);
  await sql`alter table persons add column merged_at timestamptz`.execute(db);
  await sql`alter table persons add constraint persons_merged_check check ((merged_into is null) = (merged_at is null) and (merged_into is null or merged_into <> id))`.execute(db);
  await sql`create index persons_merged_into_idx on persons (merged_into) where merged_into is not null`.execute(db);

  // A tracing request closed without a match says why, to the family's embassy as to the coordinator.
  await sql`alter table tracing_requests add column closed_reason text check (length(closed_reason) between 1 and 2000)`.execute(db);
  await sql`alter table tracing_requests add column closed_at timestamptz`.execute(db);
  await sql`alter table tracing_requests add constraint tracing_requests_closed_check check ((status = 'closed') = (closed_at is not null))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table tracing_requests drop constraint if exists tracing_requests_closed_check`.execute(db);
  await sql`alter table tracing_requests drop column if exists closed_at`.execute(db);
  await sql`alter table tracing_requests drop column if exists closed_reason`.execute(db);
  await sql`alter table persons drop constraint if exists persons_merged_check`.execute(db);
  await sql`alter table persons drop column if exists merged_at`.execute(db);
  await sql`alter table persons drop column if exists merged_into`.execute(db);
}
