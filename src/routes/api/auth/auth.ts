import { z } from 'zod';
import { logIn, logOut } from '../../../commands/authenticator.ts';
import { beginTotpEnrollment, completeTotpEnrollment } from '../../../commands/totpEnroller.ts';
import { DomainError } from '../../../domain/errors.ts';
import { PUBLIC, can } from '../../../policies/policy.ts';
import { sessionPolicy } from '../../../policies/session.ts';
import { presentSessionUser } from '../../../presenters/user.ts';
import { findUserById } from '../../../repositories/users.ts';
import { sessionCookieName } from '../../../server/auth-hook.ts';
import { type RouteModule, actorOf, clientOf } from '../../../server/context.ts';
import { withErrors } from '../schemas.ts';
import { changePassword } from '../../../commands/passwordChanger.ts';
import { LoginBody, PasswordBody, PreferencesBody, SessionBody, TotpEnableBody, TotpSetupBody, TotpSetupResponse, UserOnly } from './schema.ts';

const tags = ['auth'];

/** Sign in and out, one's session, language and two-factor enrolment. */
export const authRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  const cookie = sessionCookieName(ctx.config.tls);
  const sessionAccess = (action: 'read' | 'logout' | 'updatePreferences' | 'enrolTotp' | 'changePassword') =>
    can(sessionPolicy, action, { beforeTotpEnrollment: true, sessionOnly: action !== 'read' && action !== 'updatePreferences' });

  const currentUser = async (userId: string) => {
    const user = await findUserById(db, userId);
    if (!user) throw new DomainError('unauthenticated', 'session_expired', 'your session has ended; sign in again');
    return presentSessionUser(user);
  };

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: PUBLIC },
      schema: { tags, summary: 'Sign in; sets the session cookie', body: LoginBody, response: withErrors({ 200: SessionBody }) },
    },
    async (request, reply) => {
      const result = await logIn(db, request.body, clientOf(request), { maxSeconds: ctx.config.sessionMaxSeconds, replacing: request.cookies[cookie] });
      reply.setCookie(cookie, result.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.tls,
        maxAge: ctx.config.sessionMaxSeconds,
      });
      return { user: presentSessionUser(result.user), csrfToken: result.csrfToken };
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { access: sessionAccess('read') },
      schema: { tags, summary: 'The signed-in user and the CSRF token', response: withErrors({ 200: SessionBody }) },
    },
    async (request) => ({ user: await currentUser(actorOf(request).userId), csrfToken: request.csrfToken ?? '' }),
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: sessionAccess('logout') }, schema: { tags, summary: 'End the session', response: withErrors({ 204: z.null() }) } },
    async (request, reply) => {
      if (request.sessionId) await logOut(db, request.sessionId, actorOf(request));
      reply.clearCookie(cookie, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/auth/preferences',
    {
      config: { access: sessionAccess('updatePreferences') },
      schema: { tags, summary: "Remember the user's language", body: PreferencesBody, response: withErrors({ 200: UserOnly }) },
    },
    async (request) => {
      const actor = actorOf(request);
      await db.updateTable('users').set({ locale: request.body.locale }).where('id', '=', actor.userId).execute();
      return { user: await currentUser(actor.userId) };
    },
  );

  app.put(
    '/api/v1/auth/password',
    {
      config: { access: sessionAccess('changePassword') },
      schema: { tags, summary: 'Change my password (required after a one-time password)', body: PasswordBody, response: withErrors({ 200: UserOnly }) },
    },
    async (request) => {
      const actor = actorOf(request);
      await changePassword(db, actor, request.body, request.sessionId);
      return { user: await currentUser(actor.userId) };
    },
  );

  app.post(
    '/api/v1/auth/totp/setup',
    {
      config: { access: sessionAccess('enrolTotp') },
      schema: { tags, summary: 'Start two-factor enrolment: a secret and its QR code', body: TotpSetupBody, response: withErrors({ 200: TotpSetupResponse }) },
    },
    async (request) => beginTotpEnrollment(db, actorOf(request)),
  );

  app.post(
    '/api/v1/auth/totp/enable',
    {
      config: { access: sessionAccess('enrolTotp') },
      schema: { tags, summary: 'Finish two-factor enrolment with a code', body: TotpEnableBody, response: withErrors({ 200: UserOnly}) },
    },
    async (request) => {
      const actor = actorOf(request);
      await completeTotpEnrollment(db, actor, request.body.code);
      return { user: await currentUser(actor.userId) };
    },
  );
};
