import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** The database as the application sees it. Migrations define it; this file mirrors them. */
import type { CaseTables } from './schema-cases.ts';
import type { IdentificationTables } from './schema-identification.ts';
import type { MovementTables } from './schema-movements.ts';

export interface DB extends IdentificationTables, CaseTables, MovementTables {
  countries: CountryTable;
  agencies: AgencyTable;
  users: UserTable;
  role_settings: RoleSettingTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  login_throttle: LoginThrottleTable;
  jobs: JobTable;
  audit_chains: AuditChainTable;
  audit_events: AuditEventTable;
  audit_values: AuditValueTable;
  audit_anchors: AuditAnchorTable;
  files: FileTable;
  facilities: FacilityTable;
  persons: PersonTable;
  person_names: PersonNameTable;
  person_nationalities: PersonNationalityTable;
  identity_documents: IdentityDocumentTable;
  photos: PhotoTable;
  family_links: FamilyLinkTable;
  custody_episodes: CustodyEpisodeTable;
  proceedings: ProceedingTable;
  person_figures: PersonFigureTable;
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** One row per person counted in the figures, kept by triggers (migration 0013); never written by the application. */
export interface PersonFigureTable {
  person_id: string;
  nat: string | null;
  claims: string[];
  withheld: boolean;
  birth_latest: DateString;
  returned_on: DateString | null;
  on_case: boolean;
  held_since: DateString | null;
  held_in: string | null;
}

export interface CountryTable {
  code: string;
  alpha2: string;
  numeric_code: string;
  name_en: string;
  name_ar: string;
  name_ru: string;
  name_fr: string;
}

export interface AgencyTable {
  id: Generated<string>;
  name: string;
  kind: string;
  country_code: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UserTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  role: string;
  agency_id: string | null;
  country_code: string | null;
  password_hash: string;
  password_changed_at: Timestamp;
  must_change_password: Generated<boolean>;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  locale: Generated<string>;
  disabled_at: Date | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RoleSettingTable {
  role: string;
  totp_required: boolean;
  version: Generated<number>;
  updated_at: Timestamp;
}

export interface SessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  secret_hash: string;
  scopes: string[];
  created_at: CreatedAt;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: Date | null;
}

export interface JobTable {
  id: Generated<number>;
  kind: string;
  payload: unknown;
  dedupe_key: string | null;
  run_at: Timestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Date | null;
  done_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
  created_at: CreatedAt;
}

export interface AuditChainTable {
  id: string;
  head_seq: number;
  head_hash: string;
  created_at: CreatedAt;
}

export interface AuditEventTable {
  id: Generated<number>;
  chain_id: string;
  seq: number;
  prev_hash: string;
  hash: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_role: string | null;
  actor_agency_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  values_hash: string | null;
}

export interface AuditValueTable {
  event_id: number;
  data: unknown;
  erased_at: Date | null;
}

export interface AuditAnchorTable {
  id: Generated<number>;
  created_at: CreatedAt;
  heads: unknown;
  prev_hash: string;
  hash: string;
}

export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type AgencyRow = Selectable<AgencyTable>;

/** Dates without time travel as 'YYYY-MM-DD' strings in both directions. */
type DateString = string;

export interface FileTable {
  sha256: string;
  content_type: string;
  size_bytes: number;
  data: Uint8Array;
  created_at: CreatedAt;
}

export interface FacilityTable {
  id: Generated<string>;
  name: string;
  kind: string;
  holding_authority: string;
  agency_id: string | null;
  country_code: string;
  capacity: number;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PersonTable {
  id: Generated<string>;
  external_ref: string | null;
  display_name: string;
  sex: string;
  birth_precision: string;
  birth_earliest: DateString;
  birth_latest: DateString;
  birth_text: string | null;
  vital_status: Generated<string>;
  vital_date: DateString | null;
  withheld_from_embassy: Generated<boolean>;
  /** Set when a person confirms this registration repeats another (migration 0004). */
  duplicate_of: Generated<string | null>;
  /** The record this one was merged into, and when (migration 0005); a merged record is kept for its history. */
  merged_into: Generated<string | null>;
  merged_at: Generated<Date | null>;
  /** A concern that the person could face persecution or the death penalty at home (migration 0006). */
  non_refoulement_concern: Generated<boolean>;
  non_refoulement_note: string | null;
  unaccompanied: Generated<boolean>;
  separated: Generated<boolean>;
  orphan: Generated<boolean>;
  medical_needs: Generated<boolean>;
  welfare_notes: string | null;
  crimes_against_humanity: Generated<boolean>;
  security_notes: string | null;
  search_keys: Generated<string[]>;
  search_text: Generated<string>;
  /** When the retention job anonymised the record (migration 0012); null while it holds personal data. */
  anonymised_at: Generated<Date | null>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PersonNameTable {
  id: Generated<string>;
  person_id: string;
  kind: string;
  script: string;
  given_name: string | null;
  father_name: string | null;
  grandfather_name: string | null;
  family_name: string | null;
  full_name: string;
  latin: string;
  created_at: CreatedAt;
}

export interface PersonNationalityTable {
  person_id: string;
  country_code: string;
  status: string;
  source: string | null;
  decided_at: Date | null;
  /** The person's display name, kept equal by triggers (migration 0010): lists of one nationality in name order. */
  display_name: Generated<string>;
}

export interface IdentityDocumentTable {
  id: Generated<string>;
  person_id: string;
  kind: string;
  country_code: string | null;
  number: string | null;
  holder_name_icao: string | null;
  issued_on: DateString | null;
  expires_on: DateString | null;
  file_sha256: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface PhotoTable {
  id: Generated<string>;
  person_id: string;
  file_sha256: string;
  taken_on: DateString | null;
  created_at: CreatedAt;
}

export interface FamilyLinkTable {
  id: Generated<string>;
  person_id: string;
  relative_id: string;
  relation: string;
  verification: string;
  confidence: ColumnType<string, number | string, number | string>;
  pair_id: string;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface CustodyEpisodeTable {
  id: Generated<string>;
  person_id: string;
  facility_id: string;
  admitted_on: DateString;
  released_on: DateString | null;
  release_reason: string | null;
  notes: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface ProceedingTable {
  id: Generated<string>;
  person_id: string;
  charge: string;
  charge_text: string | null;
  act_date: DateString | null;
  court: string | null;
  stage: string;
  verdict: string;
  verdict_date: DateString | null;
  sentence: unknown;
  sentence_start: DateString | null;
  release_date: DateString | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}
