import { z } from 'zod';
import { BirthDateInputSchema, IsoDateSchema, PERSON_KINDS } from '../../../domain/birth-date.ts';
import { SEXES, VITAL_STATUSES, VulnerabilitySchema } from '../../../domain/person.ts';
import { CountryCodeSchema } from '../../../domain/roles.ts';
import { ListQuery } from '../../../server/pagination.ts';
import { Text } from '../schemas.ts';

const Age = z.coerce.number().int().min(0).max(120);

export const PersonSearchQuery = ListQuery.extend({
  q: Text(200).optional().describe('a name in any script: Arabic, Cyrillic or Latin; typos tolerated'),
  nationality: CountryCodeSchema.optional(),
  facilityId: z.uuid().optional(),
  kind: z.enum(PERSON_KINDS).optional(),
  sex: z.enum(SEXES).optional(),
  ageMin: Age.optional(),
  ageMax: Age.optional(),
  legalStatus: z.enum(['none', 'pending', 'convicted', 'acquitted']).optional().describe('only for roles that see legal data'),
}).refine((q) => q.ageMin === undefined || q.ageMax === undefined || q.ageMin <= q.ageMax, { message: 'must not be above ageMax', path: ['ageMin'] });

const Json = z.record(z.string(), z.unknown());
export const PersonSchema = Json.meta({ id: 'Person', description: 'A person, with only the fields of data categories the caller may see' });
export const PersonListItemSchema = Json.meta({ id: 'PersonListItem' });

export const UpdatePersonBody = z.strictObject({
  sex: z.enum(SEXES).optional(),
  birthDate: BirthDateInputSchema.optional(),
  vitalStatus: z.enum(VITAL_STATUSES).optional(),
  vitalDate: IsoDateSchema.nullable().optional(),
  vulnerability: VulnerabilitySchema.partial().optional(),
  withheldFromEmbassy: z.boolean().optional(),
  crimesAgainstHumanity: z.boolean().optional(),
  securityNotes: z.string().trim().max(4000).nullable().optional(),
  reason: z.string().trim().max(500).optional().describe('why, for the audit trail'),
});
