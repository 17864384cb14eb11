import { type Kysely, sql } from 'kysely';

// Frozen in time: the users' TOTP secrets join the fields sealed at rest (decision 0024). Secrets
// written before this migration are marked in `sealing_pending` and sealed by the next start that
// has the key, as migration 0011 did for the first sealed fields; until then they are read as they are.
// No application imports.
const COLUMNS = ['totp_secret', 'totp_pending_secret'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of COLUMNS) {
    await sql`insert into sealing_pending (table_name, column_name)
      select 'users', ${column} where exists (select 1 from users where ${sql.ref(column)} is not null and ${sql.ref(column)} not like 'hw1:%')
      on conflict do nothing`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from sealing_pending where table_name = 'users'`.execute(db);
}
