import { type Kysely, sql } from 'kysely';

// Frozen in time: the manifest as sent to the home country, kept when the manifest locks. The movement
// points at the one in force (cleared on unlock); each lock event keeps the one it stored, so an unlocked
// manifest's earlier version stays in the movement's history. No application imports.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table movements
    add column sent_manifest_sha256 char(64) references files (sha256),
    add column sent_manifest_at timestamptz,
    add constraint movements_sent_manifest_check check ((sent_manifest_sha256 is null) = (sent_manifest_at is null))`.execute(db);
  await sql`alter table movement_events add column manifest_sha256 char(64) references files (sha256)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table movement_events drop column if exists manifest_sha256`.execute(db);
  await sql`alter table movements drop constraint if exists movements_sent_manifest_check, drop column if exists sent_manifest_at, drop column if exists sent_manifest_sha256`.execute(db);
}
