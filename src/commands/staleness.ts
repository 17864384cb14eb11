import type { Executor } from '../db/database.ts';
import { DomainError } from '../domain/errors.ts';

/**
 * The 412 for a write based on an old version, saying who changed the record
 * and when (from the audit trail), so the clerk knows whom to ask. `actions` are
 * the audited actions that give the record a new version: other events about the
 * same entity (a family link, a custody move) must not be named as the change.
 */
export async function staleVersion(
  db: Executor,
  entityType: string,
  entityId: string,
  sent: number,
  current: number,
  actions: readonly string[] = [`${entityType}.created`, `${entityType}.updated`],
): Promise<DomainError> {
  const last = await db
    .selectFrom('audit_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.action', 'e.occurred_at', 'u.username', 'u.display_name'])
    .where('e.entity_type', '=', entityType)
    .where('e.entity_id', '=', entityId)
    .where('e.action', 'in', [...actions])
    .orderBy('e.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const who = last ? ` by ${last.display_name ?? last.username ?? 'the system'} (${last.action}) at ${last.occurred_at.toISOString()}` : '';
  return new DomainError(
    'stale',
    'version_mismatch',
    `this ${entityType} was changed${who}: you sent version ${sent}, it is now version ${current}. Reload it and make your change again.`,
  );
}
