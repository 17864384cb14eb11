import { z } from 'zod';
import { CAPABILITIES } from '../../../domain/capabilities.ts';
import { LocaleSchema, RoleSchema } from '../../../domain/roles.ts';

export const LoginBody = z.strictObject({
  username: z.string().trim().min(1, 'is required').max(100),
  password: z.string().min(1, 'is required').max(1024),
  totp: z.string().trim().regex(/^\d{6}$/, 'must be the six digits from your authenticator app').optional(),
});

export const SessionUserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: RoleSchema,
    agency: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    countryCode: z.string().nullable(),
    locale: LocaleSchema,
    totpEnabled: z.boolean(),
    totpEnrollmentRequired: z.boolean(),
    mustChangePassword: z.boolean().describe('signed in with a one-time password: PUT /auth/password before anything else'),
    capabilities: z.array(z.enum(CAPABILITIES)),
  })
  .meta({ id: 'SessionUser' });

export const SessionBody = z.object({ user: SessionUserSchema, csrfToken: z.string() });
export const PasswordBody = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(1024),
  newPassword: z.string().min(1, 'is required').max(256),
});
export const PreferencesBody = z.strictObject({ locale: LocaleSchema });
export const TotpSetupBody = z.strictObject({});
export const TotpSetupResponse = z.object({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string() });
export const TotpEnableBody = z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'must be six digits') });
export const UserOnly = z.object({ user: SessionUserSchema });
