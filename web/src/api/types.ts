/** Shapes of the server's JSON (see the API contract under /api/v1). */

export const ROLES = [
  'coordinator',
  'judiciary',
  'custody',
  'security',
  'embassy',
  'child_protection',
  'admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const LOCALES = ['en', 'ar', 'ru', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export interface AgencyRef {
  readonly id: string;
  readonly name: string;
}

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly agency: AgencyRef | null;
  readonly countryCode: string | null;
  readonly locale: Locale;
  readonly totpEnabled: boolean;
  readonly totpEnrollmentRequired: boolean;
  /** Signed in with a one-time password: PUT /auth/password before anything else. */
  readonly mustChangePassword?: boolean;
  readonly capabilities: readonly string[];
}

export interface Session {
  readonly user: User;
  readonly csrfToken: string;
}

export interface Page<T> {
  readonly data: readonly T[];
  readonly nextCursor: string | null;
}

export interface TotpSetup {
  readonly secret: string;
  readonly otpauthUrl: string;
  /** A data: URL of an SVG image. */
  readonly qrSvg: string;
}

export interface UserListItem {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly agency: AgencyRef | null;
  readonly countryCode: string | null;
  readonly totpEnabled: boolean;
  readonly locked: boolean;
  readonly disabled: boolean;
  readonly createdAt: string;
}

export interface NewUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly agencyId?: string;
  readonly countryCode?: string;
}

export interface CreatedUser {
  readonly user: UserListItem;
  readonly oneTimePassword: string;
}

export interface Agency {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly countryCode: string | null;
}

export interface Country {
  readonly code: string;
  readonly names: Readonly<Record<Locale, string>>;
}

export interface RoleSetting {
  readonly role: Role;
  readonly totpRequired: boolean;
}

export interface AuditEvent {
  readonly id: string;
  readonly chainId: string;
  readonly seq: number;
  readonly occurredAt: string;
  readonly actor: { readonly userId: string; readonly username: string; readonly role: Role } | null;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string | null;
  readonly hash: string;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly chains: number;
  readonly eventsChecked: number;
  readonly problem: string | null;
}
