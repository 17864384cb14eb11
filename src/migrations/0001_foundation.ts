import { type Kysely, sql } from 'kysely';
import countries from './data/iso3166-countries.json' with { type: 'json' };

// Frozen in time: this file never imports application code. Role and agency
// kinds are spelled out here as they were when the table was made.
const ROLES = ['coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection', 'admin', 'auditor'];
const AGENCY_KINDS = [
  'foreign_ministry',
  'judiciary',
  'justice',
  'security',
  'embassy',
  'child_protection',
  'oversight',
  'administration',
];
const list = (values: string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists fuzzystrmatch`.execute(db);
  await sql`create extension if not exists unaccent`.execute(db);

  await sql`create table countries (
    code char(3) primary key check (code ~ '^[A-Z]{3}$'),
    alpha2 char(2) not null unique,
    numeric_code char(3) not null,
    name_en text not null,
    name_ar text not null,
    name_ru text not null,
    name_fr text not null
  )`.execute(db);
  await db
    .insertInto('countries')
    .values(
      countries.map((c) => ({
        code: c.code,
        alpha2: c.alpha2,
        numeric_code: c.numeric,
        name_en: c.en,
        name_ar: c.ar,
        name_ru: c.ru,
        name_fr: c.fr,
      })),
    )
    .execute();

  await sql`create table agencies (
    id uuid primary key default gen_random_uuid(),
    name text not null unique check (length(name) between 1 and 200),
    kind text not null check (kind in (${list(AGENCY_KINDS)})),
    country_code char(3) references countries (code),
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((kind = 'embassy') = (country_code is not null))
  )`.execute(db);

  await sql`create table users (
    id uuid primary key default gen_random_uuid(),
    username text not null check (username ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    display_name text not null check (length(display_name) between 1 and 200),
    role text not null check (role in (${list(ROLES)})),
    agency_id uuid references agencies (id),
    country_code char(3) references countries (code),
    password_hash text not null,
    password_changed_at timestamptz not null default now(),
    must_change_password boolean not null default false,
    totp_secret text,
    totp_pending_secret text,
    totp_last_step bigint,
    locale text not null default 'en' check (locale in ('en', 'ar', 'ru', 'fr')),
    disabled_at timestamptz,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((role = 'embassy') = (country_code is not null))
  )`.execute(db);
  await sql`create unique index users_username_key on users (username)`.execute(db);
  await sql`create index users_agency_idx on users (agency_id)`.execute(db);

  await sql`create table role_settings (
    role text primary key check (role in (${list(ROLES)})),
    totp_required boolean not null default false,
    version integer not null default 1,
    updated_at timestamptz not null default now()
  )`.execute(db);
  await db
    .insertInto('role_settings')
    .values(ROLES.map((role) => ({ role, totp_required: false })))
    .execute();

  await sql`create table sessions (
    id text primary key,
    user_id uuid not null references users (id) on delete cascade,
    csrf_token text not null,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz,
    ip text,
    user_agent text
  )`.execute(db);
  await sql`create index sessions_user_idx on sessions (user_id)`.execute(db);
  await sql`create index sessions_expiry_idx on sessions (expires_at)`.execute(db);

  await sql`create table api_tokens (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    name text not null check (length(name) between 1 and 100),
    secret_hash text not null,
    scopes text[] not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz,
    last_used_at timestamptz
  )`.execute(db);
  await sql`create index api_tokens_user_idx on api_tokens (user_id)`.execute(db);

  await sql`create table login_throttle (
    key text primary key,
    failures integer not null default 0,
    window_started_at timestamptz not null default now(),
    locked_until timestamptz
  )`.execute(db);

  await sql`create table jobs (
    id bigserial primary key,
    kind text not null,
    payload jsonb not null,
    dedupe_key text unique,
    run_at timestamptz not null default now(),
    attempts integer not null default 0,
    max_attempts integer not null default 10,
    locked_by text,
    locked_until timestamptz,
    done_at timestamptz,
    failed_at timestamptz,
    last_error text,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index jobs_ready_idx on jobs (run_at) where done_at is null and failed_at is null`.execute(db);

  await sql`create table audit_chains (
    id text primary key,
    head_seq bigint not null default 0,
    head_hash text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create table audit_events (
    id bigserial primary key,
    chain_id text not null references audit_chains (id),
    seq bigint not null,
    prev_hash text not null,
    hash text not null,
    occurred_at timestamptz not null,
    actor_user_id uuid,
    actor_role text,
    actor_agency_id uuid,
    action text not null,
    entity_type text not null,
    entity_id text,
    values_hash text,
    unique (chain_id, seq)
  )`.execute(db);
  await sql`create index audit_events_entity_idx on audit_events (entity_type, entity_id, id desc)`.execute(db);
  await sql`create index audit_events_actor_idx on audit_events (actor_user_id, id desc)`.execute(db);
  // Personal values live outside the chained rows so they can be erased
  // (anonymisation) while the chain, which holds only their hash, still verifies.
  await sql`create table audit_values (
    event_id bigint primary key references audit_events (id),
    data jsonb,
    erased_at timestamptz,
    check ((data is null) = (erased_at is not null))
  )`.execute(db);
  await sql`create table audit_anchors (
    id bigserial primary key,
    created_at timestamptz not null default now(),
    heads jsonb not null,
    prev_hash text not null,
    hash text not null
  )`.execute(db);

  // The audit trail is append-only: the database itself refuses changes.
  await sql`create function audit_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit trail is append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create function audit_values_erase_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and new.data is null and new.erased_at is not null
         and old.data is not null and new.event_id = old.event_id then
        return new;
      end if;
      raise exception 'audit values can only be erased, not changed: % refused', tg_op
        using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  for (const table of ['audit_events', 'audit_anchors']) {
    await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function audit_refuse_change()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.table(table)}
      for each statement execute function audit_refuse_change()`.execute(db);
  }
  await sql`create trigger audit_values_erase_only before update or delete on audit_values
    for each row execute function audit_values_erase_only()`.execute(db);
  await sql`create trigger audit_values_no_truncate before truncate on audit_values
    for each statement execute function audit_refuse_change()`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('the foundation migration cannot be undone');
}
