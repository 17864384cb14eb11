import { type Expression, type SqlBool, sql } from 'kysely';
import type { Actor } from '../domain/actor.ts';

/**
 * Which people a caller may see, as a SQL condition on `p` (the persons table):
 * scoping happens in the query, never after loading. Deny by default: a role
 * not named here sees no one.
 *
 * - coordinator, judiciary, security: everyone in the registry;
 * - custody: people held now in a facility of the caller's agency;
 * - embassy of X: people who claim or hold X's nationality and are not withheld from it;
 * - child_protection: people who could be under 18 on `asOf`, and their caregivers
 *   (mothers, fathers, guardians, caregivers of such a child).
 */
/** The roles whose scope is the whole registry (`personVisibleTo` is true for them): their queries need no join to the people to test it. */
export function seesEveryone(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'coordinator' || actor.role === 'judiciary' || actor.role === 'security';
}

export function personVisibleTo(actor: Pick<Actor, 'role' | 'agencyId' | 'countryCode'>, asOf: string): Expression<SqlBool> {
  switch (actor.role) {
    case 'coordinator':
    case 'judiciary':
    case 'security':
      return sql<SqlBool>`true`;
    case 'custody':
      return sql<SqlBool>`exists (
        select 1 from custody_episodes ce join facilities f on f.id = ce.facility_id
        where ce.person_id = p.id and ce.released_on is null and f.agency_id = ${actor.agencyId})`;
    case 'embassy':
      return sql<SqlBool>`(not p.withheld_from_embassy and exists (
        select 1 from person_nationalities pn
        where pn.person_id = p.id and pn.country_code = ${actor.countryCode} and pn.status <> 'rejected'))`;
    case 'child_protection':
      return sql<SqlBool>`(p.birth_latest > (${asOf}::date - interval '18 years')::date or exists (
        select 1 from family_links fl join persons c on c.id = fl.relative_id
        where fl.person_id = p.id and fl.relation in ('child', 'ward', 'cared_for')
          and c.birth_latest > (${asOf}::date - interval '18 years')::date))`;
    default:
      return sql<SqlBool>`false`;
  }
}
