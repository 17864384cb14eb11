import { sql } from 'kysely';
import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import {
  ADDRESS_ATTEMPTS_PER_WINDOW,
  ADDRESS_WINDOW_MINUTES,
  FAILURE_WINDOW_MINUTES,
  LOCK_MINUTES,
  MAX_FAILED_LOGINS,
} from '../domain/login-rules.ts';
import type { Role } from '../domain/roles.ts';
import { clearKey, countHit, lockKey, lockedUntil } from '../repositories/throttle.ts';
import { findUserByUsername, type UserWithAgency } from '../repositories/users.ts';
import { verifyPassword } from '../security/passwords.ts';
import { randomToken, sha256Hex } from '../security/tokens.ts';
import { matchTotp } from '../security/totp.ts';
import { openValue } from '../repositories/sealed-fields.ts';

export interface LoginInput {
  readonly username: string;
  readonly password: string;
  readonly totp?: string | undefined;
}

export interface ClientContext {
  readonly ip: string;
  readonly userAgent: string | null;
}

export interface SessionLifetime {
  readonly maxSeconds: number;
  /** The session cookie the browser sent with the login, if any: it ends, replaced by the new one. */
  readonly replacing?: string | undefined;
}

export interface LoggedIn {
  readonly sessionToken: string;
  readonly csrfToken: string;
  readonly user: UserWithAgency;
}

const retryAfter = (until: Date) => Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));

/**
 * Signs a person in: per-address rate limit, per-username lock-out, password,
 * then the TOTP code (never the same step twice). A new session is always made,
 * so a session id planted before login is worthless (no fixation), and the session
 * the browser sent with the login, if it was one, ends.
 */
export async function logIn(db: Db, input: LoginInput, client: ClientContext, lifetime: SessionLifetime): Promise<LoggedIn> {
  const username = input.username.trim().toLowerCase();
  const userKey = `user:${username}`;

  const address = await countHit(db, `ip:${client.ip}`, ADDRESS_WINDOW_MINUTES);
  if (address.hits > ADDRESS_ATTEMPTS_PER_WINDOW) {
    throw new DomainError('rate_limited', 'rate_limited', 'too many login attempts from this address; wait a few minutes', [], ADDRESS_WINDOW_MINUTES * 60);
  }
  const locked = await lockedUntil(db, userKey);
  if (locked) {
    throw new DomainError('rate_limited', 'account_locked', `this account is locked after ${MAX_FAILED_LOGINS} failed logins; try again later`, [], retryAfter(locked));
  }

  const user = await findUserByUsername(db, username);
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  if (!user || !passwordOk || user.disabled_at) {
    await recordFailure(db, userKey, user, username, client, 'password');
    throw new DomainError('unauthenticated', 'invalid_credentials', 'the username or password is wrong');
  }

  if (user.totp_secret) {
    if (!input.totp) {
      throw new DomainError('unauthenticated', 'totp_required', 'enter the six-digit code from your authenticator app');
    }
    const step = matchTotp(openValue('users', 'totp_secret', user.id, user.totp_secret) as string, input.totp, new Date(), user.totp_last_step);
    // The step is claimed atomically: a code used once is refused even by a concurrent login.
    const claimed =
      step !== null &&
      (
        await db
          .updateTable('users')
          .set({ totp_last_step: step })
          .where('id', '=', user.id)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
          .executeTakeFirst()
      ).numUpdatedRows > 0n;
    if (!claimed) {
      await recordFailure(db, userKey, user, username, client, 'totp');
      throw new DomainError('unauthenticated', 'invalid_totp', 'the code is wrong or was already used; wait for the next one');
    }
  }

  const sessionToken = randomToken();
  const csrfToken = randomToken();
  await db.transaction().execute(async (tx) => {
    await clearKey(tx, userKey);
    if (lifetime.replacing) {
      await tx.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sha256Hex(lifetime.replacing)).where('revoked_at', 'is', null).execute();
    }
    await tx
      .insertInto('sessions')
      .values({
        id: sha256Hex(sessionToken),
        user_id: user.id,
        csrf_token: csrfToken,
        expires_at: sql`now() + make_interval(secs => ${lifetime.maxSeconds})`,
        ip: client.ip,
        user_agent: client.userAgent?.slice(0, 500) ?? null,
      })
      .execute();
    await recordAudit(tx, {
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      actor: actorOf(user, 'session', []),
      context: { ip: client.ip },
    });
  });
  return { sessionToken, csrfToken, user };
}

async function recordFailure(
  db: Db,
  userKey: string,
  user: UserWithAgency | undefined,
  username: string,
  client: ClientContext,
  step: 'password' | 'totp',
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { hits } = await countHit(tx, userKey, FAILURE_WINDOW_MINUTES);
    const lockedNow = hits >= MAX_FAILED_LOGINS;
    if (lockedNow) await lockKey(tx, userKey, LOCK_MINUTES);
    await recordAudit(tx, [
      {
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: user?.id ?? null,
        actor: null,
        context: { username, ip: client.ip, step },
      },
      ...(lockedNow
        ? [{ action: 'auth.account_locked', entityType: 'user', entityId: user?.id ?? null, actor: null, context: { username } }]
        : []),
    ]);
  });
}

export function actorOf(user: UserWithAgency, via: Actor['via'], scopes: Actor['scopes']): Actor {
  return {
    userId: user.id,
    username: user.username,
    role: user.role as Role,
    agencyId: user.agency_id,
    countryCode: user.country_code,
    via,
    scopes,
    totpEnrollmentPending: user.role_requires_totp && user.totp_secret === null,
    passwordChangePending: user.must_change_password,
  };
}

/** Ends a session; a second logout with the same cookie changes nothing. */
export async function logOut(db: Db, sessionId: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const ended = await tx
      .updateTable('sessions')
      .set({ revoked_at: new Date() })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (ended.numUpdatedRows > 0n) {
      await recordAudit(tx, { action: 'auth.logout', entityType: 'user', entityId: actor.userId, actor });
    }
  });
}
