import type { Actor } from '../domain/actor.ts';
import { notFound } from '../domain/errors.ts';

/**
 * Whose diplomacy records a caller may see: the coordinator every country's, an
 * embassy its own country's only. Null: no country at all (deny by default).
 */
export function countryScope(actor: Actor): { readonly all: true } | { readonly all: false; readonly code: string | null } {
  if (actor.role === 'coordinator') return { all: true };
  if (actor.role === 'embassy') return { all: false, code: actor.countryCode };
  return { all: false, code: null };
}

/** A country the caller may look at, or 404 (never a 403 that would say the page exists). */
export function assertCountryVisible(actor: Actor, countryCode: string, what = 'country'): void {
  const scope = countryScope(actor);
  if (!scope.all && scope.code !== countryCode) throw notFound(what);
}
