import type { Actor } from '../domain/actor.ts';
import { definePolicy, roleIs } from './policy.ts';

/**
 * Movements, manifests, handovers and invoices. Which movements a caller sees is decided
 * in the query (repositories/movements.ts): an embassy only its own country's repatriations.
 */
export const movementPolicy = definePolicy('movements', {
  list: roleIs('coordinator', 'custody', 'embassy'),
  read: roleIs('coordinator', 'custody', 'embassy'),
  plan: roleIs('coordinator'),
  /** Marking departed is done at the gate by the coordinator's officer; the custody agency closes episodes by it. */
  depart: roleIs('coordinator'),
  handOver: roleIs('coordinator', 'embassy'),
  invoice: roleIs('coordinator'),
  invoices: roleIs('coordinator', 'embassy'),
  fitness: roleIs('coordinator', 'custody', 'child_protection'),
});

/** Only the embassy of the movement's country records a handover, besides the coordinator. */
export const handsOverFor = (actor: Actor, countryCode: string | null): boolean => actor.role === 'coordinator' || (actor.role === 'embassy' && actor.countryCode === countryCode);
