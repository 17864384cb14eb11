import { type Kysely, sql } from 'kysely';

// Frozen in time: missions, nationality verification and identity evidence. No application imports.
const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  // Each country's mission to the host state: resident (an embassy in the capital) or accredited from abroad.
  await sql`create table missions (
    country_code char(3) primary key references countries (code),
    agency_id uuid unique references agencies (id),
    residency text not null check (residency in ('resident', 'non_resident')),
    accredited_from text check (length(accredited_from) <= 200),
    address text check (length(address) <= 500),
    phone text check (length(phone) <= 100),
    email text check (length(email) <= 200),
    contact_name text check (length(contact_name) <= 200),
    notes text check (length(notes) <= 2000),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (residency = 'non_resident' or accredited_from is null)
  )`.execute(db);

  // The coordinator asks a country's mission to confirm the nationality of a list of people.
  await sql`create table verification_requests (
    id uuid primary key default gen_random_uuid(),
    country_code char(3) not null references countries (code),
    note text check (length(note) <= 2000),
    due_on date not null,
    sent_by uuid references users (id),
    sent_at timestamptz not null default now(),
    answered_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index verification_requests_country_idx on verification_requests (country_code, sent_at desc)`.execute(db);
  await sql`create index verification_requests_open_idx on verification_requests (due_on) where answered_at is null`.execute(db);

  await sql`create table verification_items (
    request_id uuid not null references verification_requests (id) on delete cascade,
    person_id uuid not null references persons (id) on delete cascade,
    answer text check (answer in (${list(['confirmed', 'not_national', 'more_information'])})),
    evidence text check (length(evidence) <= 4000),
    answered_by uuid references users (id),
    answered_at timestamptz,
    version integer not null default 1,
    primary key (request_id, person_id),
    check ((answer is null) = (answered_at is null))
  )`.execute(db);
  await sql`create index verification_items_person_idx on verification_items (person_id)`.execute(db);

  // Evidence of who a person is: documents examined, embassy interviews, DNA kinship tests (genetic data).
  await sql`create table identity_evidence (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references persons (id) on delete cascade,
    kind text not null check (kind in (${list(['document', 'interview', 'dna'])})),
    observed_on date not null,
    supports boolean not null,
    summary text check (length(summary) <= 4000),
    source text check (length(source) <= 200),
    laboratory text check (length(laboratory) <= 200),
    relative_id uuid references persons (id) on delete set null,
    relationship text check (length(relationship) <= 100),
    dna_result text check (dna_result in (${list(['match', 'no_match', 'inconclusive'])})),
    recorded_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    check ((kind = 'dna') = (dna_result is not null)),
    check (kind = 'dna' or (laboratory is null and relative_id is null))
  )`.execute(db);
  await sql`create index identity_evidence_person_idx on identity_evidence (person_id, observed_on)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['identity_evidence', 'verification_items', 'verification_requests', 'missions']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
}
