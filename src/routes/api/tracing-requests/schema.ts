import { z } from 'zod';
import { BirthDateInputSchema } from '../../../domain/birth-date.ts';
import { ListQuery } from '../../../server/pagination.ts';

const name = z.string().trim().min(1).max(200);

export const TracingRequestBody = z.strictObject({
  countryCode: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code, e.g. RUS').optional().describe('the country whose national is sought (an embassy: its own, by default)'),
  sought: z.strictObject({
    names: z.array(name).min(1).max(10).describe('the names the family knows, in any script, e.g. ["Магомед Алиев", "محمد علييف"]'),
    sex: z.enum(['female', 'male', 'unknown']).default('unknown'),
    birthDate: BirthDateInputSchema.optional().describe('exact, month, year, or estimated (e.g. an age on a date)'),
    motherName: name.optional(),
    fatherName: name.optional(),
    lastKnownPlace: name.optional(),
  }),
  enquirer: z.strictObject({
    name,
    relationship: z.string().trim().min(1).max(100).describe('what the enquirer is to the sought person, e.g. grandmother'),
    contact: z.string().trim().min(1).max(500).optional(),
  }),
  notes: z.string().trim().min(1).max(4000).optional(),
});

export const TracingListQuery = ListQuery.safeExtend({ status: z.enum(['open', 'found', 'closed']).optional() });
export const CloseBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export const TracingRequestSchema = z
  .object({
    id: z.uuid(),
    countryCode: z.string(),
    status: z.enum(['open', 'found', 'closed']),
    sought: z.object({
      names: z.array(z.string()),
      sex: z.string(),
      birthDate: z.string().nullable(),
      motherName: z.string().nullable(),
      fatherName: z.string().nullable(),
      lastKnownPlace: z.string().nullable(),
    }),
    enquirer: z.object({ name: z.string(), relationship: z.string(), contact: z.string().nullable() }),
    notes: z.string().nullable(),
    foundPersonId: z.uuid().nullable(),
    /** Closed without a match: when, and why. */
    closed: z.object({ at: z.string(), reason: z.string() }).nullable(),
    proposedCandidates: z.number().int(),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'TracingRequest' });
