import { z } from 'zod';
import { BirthDateInputSchema, IsoDateSchema } from './birth-date.ts';
import type { Category } from './categories.ts';
import { CountryCodeSchema } from './roles.ts';

/** One name as recorded: in its script, in parts where the parts are known. */
const NamePart = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => !/[\u0000-\u001f\u007f<>]/.test(v), 'must not contain control characters or < >');

export const NAME_KINDS = ['primary', 'alias', 'kunya', 'birth'] as const;

export const NameInputSchema = z
  .strictObject({
    kind: z.enum(NAME_KINDS).default('primary'),
    givenName: NamePart.optional(),
    fatherName: NamePart.optional(),
    grandfatherName: NamePart.optional(),
    familyName: NamePart.optional(),
    fullName: NamePart.pipe(z.string().max(300)).optional().describe('the whole name as written; built from the parts when absent'),
  })
  .refine((n) => n.fullName || n.givenName || n.familyName, { message: 'give fullName, or at least givenName or familyName', path: ['fullName'] });
export type NameInput = z.output<typeof NameInputSchema>;

/** Arabic order: given, father's, grandfather's, then family name. */
export function assembleFullName(name: NameInput): string {
  return name.fullName ?? [name.givenName, name.fatherName, name.grandfatherName, name.familyName].filter(Boolean).join(' ');
}

export const SEXES = ['female', 'male', 'unknown'] as const;
export const VITAL_STATUSES = ['alive', 'deceased', 'executed'] as const;
export const NATIONALITY_STATUSES = ['claimed', 'verified', 'rejected'] as const;

export const NationalityInputSchema = z.strictObject({
  countryCode: CountryCodeSchema,
  status: z.enum(['claimed', 'verified']).default('claimed'),
});

export const VulnerabilitySchema = z.strictObject({
  unaccompanied: z.boolean().default(false),
  separated: z.boolean().default(false),
  orphan: z.boolean().default(false),
  medicalNeeds: z.boolean().default(false),
  notes: z.string().trim().max(2000).optional(),
});

export const NewPersonSchema = z
  .strictObject({
    externalRef: z.string().trim().min(1).max(100).optional().describe('an id from the source (a spreadsheet row); re-imports match on it'),
    sex: z.enum(SEXES),
    birthDate: BirthDateInputSchema,
    names: z.array(NameInputSchema).min(1).max(20),
    nationalities: z.array(NationalityInputSchema).max(5).default([]),
    vitalStatus: z.enum(VITAL_STATUSES).default('alive'),
    vitalDate: IsoDateSchema.optional(),
    vulnerability: VulnerabilitySchema.optional(),
    withheldFromEmbassy: z.boolean().default(false),
    custody: z.strictObject({ facilityId: z.uuid(), admittedOn: IsoDateSchema }).optional(),
  })
  .refine((p) => p.names.filter((n) => n.kind === 'primary').length <= 1, { message: 'at most one primary name', path: ['names'] })
  .refine((p) => p.vitalStatus !== 'alive' || p.vitalDate === undefined, { message: 'only for a person who died', path: ['vitalDate'] });
export type NewPerson = z.output<typeof NewPersonSchema>;

/**
 * Which data category each field of a person belongs to. The presenter keeps
 * only fields whose category the caller may see; a field missing here is never sent.
 */
export const PERSON_FIELD_CATEGORIES = {
  id: 'always',
  version: 'always',
  displayName: 'identity',
  latinName: 'identity',
  kind: 'identity',
  sex: 'identity',
  birthDate: 'identity',
  age: 'identity',
  vitalStatus: 'identity',
  vitalDate: 'identity',
  names: 'identity',
  nationalities: 'identity',
  documents: 'identity',
  photos: 'identity',
  externalRef: 'identity',
  identityConfidence: 'identity',
  duplicateOf: 'identity',
  mergedInto: 'identity',
  mergedAt: 'identity',
  mergedFrom: 'identity',
  evidence: 'identity',
  family: 'family',
  custody: 'custody',
  currentFacility: 'custody',
  proceedings: 'legal',
  vulnerability: 'welfare',
  withheldFromEmbassy: 'case_status',
  crimesAgainstHumanity: 'security',
  securityNotes: 'security',
} as const satisfies Record<string, Category | 'always'>;
