import { z } from 'zod';
import { CountryCodeSchema } from '../../../domain/roles.ts';
import { ListQuery } from '../../../server/pagination.ts';
import { Text } from '../schemas.ts';

export const FACILITY_KINDS = ['prison', 'juvenile_facility', 'camp', 'other'] as const;

export const FacilitySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(FACILITY_KINDS),
    holdingAuthority: z.string(),
    agency: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    countryCode: z.string(),
    capacity: z.number().int(),
    occupancy: z.number().int().describe('people held there now, derived from custody episodes'),
    overCapacity: z.boolean(),
    version: z.number().int(),
  })
  .meta({ id: 'Facility' });

export const FacilityListQuery = ListQuery.extend({
  kind: z.enum(FACILITY_KINDS).optional(),
  overCapacity: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const CreateFacilityBody = z.strictObject({
  name: Text(200),
  kind: z.enum(FACILITY_KINDS),
  holdingAuthority: Text(200),
  agencyId: z.uuid().optional().describe('the agency whose custody officers manage it; defaults to the caller’s'),
  countryCode: CountryCodeSchema,
  capacity: z.number().int().min(0).max(1_000_000),
});

export const UpdateFacilityBody = z.strictObject({
  name: Text(200).optional(),
  kind: z.enum(FACILITY_KINDS).optional(),
  holdingAuthority: Text(200).optional(),
  capacity: z.number().int().min(0).max(1_000_000).optional(),
});
