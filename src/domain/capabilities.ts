import type { Role } from './roles.ts';

/**
 * What each role may use, as the web shell's navigation shows it. The server's
 * policies decide every request; this list only tells the UI which doors exist.
 */
export const CAPABILITIES = [
  'registry',
  'facilities',
  'identification',
  'cases',
  'movements',
  'countries',
  'figures',
  'users',
  'audit',
  'account',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

const BY_ROLE: Readonly<Record<Role, readonly Capability[]>> = {
  coordinator: ['registry', 'facilities', 'identification', 'cases', 'movements', 'countries', 'figures', 'account'],
  judiciary: ['registry', 'cases', 'account'],
  custody: ['registry', 'facilities', 'cases', 'movements', 'account'],
  security: ['registry', 'cases', 'account'],
  embassy: ['registry', 'identification', 'cases', 'movements', 'countries', 'figures', 'account'],
  child_protection: ['registry', 'cases', 'account'],
  admin: ['users', 'countries', 'account'],
  auditor: ['audit', 'account'],
};

export function capabilitiesOf(role: Role): readonly Capability[] {
  return BY_ROLE[role];
}
