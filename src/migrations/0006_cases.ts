import { type Kysely, sql } from 'kysely';

// Frozen in time: countries and diplomacy (notifications, meetings, agreements) and repatriation cases
// (members, transitions, consent, guardians, legal assurances, best interests, clearances). No application imports.
const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

const CASE_STATES = ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved', 'scheduled', 'departed', 'handed_over', 'closed', 'on_hold', 'rejected', 'withdrawn'];
const AGENCIES = ['coordinator', 'judiciary', 'custody', 'security'];

export async function up(db: Kysely<any>): Promise<void> {
  // ---- Countries and diplomacy -------------------------------------------------------------
  // The list of a country's nationals held, sent to it (a PDF kept as a file), and when it was acknowledged.
  await sql`create table country_notifications (
    id uuid primary key default gen_random_uuid(),
    country_code char(3) not null references countries (code),
    sent_on date not null,
    acknowledged_on date,
    people_count integer not null check (people_count >= 0),
    children_count integer not null check (children_count >= 0),
    file_sha256 char(64) references files (sha256),
    channel text check (length(channel) <= 200),
    note text check (length(note) <= 2000),
    created_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    check (acknowledged_on is null or acknowledged_on >= sent_on)
  )`.execute(db);
  await sql`create index country_notifications_country_idx on country_notifications (country_code, sent_on desc)`.execute(db);

  await sql`create table country_meetings (
    id uuid primary key default gen_random_uuid(),
    country_code char(3) not null references countries (code),
    held_on date not null,
    place text check (length(place) <= 200),
    participants text[] not null default '{}' check (cardinality(participants) <= 50),
    minutes text check (length(minutes) <= 20000),
    decisions text[] not null default '{}' check (cardinality(decisions) <= 50),
    created_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index country_meetings_country_idx on country_meetings (country_code, held_on desc)`.execute(db);

  await sql`create table meeting_action_items (
    id uuid primary key default gen_random_uuid(),
    meeting_id uuid not null references country_meetings (id) on delete cascade,
    description text not null check (length(description) between 1 and 1000),
    owner text not null check (length(owner) between 1 and 200),
    due_on date,
    done_on date,
    version integer not null default 1,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index meeting_action_items_meeting_idx on meeting_action_items (meeting_id)`.execute(db);
  await sql`create index meeting_action_items_open_idx on meeting_action_items (due_on) where done_on is null`.execute(db);

  // What a country agreed to: fees per child and per adult, documents, conditions, extra eligibility criteria (data).
  await sql`create table country_agreements (
    id uuid primary key default gen_random_uuid(),
    country_code char(3) not null references countries (code),
    title text not null check (length(title) between 1 and 300),
    signed_on date,
    valid_from date not null,
    valid_until date,
    currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
    fee_per_child numeric(12, 2) not null default 0 check (fee_per_child >= 0),
    fee_per_adult numeric(12, 2) not null default 0 check (fee_per_adult >= 0),
    documents_required text[] not null default '{}',
    conditions text check (length(conditions) <= 10000),
    criteria jsonb not null default '[]',
    file_sha256 char(64) references files (sha256),
    created_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    check (valid_until is null or valid_until >= valid_from)
  )`.execute(db);
  await sql`create index country_agreements_country_idx on country_agreements (country_code, valid_from desc)`.execute(db);

  // ---- Cases -------------------------------------------------------------------------------
  await sql`create sequence case_reference_seq`.execute(db);
  await sql`create table cases (
    id uuid primary key default gen_random_uuid(),
    reference text not null unique check (length(reference) between 1 and 40),
    country_code char(3) not null references countries (code),
    kind text not null check (kind in (${list(['individual', 'family'])})),
    state text not null check (state in (${list(CASE_STATES)})),
    held_from text check (held_from in (${list(CASE_STATES)})),
    title text check (length(title) <= 300),
    opened_by uuid references users (id),
    state_changed_at timestamptz not null default now(),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((state = 'on_hold') = (held_from is not null))
  )`.execute(db);
  await sql`create index cases_country_state_idx on cases (country_code, state)`.execute(db);
  await sql`create index cases_state_idx on cases (state, state_changed_at desc)`.execute(db);

  // A person on a case; a member who cannot go leaves it with a recorded reason and stays registered.
  // "current": the membership counts (the case is not closed, rejected or withdrawn, and the member has not left).
  await sql`create table case_members (
    case_id uuid not null references cases (id) on delete cascade,
    person_id uuid not null references persons (id),
    role text not null check (role in (${list(['principal', 'mother', 'father', 'child', 'guardian', 'member'])})),
    joined_at timestamptz not null default now(),
    left_at timestamptz,
    left_reason text check (length(left_reason) between 1 and 2000),
    current boolean not null default true,
    transfer_agreed boolean not null default false,
    eligible text check (eligible in (${list(['true', 'false', 'unknown'])})),
    eligibility jsonb,
    evaluated_at timestamptz,
    primary key (case_id, person_id),
    check ((left_at is null) = (left_reason is null)),
    check (left_at is null or not current)
  )`.execute(db);
  // One open case per person.
  await sql`create unique index case_members_current_idx on case_members (person_id) where current`.execute(db);
  await sql`create index case_members_person_idx on case_members (person_id)`.execute(db);

  await sql`create table case_transitions (
    id bigserial primary key,
    case_id uuid not null references cases (id) on delete cascade,
    transition text not null,
    from_state text,
    to_state text not null,
    reason text check (length(reason) <= 2000),
    actor_user_id uuid references users (id),
    actor_system text,
    occurred_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index case_transitions_case_idx on case_transitions (case_id, id)`.execute(db);

  // ---- The facts eligibility reads -----------------------------------------------------------
  // A parent's or legal guardian's decision for named children, witnessed by a child-protection officer.
  await sql`create table consent_records (
    id uuid primary key default gen_random_uuid(),
    given_by uuid not null references persons (id),
    kind text not null check (kind in (${list(['consent', 'refusal', 'revocation'])})),
    decided_on date not null,
    language text check (length(language) between 2 and 50),
    witness_user_id uuid references users (id),
    witness_name text check (length(witness_name) <= 200),
    file_sha256 char(64) references files (sha256),
    note text check (length(note) <= 2000),
    voided_at timestamptz,
    voided_reason text check (length(voided_reason) <= 2000),
    recorded_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    check ((voided_at is null) = (voided_reason is null))
  )`.execute(db);
  await sql`create table consent_children (
    consent_id uuid not null references consent_records (id) on delete cascade,
    child_id uuid not null references persons (id),
    primary key (consent_id, child_id)
  )`.execute(db);
  await sql`create index consent_children_child_idx on consent_children (child_id)`.execute(db);

  // No consent needed: both parents deceased, no parent with custody, or a court dispensed with it.
  await sql`create table consent_exemptions (
    id uuid primary key default gen_random_uuid(),
    child_id uuid not null references persons (id),
    reason text not null check (reason in (${list(['both_parents_deceased', 'no_parent_with_custody', 'court_order'])})),
    recorded_on date not null,
    note text check (length(note) <= 2000),
    file_sha256 char(64) references files (sha256),
    withdrawn_at timestamptz,
    recorded_by uuid references users (id),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index consent_exemptions_current_idx on consent_exemptions (child_id) where withdrawn_at is null`.execute(db);

  // The person in the home country who receives the child.
  await sql`create table guardians (
    id uuid primary key default gen_random_uuid(),
    child_id uuid not null references persons (id),
    full_name text not null check (length(full_name) between 1 and 300),
    relation text not null check (relation in (${list(['parent', 'grandparent', 'aunt_uncle', 'sibling', 'other_relative', 'foster', 'institution', 'other'])})),
    verification text not null default 'unverified' check (verification in (${list(['unverified', 'verified', 'rejected'])})),
    verified_by text check (length(verified_by) <= 200),
    contact text check (length(contact) <= 500),
    address text check (length(address) <= 500),
    country_code char(3) references countries (code),
    superseded_at timestamptz,
    recorded_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index guardians_current_idx on guardians (child_id) where superseded_at is null`.execute(db);

  // What the home country guarantees (the child's rights, no prosecution of children…), for a case or one person on it.
  await sql`create table legal_assurances (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id) on delete cascade,
    person_id uuid references persons (id),
    type text not null check (length(type) between 1 and 200),
    given_on date not null,
    issuing_authority text not null check (length(issuing_authority) between 1 and 300),
    file_sha256 char(64) references files (sha256),
    note text check (length(note) <= 2000),
    withdrawn_at timestamptz,
    recorded_by uuid references users (id),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index legal_assurances_case_idx on legal_assurances (case_id)`.execute(db);

  // Best interests: an assessment by child protection; a determination by a panel. Content is child protection's only.
  await sql`create table best_interests_assessments (
    id uuid primary key default gen_random_uuid(),
    child_id uuid not null references persons (id),
    kind text not null check (kind in (${list(['short', 'comprehensive'])})),
    assessed_on date not null,
    summary text check (length(summary) <= 20000),
    recommendation text check (length(recommendation) <= 4000),
    recorded_by uuid references users (id),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index best_interests_assessments_child_idx on best_interests_assessments (child_id, assessed_on)`.execute(db);

  await sql`create table best_interests_determinations (
    id uuid primary key default gen_random_uuid(),
    child_id uuid not null references persons (id),
    status text not null check (status in (${list(['final', 'under_review', 'reopened'])})),
    outcome text not null check (outcome in (${list(['return', 'not_return'])})),
    decided_on date not null,
    recommendation text check (length(recommendation) <= 4000),
    reasoning text check (length(reasoning) <= 20000),
    dissent text check (length(dissent) <= 10000),
    review_on date,
    superseded_at timestamptz,
    recorded_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index best_interests_determinations_current_idx on best_interests_determinations (child_id) where superseded_at is null`.execute(db);

  await sql`create table best_interests_panel_members (
    determination_id uuid not null references best_interests_determinations (id) on delete cascade,
    position integer not null check (position between 1 and 20),
    name text not null check (length(name) between 1 and 200),
    role text check (length(role) <= 200),
    undertaking_signed_on date not null,
    primary key (determination_id, position)
  )`.execute(db);

  // Each of the four agencies' decision on a person's return on a case.
  await sql`create table clearances (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id) on delete cascade,
    person_id uuid not null references persons (id),
    agency text not null check (agency in (${list(AGENCIES)})),
    decision text not null check (decision in (${list(['approve', 'approve_with_conditions', 'deny'])})),
    decided_on date not null,
    valid_until date,
    conditions text[] not null default '{}',
    reasons text check (length(reasons) <= 4000),
    decided_by uuid references users (id),
    created_at timestamptz not null default now(),
    check (valid_until is null or valid_until >= decided_on),
    check (decision <> 'approve_with_conditions' or cardinality(conditions) > 0)
  )`.execute(db);
  await sql`create index clearances_case_person_idx on clearances (case_id, person_id, agency, decided_on desc)`.execute(db);

  // A concern that the person could face persecution or the death penalty at home (non-refoulement).
  await sql`alter table persons add column non_refoulement_concern boolean not null default false`.execute(db);
  await sql`alter table persons add column non_refoulement_note text check (length(non_refoulement_note) <= 4000)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table persons drop column if exists non_refoulement_note`.execute(db);
  await sql`alter table persons drop column if exists non_refoulement_concern`.execute(db);
  for (const table of [
    'clearances',
    'best_interests_panel_members',
    'best_interests_determinations',
    'best_interests_assessments',
    'legal_assurances',
    'guardians',
    'consent_exemptions',
    'consent_children',
    'consent_records',
    'case_transitions',
    'case_members',
    'cases',
    'country_agreements',
    'meeting_action_items',
    'country_meetings',
    'country_notifications',
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop sequence if exists case_reference_seq`.execute(db);
}
