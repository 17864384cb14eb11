import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Actor, TokenScope } from '../domain/actor.ts';
import { selectUsersWithAgency } from '../repositories/users.ts';
import { parseApiToken, safeEqual, sha256Hex } from '../security/tokens.ts';
import { actorOf } from './authenticator.ts';

export interface SessionCredential {
  readonly actor: Actor;
  readonly sessionId: string;
  readonly csrfToken: string;
}

/** Finds the live session behind a cookie: not revoked, not past its end, not idle too long. */
export async function resolveSession(db: Db, token: string, idleSeconds: number): Promise<SessionCredential | null> {
  const sessionId = sha256Hex(token);
  const row = await selectUsersWithAgency(db)
    .innerJoin('sessions as s', 's.user_id', 'u.id')
    .select(['s.csrf_token', 's.last_seen_at'])
    .where('s.id', '=', sessionId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('s.last_seen_at', '>', sql<Date>`now() - make_interval(secs => ${idleSeconds})`)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  // Touch the session at most once a minute: reads should not all become writes.
  if (Date.now() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('sessions').set({ last_seen_at: sql`now()` }).where('id', '=', sessionId).execute();
  }
  return { actor: actorOf(row, 'session', ['read', 'write']), sessionId, csrfToken: row.csrf_token };
}

/** Finds the user behind `Authorization: Bearer hw_…`; the secret is compared by hash. */
export async function resolveApiToken(db: Db, bearer: string): Promise<Actor | null> {
  const parsed = parseApiToken(bearer);
  if (!parsed) return null;
  const row = await selectUsersWithAgency(db)
    .innerJoin('api_tokens as t', 't.user_id', 'u.id')
    .select(['t.secret_hash', 't.scopes', 't.last_used_at'])
    .where('t.id', '=', parsed.id)
    .where('t.revoked_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row || !safeEqual(sha256Hex(parsed.secret), row.secret_hash)) return null;
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('id', '=', parsed.id).execute();
  }
  // A machine cannot type a TOTP code: tokens are never held back by enrolment.
  return { ...actorOf(row, 'token', row.scopes as TokenScope[]), totpEnrollmentPending: false, passwordChangePending: false };
}
