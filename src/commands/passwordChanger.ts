import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../security/passwords.ts';

/**
 * A person replaces their password (a one-time one must be replaced before
 * anything else). Every other session of theirs ends: whoever knew the old
 * password is signed out.
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  keepSessionId: string | null,
): Promise<void> {
  const user = await db.selectFrom('users').select(['password_hash', 'username']).where('id', '=', actor.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new DomainError('rule', 'wrong_password', 'currentPassword: is not your current password', [{ path: 'body.currentPassword', message: 'is not your current password' }]);
  }
  const problem = passwordProblem(input.newPassword, user.username) ?? (input.newPassword === input.currentPassword ? 'must differ from the current one' : null);
  if (problem) throw new DomainError('invalid', 'weak_password', `newPassword: ${problem}`, [{ path: 'body.newPassword', message: problem }]);
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set((eb) => ({ password_hash: passwordHash, must_change_password: false, password_changed_at: new Date(), version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', actor.userId)
      .execute();
    let others = tx.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', actor.userId).where('revoked_at', 'is', null);
    if (keepSessionId) others = others.where('id', '!=', keepSessionId);
    await others.execute();
    await recordAudit(tx, { action: 'user.password_changed', entityType: 'user', entityId: actor.userId, actor });
  });
}
