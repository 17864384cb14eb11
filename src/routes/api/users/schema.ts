import { z } from 'zod';
import { CountryCodeSchema, RoleSchema } from '../../../domain/roles.ts';
import { ListQuery } from '../../../server/pagination.ts';
import { Text } from '../schemas.ts';

export const UserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    agency: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    countryCode: z.string().nullable(),
    totpEnabled: z.boolean(),
    locked: z.boolean(),
    disabled: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export const UserListQuery = ListQuery.extend({ role: RoleSchema.optional() });

export const CreateUserBody = z.strictObject({
  username: z.string().trim().min(2).max(63),
  displayName: Text(200).optional(),
  role: RoleSchema,
  agencyId: z.uuid().optional(),
  countryCode: CountryCodeSchema.optional(),
});

export const CreatedUserResponse = z.object({
  user: UserSchema,
  oneTimePassword: z.string().describe('shown once; the person must change it'),
});

export const UpdateUserBody = z.strictObject({
  displayName: Text(200).optional(),
  disabled: z.boolean().optional(),
});
