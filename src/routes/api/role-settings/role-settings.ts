import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { RoleSchema } from '../../../domain/roles.ts';
import { can } from '../../../policies/policy.ts';
import { roleSettingPolicy } from '../../../policies/role-setting.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';

const RoleSettingSchema = z.object({ role: RoleSchema, totpRequired: z.boolean() }).meta({ id: 'RoleSetting' });
const tags = ['role-settings'];

/** Which roles must sign in with a second factor: the administrator decides. */
export const roleSettingRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/role-settings',
    {
      config: { access: can(roleSettingPolicy, 'list') },
      schema: { tags, summary: 'Two-factor requirement per role', response: withErrors({ 200: z.object({ data: z.array(RoleSettingSchema) }) }) },
    },
    async () => {
      const rows = await db.selectFrom('role_settings').select(['role', 'totp_required']).orderBy('role').execute();
      return { data: rows.map((r) => ({ role: RoleSchema.parse(r.role), totpRequired: r.totp_required })) };
    },
  );

  app.put(
    '/api/v1/role-settings/:role',
    {
      config: { access: can(roleSettingPolicy, 'update') },
      schema: {
        tags,
        summary: 'Require (or stop requiring) two-factor login for a role',
        params: z.strictObject({ role: RoleSchema }),
        body: z.strictObject({ totpRequired: z.boolean() }),
        response: withErrors({ 200: RoleSettingSchema }),
      },
    },
    async (request) => {
      const { role } = request.params;
      const { totpRequired } = request.body;
      await db.transaction().execute(async (tx) => {
        const before = await tx.selectFrom('role_settings').select('totp_required').where('role', '=', role).forUpdate().executeTakeFirstOrThrow();
        await tx
          .updateTable('role_settings')
          .set((eb) => ({ totp_required: totpRequired, version: eb('version', '+', 1), updated_at: new Date() }))
          .where('role', '=', role)
          .execute();
        await recordAudit(tx, {
          action: 'role_setting.updated',
          entityType: 'role_setting',
          entityId: role,
          actor: actorOf(request),
          before: { totpRequired: before.totp_required },
          after: { totpRequired },
        });
      });
      return { role, totpRequired };
    },
  );
};
