import { sql } from 'kysely';
import { recordAudit, type SystemActor } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor, TokenScope } from '../domain/actor.ts';
import { formatApiToken, randomToken, sha256Hex } from '../security/tokens.ts';

export interface NewToken {
  readonly userId: string;
  readonly name: string;
  readonly scopes: readonly TokenScope[];
  readonly expiresInDays: number;
}

/** Issues an API token for a machine acting as a user. The secret is shown once and stored hashed. */
export async function createApiToken(db: Db, input: NewToken, actor: Actor | SystemActor) {
  const secret = randomToken(32);
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('api_tokens')
      .values({
        user_id: input.userId,
        name: input.name,
        secret_hash: sha256Hex(secret),
        scopes: [...input.scopes],
        expires_at: sql<Date>`now() + make_interval(days => ${input.expiresInDays})`,
      })
      .returning(['id', 'expires_at', 'created_at'])
      .executeTakeFirstOrThrow();
    await recordAudit(tx, {
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: row.id,
      actor,
      after: { userId: input.userId, name: input.name, scopes: input.scopes, expiresAt: row.expires_at },
    });
    return { id: row.id, token: formatApiToken(row.id, secret), expiresAt: row.expires_at, createdAt: row.created_at };
  });
}

/** Revokes a token of the given user; false when there is none to revoke. */
export async function revokeApiToken(db: Db, tokenId: string, ownerId: string, actor: Actor | SystemActor): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const result = await tx
      .updateTable('api_tokens')
      .set({ revoked_at: new Date() })
      .where('id', '=', tokenId)
      .where('user_id', '=', ownerId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await recordAudit(tx, { action: 'api_token.revoked', entityType: 'api_token', entityId: tokenId, actor });
    return true;
  });
}
