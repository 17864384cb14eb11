import { z } from 'zod';

/** The roles of DESIGN.md: each is one agency's part in the process. */
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
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

export const AGENCY_KINDS = [
  'foreign_ministry',
  'judiciary',
  'justice',
  'security',
  'embassy',
  'child_protection',
  'oversight',
  'administration',
] as const;
export const AgencyKindSchema = z.enum(AGENCY_KINDS);
export type AgencyKind = z.infer<typeof AgencyKindSchema>;

/** The agency kind a role normally belongs to (used when an agency is created on the fly). */
export const AGENCY_KIND_OF_ROLE: Readonly<Record<Role, AgencyKind>> = {
  coordinator: 'foreign_ministry',
  judiciary: 'judiciary',
  custody: 'justice',
  security: 'security',
  embassy: 'embassy',
  child_protection: 'child_protection',
  admin: 'administration',
  auditor: 'oversight',
};

export const LOCALES = ['en', 'ar', 'ru', 'fr'] as const;
export const LocaleSchema = z.enum(LOCALES);
export type Locale = z.infer<typeof LocaleSchema>;

/** ISO 3166-1 alpha-3, upper case. Existence is checked against the countries table. */
export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 3166-1 alpha-3 code in capitals, e.g. RUS');
