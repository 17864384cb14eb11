import { createHash } from 'node:crypto';
import type { Executor, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { loadManifestInput, recipientOf } from '../repositories/manifest-input.ts';
import { findVisibleMovement, type MovementRow } from '../repositories/movements.ts';
import { renderManifest } from '../reports/manifest.ts';

/**
 * The manifest as sent, when it locks: rendered as the receiving side may see it (the home
 * country's embassy: no field its role may not see, photos only if it sees identity and only of
 * people it may see), kept once in `files` by its SHA-256 and referenced from the movement, in the
 * caller's transaction. Returns the SHA-256, which the lock event keeps.
 */
export async function storeSentManifest(tx: Tx, m: MovementRow, asOf: IsoDate, at: Date): Promise<string> {
  const { input } = await loadManifestInput(tx, await recipientOf(tx, m, asOf), asOf, { ...m, status: 'manifest_locked' }, at);
  const pdf = await renderManifest(input);
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  await tx.insertInto('files').values({ sha256, content_type: 'application/pdf', size_bytes: pdf.length, data: pdf }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  await tx.updateTable('movements').set({ sent_manifest_sha256: sha256, sent_manifest_at: at }).where('id', '=', m.id).execute();
  return sha256;
}

/** The stored bytes of the manifest as sent, for a movement the caller may see; 404 while it is not locked. */
export async function readSentManifest(db: Executor, actor: Actor, id: string) {
  const m = await findVisibleMovement(db, actor, id);
  if (!m) throw notFound('movement');
  if (!m.sent_manifest_sha256) {
    throw new DomainError('not_found', 'manifest_not_sent', `the manifest of ${m.reference} has not been sent: it is kept as sent when the manifest locks, and unlocking withdraws it`);
  }
  const file = await db.selectFrom('files').select(['content_type', 'data', 'sha256']).where('sha256', '=', m.sent_manifest_sha256).executeTakeFirstOrThrow();
  return { movement: m, data: Buffer.from(file.data), sha256: file.sha256, contentType: file.content_type };
}
