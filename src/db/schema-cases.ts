import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A PostgreSQL `date`, read as YYYY-MM-DD. */
type DateString = string;
/** numeric(12,2): read as text (exact), written as text or number. */
type Money = ColumnType<string, string | number | undefined, string | number>;
type Json = ColumnType<unknown, string | undefined, string>;

/** Tables of migration 0006: countries and diplomacy, repatriation cases and the facts eligibility reads. */
export interface CaseTables {
  country_notifications: CountryNotificationTable;
  country_meetings: CountryMeetingTable;
  meeting_action_items: MeetingActionItemTable;
  country_agreements: CountryAgreementTable;
  cases: CaseTable;
  case_members: CaseMemberTable;
  case_transitions: CaseTransitionTable;
  consent_records: ConsentRecordTable;
  consent_children: ConsentChildTable;
  consent_exemptions: ConsentExemptionTable;
  guardians: GuardianTable;
  legal_assurances: LegalAssuranceTable;
  best_interests_assessments: BestInterestsAssessmentTable;
  best_interests_determinations: BestInterestsDeterminationTable;
  best_interests_panel_members: BestInterestsPanelMemberTable;
  clearances: ClearanceTable;
}

export interface CountryNotificationTable {
  id: Generated<string>;
  country_code: string;
  sent_on: DateString;
  acknowledged_on: DateString | null;
  people_count: number;
  children_count: number;
  file_sha256: string | null;
  channel: string | null;
  note: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface CountryMeetingTable {
  id: Generated<string>;
  country_code: string;
  held_on: DateString;
  place: string | null;
  participants: Generated<string[]>;
  minutes: string | null;
  decisions: Generated<string[]>;
  created_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface MeetingActionItemTable {
  id: Generated<string>;
  meeting_id: string;
  description: string;
  owner: string;
  due_on: DateString | null;
  done_on: DateString | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface CountryAgreementTable {
  id: Generated<string>;
  country_code: string;
  title: string;
  signed_on: DateString | null;
  valid_from: DateString;
  valid_until: DateString | null;
  currency: string;
  fee_per_child: Money;
  fee_per_adult: Money;
  documents_required: Generated<string[]>;
  conditions: string | null;
  /** AgreementCriterion[] (src/eligibility/rules.ts). */
  criteria: Json;
  file_sha256: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  /** Who signed the agreement (migration 0009). */
  signatories: Generated<string[]>;
  /** Data categories the country's embassy receives while the agreement is in force; null: DESIGN.md's default. */
  data_categories: string[] | null;
}

export interface CaseTable {
  id: Generated<string>;
  reference: string;
  country_code: string;
  kind: string;
  state: string;
  held_from: string | null;
  title: string | null;
  opened_by: string | null;
  state_changed_at: Timestamp;
  /** When the retention job anonymised the case and its members (migration 0012). */
  anonymised_at: Generated<Date | null>;
  /**
   * Whether the case's country's embassy sees it: some member is a national of that country, not
   * withheld from the embassy (migration 0018, kept by triggers; decision 0033). Counted by the
   * embassy's case figures; access control reads the members themselves.
   */
  embassy_sees: Generated<boolean>;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CaseMemberTable {
  case_id: string;
  person_id: string;
  role: string;
  joined_at: Generated<Date>;
  left_at: Date | null;
  left_reason: string | null;
  current: Generated<boolean>;
  transfer_agreed: Generated<boolean>;
  eligible: string | null;
  /** The last verdict (EligibilityVerdict), kept for lists and the country view; the case page recomputes. */
  eligibility: Json | null;
  evaluated_at: Date | null;
  /** The day the stored verdict was computed for (migration 0016). */
  evaluated_for: string | null;
}

export interface CaseTransitionTable {
  id: Generated<string>;
  case_id: string;
  transition: string;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  actor_user_id: string | null;
  actor_system: string | null;
  occurred_at: Generated<Date>;
}

export interface ConsentRecordTable {
  id: Generated<string>;
  given_by: string;
  kind: string;
  decided_on: DateString;
  language: string | null;
  witness_user_id: string | null;
  witness_name: string | null;
  file_sha256: string | null;
  note: string | null;
  voided_at: Date | null;
  voided_reason: string | null;
  recorded_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface ConsentChildTable {
  consent_id: string;
  child_id: string;
}

export interface ConsentExemptionTable {
  id: Generated<string>;
  child_id: string;
  reason: string;
  recorded_on: DateString;
  note: string | null;
  file_sha256: string | null;
  withdrawn_at: Date | null;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface GuardianTable {
  id: Generated<string>;
  child_id: string;
  full_name: string;
  relation: string;
  verification: Generated<string>;
  verified_by: string | null;
  contact: string | null;
  address: string | null;
  country_code: string | null;
  superseded_at: Date | null;
  recorded_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface LegalAssuranceTable {
  id: Generated<string>;
  case_id: string;
  person_id: string | null;
  type: string;
  given_on: DateString;
  issuing_authority: string;
  file_sha256: string | null;
  note: string | null;
  withdrawn_at: Date | null;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface BestInterestsAssessmentTable {
  id: Generated<string>;
  child_id: string;
  kind: string;
  assessed_on: DateString;
  summary: string | null;
  recommendation: string | null;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface BestInterestsDeterminationTable {
  id: Generated<string>;
  child_id: string;
  status: string;
  outcome: string;
  decided_on: DateString;
  recommendation: string | null;
  reasoning: string | null;
  dissent: string | null;
  review_on: DateString | null;
  superseded_at: Date | null;
  recorded_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface BestInterestsPanelMemberTable {
  determination_id: string;
  position: number;
  name: string;
  role: string | null;
  undertaking_signed_on: DateString;
}

export interface ClearanceTable {
  id: Generated<string>;
  case_id: string;
  person_id: string;
  agency: string;
  decision: string;
  decided_on: DateString;
  valid_until: DateString | null;
  conditions: Generated<string[]>;
  reasons: string | null;
  decided_by: string | null;
  created_at: CreatedAt;
}
