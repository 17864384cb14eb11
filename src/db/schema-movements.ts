import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A PostgreSQL `date`, read as YYYY-MM-DD. */
type DateString = string;
/** numeric: read as exact text, written as text. */
type Decimal = ColumnType<string, string, string>;
type Json = ColumnType<unknown, string | undefined, string>;

/** Tables of migrations 0007 (movements, manifests, escorts, medical fitness, handovers, invoices and payments) and 0008 (the manifest as sent). */
export interface MovementTables {
  movements: MovementTable;
  movement_escorts: MovementEscortTable;
  movement_passengers: MovementPassengerTable;
  movement_events: MovementEventTable;
  medical_assessments: MedicalAssessmentTable;
  handovers: HandoverTable;
  invoices: InvoiceTable;
  invoice_lines: InvoiceLineTable;
  payments: PaymentTable;
}

export interface MovementTable {
  id: Generated<string>;
  reference: string;
  kind: string;
  mode: string;
  country_code: string | null;
  from_place: string;
  to_place: string;
  carrier: string | null;
  flight_number: string | null;
  departure_date: DateString;
  capacity: number;
  to_facility_id: string | null;
  status: Generated<string>;
  notes: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** The manifest as sent to the home country when it locked (`files`); null while it is not locked. */
  sent_manifest_sha256: string | null;
  sent_manifest_at: Date | null;
}

export interface MovementEscortTable {
  id: Generated<string>;
  movement_id: string;
  name: string;
  role: string;
  organisation: string | null;
  created_at: CreatedAt;
}

export interface MovementPassengerTable {
  movement_id: string;
  person_id: string;
  case_id: string | null;
  escort_id: string | null;
  active: Generated<boolean>;
  added_at: Generated<Date>;
  removed_at: Date | null;
}

export interface MovementEventTable {
  id: Generated<string>;
  movement_id: string;
  transition: string;
  from_status: string;
  to_status: string;
  reason: string | null;
  checks: Json | null;
  /** A lock: the manifest it stored as sent (kept after an unlock). */
  manifest_sha256: string | null;
  actor_user_id: string | null;
  occurred_at: Generated<Date>;
}

export interface MedicalAssessmentTable {
  id: Generated<string>;
  person_id: string;
  assessed_on: DateString;
  fit: boolean;
  notes: string | null;
  assessed_by: string | null;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface HandoverTable {
  id: Generated<string>;
  movement_id: string;
  person_id: string;
  received_by: string;
  receiving_authority: string | null;
  received_at: Date;
  receipt_sha256: string | null;
  recorded_by: string | null;
  created_at: CreatedAt;
}

export interface InvoiceTable {
  id: Generated<string>;
  number: string;
  movement_id: string;
  country_code: string;
  agreement_id: string | null;
  currency: string;
  issued_on: DateString;
  due_on: DateString;
  total: Decimal;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  created_by: string | null;
  version: Generated<number>;
  created_at: CreatedAt;
}

export interface InvoiceLineTable {
  invoice_id: string;
  position: number;
  description: string;
  count: number;
  unit_amount: Decimal;
  amount: Decimal;
}

export interface PaymentTable {
  id: Generated<string>;
  invoice_id: string;
  received_on: DateString;
  amount: Decimal;
  reference: string | null;
  note: string | null;
  recorded_by: string | null;
  created_at: CreatedAt;
}
