import { z } from 'zod';
import { IsoDateSchema } from '../../../domain/birth-date.ts';
import { VERIFICATION_ANSWERS } from '../../../domain/identification.ts';
import { ListQuery } from '../../../server/pagination.ts';

const CountryCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code, e.g. TJK');

export const SendVerificationBody = z.strictObject({
  countryCode: CountryCode,
  personIds: z.array(z.uuid()).min(1).max(500),
  dueOn: IsoDateSchema.describe('the date by which the mission is asked to answer'),
  note: z.string().trim().min(1).max(2000).optional(),
});

export const AnswerBody = z.strictObject({
  personId: z.uuid(),
  answer: z.enum(VERIFICATION_ANSWERS),
  evidence: z.string().trim().min(1).max(4000).optional().describe('what the answer rests on: a register entry, an interview, a document'),
});

export const VerificationListQuery = ListQuery.safeExtend({
  state: z.enum(['open', 'overdue', 'answered']).optional().describe('open: someone is unsettled; overdue: open past the due date'),
  countryCode: CountryCode.optional(),
});

const Counts = {
  total: z.number().int(),
  settled: z.number().int(),
  moreInformation: z.number().int(),
};

export const VerificationRequestSchema = z
  .object({
    id: z.uuid(),
    countryCode: z.string(),
    note: z.string().nullable(),
    dueOn: z.string(),
    sentAt: z.string(),
    sentBy: z.string().nullable(),
    answeredAt: z.string().nullable(),
    overdue: z.boolean(),
    version: z.number().int(),
    ...Counts,
  })
  .meta({ id: 'VerificationRequest' });

export const VerificationItemSchema = z.object({
  person: z.object({
    id: z.uuid(),
    displayName: z.string(),
    latinName: z.string(),
    sex: z.string(),
    kind: z.string(),
    birthDate: z.string(),
    age: z.object({ min: z.number(), max: z.number() }).nullable(),
  }),
  answer: z.enum(VERIFICATION_ANSWERS).nullable(),
  evidence: z.string().nullable(),
  answeredAt: z.string().nullable(),
  answeredBy: z.string().nullable(),
});

export const VerificationRequestDetailSchema = VerificationRequestSchema.extend({ items: z.array(VerificationItemSchema) }).meta({ id: 'VerificationRequestDetail' });
