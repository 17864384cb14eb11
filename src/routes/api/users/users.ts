import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { createUser } from '../../../commands/userCreator.ts';
import { DomainError, notFound } from '../../../domain/errors.ts';
import { can } from '../../../policies/policy.ts';
import { userPolicy } from '../../../policies/user.ts';
import { presentUser } from '../../../presenters/user.ts';
import { type UserWithAgency, findUserById, selectUsersWithAgency } from '../../../repositories/users.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { ExportFile, MAX_EXPORT_ROWS, exportQueryOf, sendAuditedList, yesNo } from '../list-exports.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, expectedVersion } from '../versioning.ts';
import { CreateUserBody, CreatedUserResponse, UpdateUserBody, UserListQuery, UserSchema } from './schema.ts';

const tags = ['users'];

/** The use case names fields as the CLI does (`country`); the API names them as its body does. */
const BODY_FIELDS: Readonly<Record<string, string>> = { country: 'countryCode', agency: 'agencyId' };
function inBodyFields(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  const details = error.details.map((d) => ({ ...d, path: `body.${BODY_FIELDS[d.path] ?? d.path}` }));
  const first = details[0];
  const message = first ? `${first.path}: ${first.message}` : error.message;
  return new DomainError(error.kind, error.code, message, details, error.retryAfterSeconds);
}

async function lockedUsernames(db: Parameters<RouteModule>[1]['database']['db'], usernames: string[]) {
  if (usernames.length === 0) return new Map<string, Date>();
  const rows = await db
    .selectFrom('login_throttle')
    .select(['key', 'locked_until'])
    .where('key', 'in', usernames.map((u) => `user:${u}`))
    .where('locked_until', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.key.slice(5), r.locked_until as Date]));
}

const UserExportQuery = exportQueryOf(UserListQuery);

/** The users by username, with the list's filter: the same rows for the page and the export. */
function listed(db: Parameters<RouteModule>[1]['database']['db'], role: z.infer<typeof UserListQuery>['role']) {
  const query = selectUsersWithAgency(db).orderBy('u.username');
  return role ? query.where('u.role', '=', role) : query;
}

/** As the list shows them: with whether their login is locked now. */
async function presented(db: Parameters<RouteModule>[1]['database']['db'], users: UserWithAgency[]) {
  const locks = await lockedUsernames(db, users.map((u) => u.username));
  const now = new Date();
  return users.map((u) => presentUser(u, now, locks.get(u.username) ?? null));
}

/** People who log in: administrators list, create, disable them. */
export const userRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/users',
    {
      config: { access: can(userPolicy, 'list') },
      schema: { tags, summary: 'List users, by username', querystring: UserListQuery, response: withErrors({ 200: listSchema(UserSchema) }) },
    },
    async (request) => {
      const { limit, cursor, role } = request.query;
      const after = decodeCursor(cursor, z.tuple([z.string()]));
      let query = listed(db, role).limit(limit + 1);
      if (after) query = query.where('u.username', '>', after[0]);
      const result = page(await query.execute(), limit, (u) => [u.username]);
      return { data: await presented(db, result.data), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/users/export',
    {
      config: { access: can(userPolicy, 'list') },
      schema: { tags, summary: 'Export the users, with the list’s filter (CSV, XLSX or PDF); audited', querystring: UserExportQuery, response: withErrors({ 200: ExportFile }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { format, role } = request.query;
      const rows = await presented(db, await listed(db, role).limit(MAX_EXPORT_ROWS).execute());
      return sendAuditedList(db, reply, actor, {
        action: 'users.exported',
        format,
        filters: { role: role ?? null },
        title: 'Users',
        filename: `homeward-users-${asOf}`,
        asOf,
        rows,
        columns: [
          { header: 'Username', value: (u) => u.username, width: 20 },
          { header: 'Name', value: (u) => u.displayName, width: 22 },
          { header: 'Role', value: (u) => u.role, width: 14 },
          { header: 'Agency', value: (u) => u.agency?.name, width: 22 },
          { header: 'Country', value: (u) => u.countryCode, width: 7 },
          { header: 'Two-factor login', value: (u) => yesNo(u.totpEnabled), width: 12 },
          { header: 'Status', value: (u) => [u.locked && 'locked', u.disabled && 'disabled'].filter(Boolean).join(', ') || 'active', width: 12 },
          { header: 'Created at (UTC)', value: (u) => u.createdAt, type: 'datetime', width: 18 },
        ],
      });
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: can(userPolicy, 'create') },
      schema: { tags, summary: 'Create a user with a one-time password', body: CreateUserBody, response: withErrors({ 201: CreatedUserResponse }) },
    },
    async (request, reply) => {
      const { user, oneTimePassword } = await createUser(db, request.body, actorOf(request)).catch((error: unknown) => {
        throw inBodyFields(error);
      });
      return reply.status(201).send({ user: presentUser(user), oneTimePassword: oneTimePassword ?? '' });
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      config: { access: can(userPolicy, 'read') },
      schema: { tags, summary: 'One user', params: IdParams, response: withErrors({ 200: UserSchema }) },
    },
    async (request, reply) => {
      const user = await findUserById(db, request.params.id);
      if (!user) throw notFound('user');
      const locks = await lockedUsernames(db, [user.username]);
      reply.header('etag', `"${user.version}"`);
      return presentUser(user, new Date(), locks.get(user.username) ?? null);
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: can(userPolicy, 'update') },
      schema: { tags, summary: 'Rename or disable a user (If-Match: version)', params: IdParams, headers: IfMatchHeaders, body: UpdateUserBody, response: withErrors({ 200: UserSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const expected = expectedVersion(request.headers['if-match']);
      const { id } = request.params;
      await db.transaction().execute(async (tx) => {
        const current = await tx.selectFrom('users').select(['version', 'display_name', 'disabled_at']).where('id', '=', id).forUpdate().executeTakeFirst();
        if (!current) throw notFound('user');
        if (current.version !== expected) {
          throw new DomainError('stale', 'version_mismatch', `the user was changed since version ${expected}; it is now version ${current.version}`);
        }
        if (id === actor.userId && request.body.disabled) throw new DomainError('rule', 'cannot_disable_self', 'you cannot disable your own account');
        const changes = {
          ...(request.body.displayName !== undefined ? { display_name: request.body.displayName } : {}),
          ...(request.body.disabled !== undefined ? { disabled_at: request.body.disabled ? new Date() : null } : {}),
        };
        await tx.updateTable('users').set({ ...changes, version: current.version + 1, updated_at: new Date() }).where('id', '=', id).execute();
        if (request.body.disabled) await tx.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
        await recordAudit(tx, {
          action: 'user.updated',
          entityType: 'user',
          entityId: id,
          actor,
          before: { displayName: current.display_name, disabled: current.disabled_at !== null },
          after: request.body,
        });
      });
      const user = await findUserById(db, id);
      if (!user) throw notFound('user');
      return presentUser(user);
    },
  );
};
