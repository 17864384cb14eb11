import { capabilitiesOf } from '../domain/capabilities.ts';
import type { Locale, Role } from '../domain/roles.ts';
import type { UserWithAgency } from '../repositories/users.ts';

/** The signed-in person as the web shell sees them. */
export function presentSessionUser(user: UserWithAgency) {
  const role = user.role as Role;
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role,
    agency: user.agency_id ? { id: user.agency_id, name: user.agency_name ?? '' } : null,
    countryCode: user.country_code,
    locale: user.locale as Locale,
    totpEnabled: user.totp_secret !== null,
    totpEnrollmentRequired: user.role_requires_totp && user.totp_secret === null,
    mustChangePassword: user.must_change_password,
    capabilities: [...capabilitiesOf(role)],
  };
}
export type SessionUser = ReturnType<typeof presentSessionUser>;

/** A user as an administrator sees them in the list: never a hash or a secret. */
export function presentUser(user: UserWithAgency, now = new Date(), lockedUntil: Date | null = null) {
  return {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role as Role,
    agency: user.agency_id ? { id: user.agency_id, name: user.agency_name ?? '' } : null,
    countryCode: user.country_code,
    totpEnabled: user.totp_secret !== null,
    locked: lockedUntil !== null && lockedUntil > now,
    disabled: user.disabled_at !== null,
    version: user.version,
    createdAt: user.created_at.toISOString(),
  };
}
