import { type Kysely, sql } from 'kysely';

// Frozen in time: the day each stored verdict was computed for. A verdict is a pure function of the
// facts and the day; a change to a fact re-computes at once, so the hourly refresh (eligibility.refresh)
// needs to re-compute only the verdicts computed for another day — at 1,000,000 people it re-computed
// 121,000 open cases every hour. Verdicts stored before this migration have none and are re-computed
// by the next refresh. A partial index finds them.
// No application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table case_members add column evaluated_for date`.execute(db);
  await sql`create index case_members_stale_verdict_idx on case_members (case_id, evaluated_for) where left_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists case_members_stale_verdict_idx`.execute(db);
  await sql`alter table case_members drop column if exists evaluated_for`.execute(db);
}
