import { z } from 'zod';
import type { AgreementCriterion } from '../eligibility/rules.ts';
import type { IsoDate } from './birth-date.ts';

/** What a country agreed to and what it was told: pure rules and the shapes of their data (no I/O). */

/** ISO 4217: three capitals. */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code in capitals, e.g. USD');

/** An amount of money as exact decimal text (never a float): 400, 400.5 or 400.00; at most 10 digits before the point. */
export const MoneySchema = z
  .string()
  .regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be an amount written like 400 or 400.00, with at most 2 decimals')
  .describe('exact decimal text, e.g. "400.00"');

/** A document kind, as identity documents name them: birth_certificate, passport, national_id… */
export const DocumentKindSchema = z.string().regex(/^[a-z][a-z0-9_]{1,59}$/, 'must be a document kind in snake_case, e.g. birth_certificate');

const AppliesTo = z.enum(['children', 'adults', 'everyone']).optional().describe('default: everyone for a document, children otherwise');

/** An extra eligibility criterion an agreement adds (src/eligibility/rules.ts AgreementCriterion), as data. */
export const AgreementCriterionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('document_required'), document: DocumentKindSchema, appliesTo: AppliesTo }),
  z.strictObject({ kind: z.literal('max_age'), years: z.number().int('must be whole years').min(0).max(120), appliesTo: AppliesTo }),
  z.strictObject({ kind: z.literal('guardian_relative'), appliesTo: AppliesTo }),
]);
// The schema and the eligibility engine's type must agree, both ways.
type Parsed = z.output<typeof AgreementCriterionSchema>;
const toEngine = (c: Parsed): AgreementCriterion => c;
const fromEngine = (c: AgreementCriterion): Parsed => c;
void toEngine;
void fromEngine;

/** Criteria read back from the database; anything that no longer parses is left out, not guessed at. */
export function parseCriteria(value: unknown): AgreementCriterion[] {
  const raw = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c) => {
    const parsed = AgreementCriterionSchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
}

/** An agreement is in force on a day from valid_from to valid_until, both included. */
export const inForceOn = (a: { readonly validFrom: IsoDate; readonly validUntil: IsoDate | null }, day: IsoDate): boolean =>
  a.validFrom <= day && (a.validUntil === null || a.validUntil >= day);

/** An action item is overdue when it is not done and its due date has passed. */
export const isActionItemOverdue = (item: { readonly dueOn: IsoDate | null; readonly doneOn: IsoDate | null }, today: IsoDate): boolean =>
  item.doneOn === null && item.dueOn !== null && item.dueOn < today;

/** "400" → "400.00": money as the database keeps it (numeric(12,2)). */
export function normaliseMoney(value: string): string {
  const [whole = '0', fraction = ''] = value.split('.');
  return `${whole.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(2, '0').slice(0, 2)}`;
}
