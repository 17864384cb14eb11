import { z } from 'zod';
import { verifyAuditTrail } from '../../../audit/verify.ts';
import { auditEventPolicy } from '../../../policies/audit-event.ts';
import { can } from '../../../policies/policy.ts';
import type { RouteModule } from '../../../server/context.ts';
import { ListQuery, decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { withErrors } from '../schemas.ts';

const AuditEventSchema = z
  .object({
    id: z.string(),
    chainId: z.string(),
    seq: z.number().int(),
    occurredAt: z.string(),
    actor: z.object({ userId: z.uuid(), username: z.string().nullable(), role: z.string().nullable() }).nullable(),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent', description: 'An event of the audit trail; the values it refers to are not shown' });

const AuditQuery = ListQuery.extend({
  entityType: z.string().trim().min(1).max(64).optional(),
  entityId: z.string().trim().min(1).max(100).optional(),
  actorUserId: z.uuid().optional(),
});

const VerifyResponse = z.object({
  ok: z.boolean(),
  chains: z.number().int(),
  eventsChecked: z.number().int(),
  anchorsChecked: z.number().int(),
  problem: z.string().nullable(),
});

const tags = ['audit'];

/** The auditor's view of the trail: who did what to which record, newest first. */
export const auditEventRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/audit-events',
    {
      config: { access: can(auditEventPolicy, 'list') },
      schema: { tags, summary: 'Audit events, newest first', querystring: AuditQuery, response: withErrors({ 200: listSchema(AuditEventSchema) }) },
    },
    async (request) => {
      const { limit, cursor, entityType, entityId, actorUserId } = request.query;
      const before = decodeCursor(cursor, z.tuple([z.number().int()]));
      let query = db
        .selectFrom('audit_events as e')
        .leftJoin('users as u', 'u.id', 'e.actor_user_id')
        .select(['e.id', 'e.chain_id', 'e.seq', 'e.occurred_at', 'e.actor_user_id', 'u.username', 'e.actor_role', 'e.action', 'e.entity_type', 'e.entity_id', 'e.hash'])
        .orderBy('e.id', 'desc')
        .limit(limit + 1);
      if (before) query = query.where('e.id', '<', before[0]);
      if (entityType) query = query.where('e.entity_type', '=', entityType);
      if (entityId) query = query.where('e.entity_id', '=', entityId);
      if (actorUserId) query = query.where('e.actor_user_id', '=', actorUserId);
      const result = page(await query.execute(), limit, (e) => [e.id]);
      return {
        data: result.data.map((e) => ({
          id: String(e.id),
          chainId: e.chain_id,
          seq: e.seq,
          occurredAt: e.occurred_at.toISOString(),
          actor: e.actor_user_id ? { userId: e.actor_user_id, username: e.username, role: e.actor_role } : null,
          action: e.action,
          entityType: e.entity_type,
          entityId: e.entity_id,
          hash: e.hash,
        })),
        nextCursor: result.nextCursor,
      };
    },
  );

  app.post(
    '/api/v1/audit-events/verify',
    {
      config: { access: can(auditEventPolicy, 'verify') },
      schema: { tags, summary: 'Walk every chain and report the first altered, removed or inserted event', response: withErrors({ 200: VerifyResponse }) },
    },
    async () => verifyAuditTrail(db),
  );
};
