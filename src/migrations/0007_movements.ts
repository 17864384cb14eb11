import { type Kysely, sql } from 'kysely';

// Frozen in time: movements (repatriations and transfers), manifests, escorts, medical fitness,
// handovers, invoices and payments. No application imports.
const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence movement_reference_seq`.execute(db);
  await sql`create table movements (
    id uuid primary key default gen_random_uuid(),
    reference text not null unique check (length(reference) between 1 and 40),
    kind text not null check (kind in (${list(['repatriation', 'transfer'])})),
    mode text not null check (mode in (${list(['air', 'land'])})),
    country_code char(3) references countries (code),
    from_place text not null check (length(from_place) between 1 and 200),
    to_place text not null check (length(to_place) between 1 and 200),
    carrier text check (length(carrier) <= 200),
    flight_number text check (length(flight_number) <= 20),
    departure_date date not null,
    capacity integer not null check (capacity between 1 and 1000),
    to_facility_id uuid references facilities (id),
    status text not null default 'planned' check (status in (${list(['planned', 'manifest_locked', 'departed', 'completed', 'cancelled'])})),
    notes text check (length(notes) <= 4000),
    created_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((kind = 'repatriation') = (country_code is not null)),
    check (kind = 'transfer' or to_facility_id is null)
  )`.execute(db);
  await sql`create index movements_status_idx on movements (status, departure_date)`.execute(db);
  await sql`create index movements_country_idx on movements (country_code, departure_date desc)`.execute(db);

  await sql`create table movement_escorts (
    id uuid primary key default gen_random_uuid(),
    movement_id uuid not null references movements (id) on delete cascade,
    name text not null check (length(name) between 1 and 200),
    role text not null check (role in (${list(['official', 'medical', 'child_protection', 'security', 'interpreter', 'other'])})),
    organisation text check (length(organisation) <= 200),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index movement_escorts_movement_idx on movement_escorts (movement_id)`.execute(db);

  // A passenger: a member of an approved case on the manifest. "active": not removed, the movement not cancelled.
  await sql`create table movement_passengers (
    movement_id uuid not null references movements (id) on delete cascade,
    person_id uuid not null references persons (id),
    case_id uuid references cases (id),
    escort_id uuid references movement_escorts (id) on delete set null,
    active boolean not null default true,
    added_at timestamptz not null default now(),
    removed_at timestamptz,
    primary key (movement_id, person_id)
  )`.execute(db);
  await sql`create unique index movement_passengers_active_idx on movement_passengers (person_id) where active`.execute(db);
  await sql`create index movement_passengers_case_idx on movement_passengers (case_id)`.execute(db);

  // The decisions on a movement: locks, unlocks (with a reason), departure, completion, cancellation.
  await sql`create table movement_events (
    id bigserial primary key,
    movement_id uuid not null references movements (id) on delete cascade,
    transition text not null,
    from_status text not null,
    to_status text not null,
    reason text check (length(reason) <= 2000),
    checks jsonb,
    actor_user_id uuid references users (id),
    occurred_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index movement_events_movement_idx on movement_events (movement_id, id)`.execute(db);

  // Fitness to travel (welfare): recorded by the custody agency's medical service or child protection.
  await sql`create table medical_assessments (
    id uuid primary key default gen_random_uuid(),
    person_id uuid not null references persons (id),
    assessed_on date not null,
    fit boolean not null,
    notes text check (length(notes) <= 4000),
    assessed_by text check (length(assessed_by) <= 200),
    recorded_by uuid references users (id),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index medical_assessments_person_idx on medical_assessments (person_id, assessed_on desc)`.execute(db);

  // Who received each person for the home country (or the receiving authority of a transfer), and the signed receipt.
  await sql`create table handovers (
    id uuid primary key default gen_random_uuid(),
    movement_id uuid not null references movements (id),
    person_id uuid not null references persons (id),
    received_by text not null check (length(received_by) between 1 and 200),
    receiving_authority text check (length(receiving_authority) <= 200),
    received_at timestamptz not null,
    receipt_sha256 char(64) references files (sha256),
    recorded_by uuid references users (id),
    created_at timestamptz not null default now(),
    unique (movement_id, person_id)
  )`.execute(db);

  // An invoice per movement from the country's agreement; lines are head counts × the agreed fee.
  await sql`create sequence invoice_number_seq`.execute(db);
  await sql`create table invoices (
    id uuid primary key default gen_random_uuid(),
    number text not null unique,
    movement_id uuid not null unique references movements (id),
    country_code char(3) not null references countries (code),
    agreement_id uuid references country_agreements (id),
    currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
    issued_on date not null,
    due_on date not null,
    total numeric(14, 3) not null check (total >= 0),
    cancelled_at timestamptz,
    cancel_reason text check (length(cancel_reason) <= 2000),
    created_by uuid references users (id),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    check (due_on >= issued_on),
    check ((cancelled_at is null) = (cancel_reason is null))
  )`.execute(db);
  await sql`create index invoices_country_idx on invoices (country_code, issued_on desc)`.execute(db);
  await sql`create table invoice_lines (
    invoice_id uuid not null references invoices (id) on delete cascade,
    position integer not null check (position between 1 and 100),
    description text not null check (length(description) between 1 and 300),
    count integer not null check (count >= 0),
    unit_amount numeric(14, 3) not null check (unit_amount >= 0),
    amount numeric(14, 3) not null check (amount >= 0),
    primary key (invoice_id, position)
  )`.execute(db);
  await sql`create table payments (
    id uuid primary key default gen_random_uuid(),
    invoice_id uuid not null references invoices (id),
    received_on date not null,
    amount numeric(14, 3) not null check (amount > 0),
    reference text check (length(reference) <= 200),
    note text check (length(note) <= 2000),
    recorded_by uuid references users (id),
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index payments_invoice_idx on payments (invoice_id, received_on)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['payments', 'invoice_lines', 'invoices', 'handovers', 'medical_assessments', 'movement_events', 'movement_passengers', 'movement_escorts', 'movements']) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  await sql`drop sequence if exists invoice_number_seq`.execute(db);
  await sql`drop sequence if exists movement_reference_seq`.execute(db);
}
