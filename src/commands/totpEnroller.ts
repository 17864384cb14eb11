import QRCode from 'qrcode';
import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { noteSealingKey, openValue, sealValue } from '../repositories/sealed-fields.ts';
import { generateTotpSecret, matchTotp, otpauthUrl } from '../security/totp.ts';

/** Starts enrolment: a fresh secret is kept aside until a code from it proves the app has it. */
export async function beginTotpEnrollment(db: Db, actor: Actor) {
  const secret = generateTotpSecret();
  // Sealed at rest like the other sensitive fields (decision 0024): a copy of the database gives no second factor.
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ totp_pending_secret: sealValue('users', 'totp_pending_secret', actor.userId, secret) }).where('id', '=', actor.userId).execute();
    await noteSealingKey(tx);
  });
  const url = otpauthUrl(secret, actor.username);
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUrl: url, qrSvg: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** Finishes enrolment with a code from the pending secret; the code's step counts as used. */
export async function completeTotpEnrollment(db: Db, actor: Actor, code: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const user = await tx
      .selectFrom('users')
      .select(['totp_pending_secret'])
      .where('id', '=', actor.userId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (!user.totp_pending_secret) {
      throw new DomainError('conflict', 'totp_not_started', 'start two-factor set-up first');
    }
    const pending = openValue('users', 'totp_pending_secret', actor.userId, user.totp_pending_secret) as string;
    const step = matchTotp(pending, code, new Date(), null);
    if (step === null) throw new DomainError('rule', 'invalid_totp', 'the code does not match; check the time on your phone and try the next code');
    await tx
      .updateTable('users')
      .set((eb) => ({
        totp_secret: sealValue('users', 'totp_secret', actor.userId, pending),
        totp_pending_secret: null,
        totp_last_step: step,
        version: eb('version', '+', 1),
        updated_at: new Date(),
      }))
      .where('id', '=', actor.userId)
      .execute();
    await recordAudit(tx, { action: 'user.totp_enabled', entityType: 'user', entityId: actor.userId, actor });
  });
}
