import { type Kysely, sql } from 'kysely';

// Frozen in time: data protection (issue 8, decision 0023). A country's data-sharing agreement names who
// signed it and which data categories its embassy receives; null data_categories means "DESIGN.md's default"
// (the agreement is about fees and criteria only). No application imports.
const SHAREABLE = ['identity', 'family', 'custody', 'legal', 'welfare', 'case_status'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table country_agreements
    add column signatories text[] not null default '{}',
    add column data_categories text[],
    add constraint country_agreements_data_categories_check
      check (data_categories is null or data_categories <@ array[${sql.join(SHAREABLE.map((c) => sql.lit(c)))}]::text[]),
    add constraint country_agreements_signatories_check check (cardinality(signatories) <= 20)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table country_agreements
    drop constraint if exists country_agreements_signatories_check,
    drop constraint if exists country_agreements_data_categories_check,
    drop column if exists data_categories,
    drop column if exists signatories`.execute(db);
}
