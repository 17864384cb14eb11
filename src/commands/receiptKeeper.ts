import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { DomainError, forbidden, notFound } from '../domain/errors.ts';
import { handsOverFor } from '../policies/movement.ts';
import { findVisibleMovement } from '../repositories/movements.ts';
import { storeScan } from './factRecording.ts';
import { lockMovement } from './movementPlanner.ts';

/**
 * Attaches the scanned receipt the receiving official signed for one person's handover (a PDF,
 * JPEG or PNG, checked by content, at most 10 MB), kept once in `files` by its SHA-256. Whoever
 * may record the handover may attach it (the coordinator, the embassy of the home country), while
 * the movement is departed; attaching again replaces it (the audit trail keeps the earlier one).
 */
export async function attachReceipt(db: Db, actor: Actor, movementId: string, personId: string, data: Buffer, declaredType: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const m = await lockMovement(tx, actor, movementId);
    if (!handsOverFor(actor, m.country_code)) throw forbidden('only the coordinator or the embassy of the home country attaches a handover receipt');
    if (m.status !== 'departed') throw new DomainError('conflict', 'not_departed', `the movement is ${m.status.replace('_', ' ')}: receipts are attached while it is departed`);
    const handover = await tx
      .selectFrom('handovers as h')
      .innerJoin('persons as p', 'p.id', 'h.person_id')
      .select(['h.id', 'h.receipt_sha256', 'p.display_name'])
      .where('h.movement_id', '=', movementId)
      .where('h.person_id', '=', personId)
      .executeTakeFirst();
    if (!handover) {
      const passenger = await tx.selectFrom('movement_passengers').select('person_id').where('movement_id', '=', movementId).where('person_id', '=', personId).where('active', '=', true).executeTakeFirst();
      if (!passenger) throw notFound('passenger');
      throw new DomainError('conflict', 'handover_not_recorded', 'record the handover of this person first, then attach its signed receipt');
    }
    const file = await storeScan(tx, data, declaredType);
    await tx.updateTable('handovers').set({ receipt_sha256: file.sha256 }).where('id', '=', handover.id).execute();
    await tx.updateTable('movements').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', movementId).execute();
    await recordAudit(tx, { action: 'movement.handover_receipt_attached', entityType: 'movement', entityId: movementId, actor, before: { personId, sha256: handover.receipt_sha256 }, after: { personId, ...file } });
  });
}

/** The signed receipt of one handover, for a movement the caller may see; reading it is audited. */
export async function readReceipt(db: Db, actor: Actor, movementId: string, personId: string) {
  const m = await findVisibleMovement(db, actor, movementId);
  if (!m) throw notFound('movement');
  const file = await db
    .selectFrom('handovers as h')
    .innerJoin('files as f', 'f.sha256', 'h.receipt_sha256')
    .select(['f.content_type', 'f.data', 'f.sha256'])
    .where('h.movement_id', '=', m.id)
    .where('h.person_id', '=', personId)
    .executeTakeFirst();
  if (!file) throw notFound('handover receipt');
  await db.transaction().execute((tx) => recordAudit(tx, { action: 'movement.handover_receipt_read', entityType: 'movement', entityId: m.id, actor, context: { personId, sha256: file.sha256 } }));
  return { movement: m, contentType: file.content_type, data: Buffer.from(file.data), sha256: file.sha256 };
}
