import type { Actor } from '../domain/actor.ts';
import { visibleCategories } from '../domain/categories.ts';
import { DomainError } from '../domain/errors.ts';
import { definePolicy, roleIs } from './policy.ts';

/**
 * The registry. Who may see which person is decided in the query
 * (repositories/person-scope.ts); these rules say who may take which action at all.
 */
export const personPolicy = definePolicy('persons', {
  list: roleIs('coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection'),
  read: roleIs('coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection'),
  create: roleIs('coordinator', 'custody'),
  update: roleIs('coordinator', 'custody', 'security', 'child_protection'),
  updateIdentity: roleIs('coordinator', 'custody'),
  updateWelfare: roleIs('coordinator', 'custody', 'child_protection'),
  updateSecurity: roleIs('security'),
  withhold: roleIs('coordinator'),
  manageFamily: roleIs('coordinator', 'custody', 'child_protection'),
  manageCustody: roleIs('coordinator', 'custody'),
  manageProceedings: roleIs('judiciary'),
  /** Merging two registrations touches every category: the coordinator, deliberately, after the pair is confirmed. */
  merge: roleIs('coordinator'),
});

/** Identity evidence: the coordinator, and an embassy for its own nationals (interviews, documents, DNA of relatives at home). */
export const evidencePolicy = definePolicy('identity-evidence', {
  record: roleIs('coordinator', 'embassy'),
});

/**
 * A filter answers a question about its category: who is convicted (legal), who is held
 * where (custody). A role that does not see the category may not filter by it either, in a
 * list or an export — or the filter would tell it what the projection hides.
 */
export function refuseHiddenFilters(actor: Actor, search: { readonly legalStatus?: unknown; readonly facilityId?: unknown }): void {
  const visible = visibleCategories(actor.role, actor.sharedCategories);
  const refuse = (field: string, what: string) => {
    throw new DomainError('forbidden', 'filter_not_allowed', `query.${field}: your role does not see ${what}`, [{ path: `query.${field}`, message: 'not available for your role' }]);
  };
  if (search.legalStatus !== undefined && !visible.has('legal')) refuse('legalStatus', 'legal data');
  if (search.facilityId !== undefined && !visible.has('custody')) refuse('facilityId', 'where people are held');
}
