import type { Actor } from '../domain/actor.ts';
import { definePolicy, roleIs } from './policy.ts';

/**
 * Facilities and their occupancy are seen by the agencies that work with people in custody;
 * the prison administration manages its own facilities, the coordinator any.
 */
export const facilityPolicy = definePolicy('facilities', {
  list: roleIs('coordinator', 'custody', 'judiciary', 'security', 'child_protection'),
  read: roleIs('coordinator', 'custody', 'judiciary', 'security', 'child_protection'),
  create: roleIs('coordinator', 'custody'),
  update: roleIs('coordinator', 'custody'),
});

/** A custody officer changes only the facilities of their own agency. */
export function mayManageFacility(actor: Actor, facilityAgencyId: string | null): boolean {
  return actor.role === 'coordinator' || (actor.role === 'custody' && actor.agencyId !== null && actor.agencyId === facilityAgencyId);
}
