import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A PostgreSQL `date`, read as YYYY-MM-DD (the type parser is set where the database is opened). */
type DateString = string;

/** Tables of migration 0003: missions, nationality verification, identity evidence. */
export interface IdentificationTables {
  missions: MissionTable;
  verification_requests: VerificationRequestTable;
  verification_items: VerificationItemTable;
  identity_evidence: IdentityEvidenceTable;
  tracing_requests: TracingRequestTable;
  match_candidates: MatchCandidateTable;
}

export interface MissionTable {
  country_code: string;
  agency_id: string | null;
  residency: string;
  accredited_from: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  contact_name: string | null;
  notes: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface VerificationRequestTable {
  id: Generated<string>;
  country_code: string;
  note: string | null;
  due_on: DateString;
  sent_by: string | null;
  sent_at: Generated<Date>;
  answered_at: Date | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface VerificationItemTable {
  request_id: string;
  person_id: string;
  answer: string | null;
  evidence: string | null;
  answered_by: string | null;
  answered_at: Date | null;
  version: Generated<number>;
}

export interface IdentityEvidenceTable {
  id: Generated<string>;
  person_id: string;
  kind: string;
  observed_on: DateString;
  supports: boolean;
  summary: string | null;
  source: string | null;
  laboratory: string | null;
  relative_id: string | null;
  relationship: string | null;
  dna_result: string | null;
  recorded_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface TracingRequestTable {
  id: Generated<string>;
  country_code: string;
  status: Generated<string>;
  sought_names: string[];
  sought_sex: Generated<string>;
  sought_birth_earliest: DateString | null;
  sought_birth_latest: DateString | null;
  sought_birth_text: string | null;
  mother_name: string | null;
  father_name: string | null;
  last_known_place: string | null;
  notes: string | null;
  enquirer_name: string;
  enquirer_relationship: string;
  enquirer_contact: string | null;
  found_person_id: string | null;
  /** Why and when it was closed without a match (migration 0005). */
  closed_reason: string | null;
  closed_at: Date | null;
  filed_by: string | null;
  agency_id: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MatchCandidateTable {
  id: Generated<string>;
  kind: string;
  person_id: string;
  other_person_id: string | null;
  tracing_request_id: string | null;
  probability: number;
  explanation: ColumnType<unknown, string, string>;
  status: Generated<string>;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}
