import { type Kysely, sql } from 'kysely';

// Frozen in time: the registry as it was first made. No application imports.
const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  // Files (photos, scans, generated documents) by content hash: stored once, in the
  // database so that every server instance and every backup has them.
  await sql`create table files (
    sha256 char(64) primary key,
    content_type text not null,
    size_bytes integer not null check (size_bytes >= 0),
    data bytea not null,
    created_at timestamptz not null default now()
  )`.execute(db);

  await sql`create table facilities (
    id uuid primary key default gen_random_uuid(),
    name text not null unique check (length(name) between 1 and 200),
    kind text not null check (kind in (${list(['prison', 'juvenile_facility', 'camp', 'other'])})),
    holding_authority text not null check (length(holding_authority) between 1 and 200),
    agency_id uuid references agencies (id),
    country_code char(3) not null references countries (code),
    capacity integer not null check (capacity >= 0),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index facilities_agency_idx on facilities (agency_id)`.execute(db);

  await sql`create table persons (
    id uuid primary key default gen_random_uuid(),
    external_ref text unique check (length(external_ref) between 1 and 100),
    display_name text not null,
    sex text not null check (sex in ('female', 'male', 'unknown')),
    birth_precision text not null check (birth_precision in ('exact', 'month', 'year', 'estimated', 'unknown')),
    birth_earliest date not null,
    birth_latest date not null,
    birth_text text,
    vital_status text not null default 'alive' check (vital_status in ('alive', 'deceased', 'executed')),
    vital_date date,
    withheld_from_embassy boolean not null default false,
    unaccompanied boolean not null default false,
    separated boolean not null default false,
    orphan boolean not null default false,
    medical_needs boolean not null default false,
    welfare_notes text,
    crimes_against_humanity boolean not null default false,
    security_notes text,
    search_keys text[] not null default '{}',
    search_text text not null default '',
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (birth_earliest <= birth_latest),
    check (vital_status = 'alive' or vital_date is null or vital_date >= birth_earliest)
  )`.execute(db);
  await sql`create index persons_search_keys_idx on persons using gin (search_keys)`.execute(db);
  await sql`create index persons_search_text_idx on persons using gin (search_text gin_trgm_ops)`.execute(db);
  await sql`create index persons_birth_latest_idx on persons (birth_latest)`.execute(db);
  await sql`create index persons_display_name_idx on persons (display_name, id)`.execute(db);

  await sql`create table person_names (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references persons (id) on delete cascade,
    kind text not null check (kind in ('primary', 'alias', 'kunya', 'birth')),
    script text not null check (script in ('arabic', 'cyrillic', 'latin', 'other')),
    given_name text,
    father_name text,
    grandfather_name text,
    family_name text,
    full_name text not null check (length(full_name) between 1 and 300),
    latin text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index person_names_person_idx on person_names (person_id)`.execute(db);

  await sql`create table person_nationalities (
    person_id uuid not null references persons (id) on delete cascade,
    country_code char(3) not null references countries (code),
    status text not null check (status in ('claimed', 'verified', 'rejected')),
    source text,
    decided_at timestamptz,
    primary key (person_id, country_code)
  )`.execute(db);
  await sql`create index person_nationalities_country_idx on person_nationalities (country_code, person_id) where status <> 'rejected'`.execute(db);

  await sql`create table identity_documents (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references persons (id) on delete cascade,
    kind text not null check (kind in ('passport', 'national_id', 'birth_certificate', 'travel_document', 'other')),
    country_code char(3) references countries (code),
    number text check (length(number) between 1 and 50),
    holder_name_icao text,
    issued_on date,
    expires_on date,
    file_sha256 char(64) references files (sha256),
    version integer not null default 1,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index identity_documents_person_idx on identity_documents (person_id)`.execute(db);

  await sql`create table photos (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references persons (id) on delete cascade,
    file_sha256 char(64) not null references files (sha256),
    taken_on date,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index photos_person_idx on photos (person_id)`.execute(db);

  // Each link is stored in both directions (mother ↔ child, guardian ↔ ward…) in one transaction.
  await sql`create table family_links (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references persons (id) on delete cascade,
    relative_id uuid not null references persons (id) on delete cascade,
    relation text not null check (relation in (${list(['mother', 'father', 'child', 'sibling', 'guardian', 'ward', 'caregiver', 'cared_for'])})),
    verification text not null check (verification in ('unverified', 'document', 'dna', 'testimony', 'embassy')),
    confidence numeric(3, 2) not null check (confidence between 0 and 1),
    pair_id uuid not null,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    check (person_id <> relative_id),
    unique (person_id, relative_id, relation)
  )`.execute(db);
  await sql`create index family_links_relative_idx on family_links (relative_id)`.execute(db);
  await sql`create index family_links_pair_idx on family_links (pair_id)`.execute(db);

  await sql`create table custody_episodes (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references persons (id) on delete cascade,
    facility_id uuid not null references facilities (id),
    admitted_on date not null,
    released_on date,
    release_reason text check (release_reason in ('transferred', 'released', 'repatriated', 'deceased', 'deported', 'other')),
    notes text,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    check ((released_on is null) = (release_reason is null)),
    check (released_on is null or released_on >= admitted_on)
  )`.execute(db);
  // One place at a time: at most one open episode per person.
  await sql`create unique index custody_open_idx on custody_episodes (person_id) where released_on is null`.execute(db);
  await sql`create index custody_facility_open_idx on custody_episodes (facility_id, person_id) where released_on is null`.execute(db);
  await sql`create index custody_person_idx on custody_episodes (person_id, admitted_on)`.execute(db);

  await sql`create table proceedings (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references persons (id) on delete cascade,
    charge text not null,
    charge_text text,
    act_date date,
    court text,
    stage text not null,
    verdict text not null,
    verdict_date date,
    sentence jsonb,
    sentence_start date,
    release_date date,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index proceedings_person_idx on proceedings (person_id)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the registry migration cannot be undone');
}
