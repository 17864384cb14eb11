import { type Kysely, sql } from 'kysely';

// Frozen in time: tracing requests and the matching engine's candidates. No application imports.
const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  // A family looks for someone: filed by an embassy or the coordinator on the family's behalf.
  await sql`create table tracing_requests (
    id uuid primary key default gen_random_uuid(),
    country_code char(3) not null references countries (code),
    status text not null default 'open' check (status in (${list(['open', 'found', 'closed'])})),
    sought_names text[] not null check (cardinality(sought_names) between 1 and 10),
    sought_sex text not null default 'unknown' check (sought_sex in ('female', 'male', 'unknown')),
    sought_birth_earliest date,
    sought_birth_latest date,
    sought_birth_text text,
    mother_name text check (length(mother_name) <= 200),
    father_name text check (length(father_name) <= 200),
    last_known_place text check (length(last_known_place) <= 200),
    notes text check (length(notes) <= 4000),
    enquirer_name text not null check (length(enquirer_name) between 1 and 200),
    enquirer_relationship text not null check (length(enquirer_relationship) between 1 and 100),
    enquirer_contact text check (length(enquirer_contact) <= 500),
    found_person_id uuid references persons (id) on delete set null,
    filed_by uuid references users (id),
    agency_id uuid references agencies (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((sought_birth_earliest is null) = (sought_birth_latest is null)),
    check (sought_birth_earliest is null or sought_birth_earliest <= sought_birth_latest),
    check ((status = 'found') = (found_person_id is not null))
  )`.execute(db);
  await sql`create index tracing_requests_country_idx on tracing_requests (country_code, created_at desc)`.execute(db);

  // A pair the engine proposes: two registrations of one person, or a sought person and a registered one.
  // Decided pairs stay: a rejected pair is never proposed again.
  await sql`create table match_candidates (
    id uuid primary key default gen_random_uuid(),
    kind text not null check (kind in ('duplicate', 'tracing')),
    person_id uuid not null references persons (id) on delete cascade,
    other_person_id uuid references persons (id) on delete cascade,
    tracing_request_id uuid references tracing_requests (id) on delete cascade,
    probability double precision not null check (probability between 0 and 1),
    explanation jsonb not null,
    status text not null default 'proposed' check (status in (${list(['proposed', 'confirmed', 'rejected'])})),
    decided_by uuid references users (id),
    decided_at timestamptz,
    reason text check (length(reason) <= 2000),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((kind = 'duplicate') = (other_person_id is not null and tracing_request_id is null)),
    check ((kind = 'tracing') = (tracing_request_id is not null and other_person_id is null)),
    check (other_person_id is null or person_id < other_person_id),
    check ((status = 'proposed') = (decided_at is null))
  )`.execute(db);
  await sql`create unique index match_candidates_duplicate_idx on match_candidates (person_id, other_person_id) where kind = 'duplicate'`.execute(db);
  await sql`create unique index match_candidates_tracing_idx on match_candidates (tracing_request_id, person_id) where kind = 'tracing'`.execute(db);
  await sql`create index match_candidates_queue_idx on match_candidates (status, probability desc)`.execute(db);
  await sql`create index match_candidates_other_idx on match_candidates (other_person_id) where other_person_id is not null`.execute(db);

  // A confirmed duplicate: the later registration names the record it repeats (merging is a deliberate, later step).
  await sql`alter table persons add column duplicate_of uuid references persons (id) on delete set null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table persons drop column if exists duplicate_of`.execute(db);
  await sql`drop table if exists match_candidates`.execute(db);
  await sql`drop table if exists tracing_requests`.execute(db);
}
