import { z } from 'zod';
import { IsoDateSchema } from '../../../domain/birth-date.ts';
import { ListQuery } from '../../../server/pagination.ts';
import { Text } from '../schemas.ts';

const CountryCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code, e.g. TJK');
const Uuid = z.uuid({ message: 'must be a UUID' });

export const NewMovementBody = z.strictObject({
  kind: z.enum(['repatriation', 'transfer']),
  mode: z.enum(['air', 'land']),
  countryCode: CountryCode.optional().describe('the home country (a repatriation)'),
  fromPlace: Text(200),
  toPlace: Text(200),
  carrier: Text(200).optional(),
  flightNumber: z.string().trim().regex(/^[A-Z0-9 -]{2,20}$/, 'letters, digits, spaces and - only, e.g. "IA 1234"').optional(),
  departureDate: IsoDateSchema,
  capacity: z.number().int('must be a whole number').min(1).max(1000),
  toFacilityId: Uuid.optional().describe('a transfer: the facility where custody continues on arrival'),
  notes: Text(4000).optional(),
});
export const MovementChangesBody = z
  .strictObject({
    carrier: Text(200).nullable().optional(),
    flightNumber: z.string().trim().regex(/^[A-Z0-9 -]{2,20}$/, 'letters, digits, spaces and - only').nullable().optional(),
    departureDate: IsoDateSchema.optional(),
    capacity: z.number().int('must be a whole number').min(1).max(1000).optional(),
    fromPlace: Text(200).optional(),
    toPlace: Text(200).optional(),
    notes: Text(4000).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one field' });
export const EscortBody = z.strictObject({
  name: Text(200),
  role: z.enum(['official', 'medical', 'child_protection', 'security', 'interpreter', 'other']),
  organisation: Text(200).optional(),
});
export const ManifestAddBody = z.strictObject({ caseId: Uuid.optional(), personIds: z.array(Uuid).min(1).max(500).optional() }).refine((v) => (v.caseId ? 1 : 0) + (v.personIds ? 1 : 0) === 1, { message: 'give caseId (a repatriation) or personIds (a transfer)', path: ['caseId'] });
export const ManifestRemoveBody = z.strictObject({ caseId: Uuid.optional(), personId: Uuid.optional(), reason: Text(2000) }).refine((v) => (v.caseId ? 1 : 0) + (v.personId ? 1 : 0) === 1, { message: 'give caseId or personId', path: ['caseId'] });
export const AssignEscortBody = z.strictObject({ escortId: Uuid.nullable() });
export const ReasonBody = z.strictObject({ reason: Text(2000) });
export const HandoverBody = z.strictObject({
  personId: Uuid,
  receivedBy: Text(200).describe('the official who received the person'),
  receivingAuthority: Text(200).optional(),
  receivedAt: z.iso.datetime({ offset: true, message: 'must be a date and time, e.g. 2026-08-14T10:30:00Z' }),
});
export const InvoiceBody = z.strictObject({ issuedOn: IsoDateSchema, dueOn: IsoDateSchema });
export const PaymentBody = z.strictObject({
  receivedOn: IsoDateSchema,
  amount: z.string().trim().regex(/^\d{1,12}(\.\d{1,3})?$/, 'must be an amount, e.g. "12000.00"'),
  reference: Text(200).optional(),
  note: Text(2000).optional(),
});
export const FitnessBody = z.strictObject({ assessedOn: IsoDateSchema, fit: z.boolean(), notes: Text(4000).optional(), assessedBy: Text(200).optional() });
export const MovementListQuery = ListQuery.safeExtend({
  status: z.enum(['planned', 'manifest_locked', 'departed', 'completed', 'cancelled']).optional(),
  countryCode: CountryCode.optional(),
  kind: z.enum(['repatriation', 'transfer']).optional(),
});
export const InvoiceListQuery = ListQuery.safeExtend({ countryCode: CountryCode.optional() });
export const LedgerQuery = z.strictObject({ countryCode: CountryCode.optional(), format: z.enum(['json', 'csv']).default('json') });
export const PassengerParams = z.strictObject({ id: Uuid, personId: Uuid });
export const ManifestPdfQuery = z.strictObject({
  version: z.enum(['live', 'sent']).default('live').describe('live: printed now, for the caller; sent: the bytes kept when the manifest locked, as sent to the home country'),
});
export const EscortParams = z.strictObject({ id: Uuid, escortId: Uuid });
const Json = z.any();
export const MovementSchema = Json.meta({ id: 'Movement', description: 'A movement with its manifest, escorts, the pre-departure checks as they stand, handovers and its history' });
export const InvoiceSchema = Json.meta({ id: 'Invoice', description: 'An invoice with lines, payments, paid and balance (exact decimals as text)' });
