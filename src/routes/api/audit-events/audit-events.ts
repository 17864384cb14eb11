import { z } from 'zod';
import { verifyAuditTrail } from '../../../audit/verify.ts';
import { auditEventPolicy } from '../../../policies/audit-event.ts';
import { can } from '../../../policies/policy.ts';
import type { Executor } from '../../../db/database.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { ListQuery, decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { ExportFile, MAX_EXPORT_ROWS, exportQueryOf, sendAuditedList } from '../list-exports.ts';
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
const AuditExportQuery = exportQueryOf(AuditQuery);

/** The events, newest first, with the list's filters: the same rows for the page and the export. */
function listed(db: Executor, { entityType, entityId, actorUserId }: Omit<z.infer<typeof AuditQuery>, 'limit' | 'cursor'>) {
  let query = db
    .selectFrom('audit_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select(['e.id', 'e.chain_id', 'e.seq', 'e.occurred_at', 'e.actor_user_id', 'u.username', 'e.actor_role', 'e.action', 'e.entity_type', 'e.entity_id', 'e.hash'])
    .orderBy('e.id', 'desc');
  if (entityType) query = query.where('e.entity_type', '=', entityType);
  if (entityId) query = query.where('e.entity_id', '=', entityId);
  if (actorUserId) query = query.where('e.actor_user_id', '=', actorUserId);
  return query;
}
type EventRow = Awaited<ReturnType<ReturnType<typeof listed>['executeTakeFirstOrThrow']>>;

/** An event as the auditor sees it: never the values it refers to. */
const present = (e: EventRow) => ({
  id: String(e.id),
  chainId: e.chain_id,
  seq: e.seq,
  occurredAt: e.occurred_at.toISOString(),
  actor: e.actor_user_id ? { userId: e.actor_user_id, username: e.username, role: e.actor_role } : null,
  action: e.action,
  entityType: e.entity_type,
  entityId: e.entity_id,
  hash: e.hash,
});

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
      const { limit, cursor, ...filters } = request.query;
      const before = decodeCursor(cursor, z.tuple([z.number().int()]));
      let query = listed(db, filters).limit(limit + 1);
      if (before) query = query.where('e.id', '<', before[0]);
      const result = page(await query.execute(), limit, (e) => [e.id]);
      return { data: result.data.map(present), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/audit-events/export',
    {
      config: { access: can(auditEventPolicy, 'list') },
      schema: { tags, summary: 'Export the audit events, with the list’s filters, newest first (CSV, XLSX or PDF); the export is itself audited', querystring: AuditExportQuery, response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, entityType, entityId, actorUserId } = request.query;
      const rows = (await listed(db, { entityType, entityId, actorUserId }).limit(MAX_EXPORT_ROWS).execute()).map(present);
      return sendAuditedList(db, reply, actor, {
        action: 'audit_events.exported',
        format,
        filters: { entityType: entityType ?? null, entityId: entityId ?? null, actorUserId: actorUserId ?? null },
        title: 'Audit events',
        filename: `homeward-audit-events-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Event', value: (e) => e.id, width: 8, align: 'left' },
          { header: 'Occurred at (UTC)', value: (e) => e.occurredAt, type: 'datetime', width: 18 },
          { header: 'User', value: (e) => e.actor?.username, width: 20 },
          { header: 'Role', value: (e) => e.actor?.role, width: 12 },
          { header: 'Action', value: (e) => e.action, width: 26 },
          { header: 'Entity type', value: (e) => e.entityType, width: 16 },
          { header: 'Entity', value: (e) => e.entityId, width: 34 },
          { header: 'Chain', value: (e) => e.chainId, width: 14 },
          { header: 'Sequence', value: (e) => e.seq, width: 8, align: 'left' },
          { header: 'Hash', value: (e) => e.hash, pdf: false },
        ],
      });
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
