import { createHash } from 'node:crypto';
import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, notFound } from '../domain/errors.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { findChangeablePerson } from './personMerger.ts';
import { MAX_PHOTO_BYTES, imageProblem, sniffImage } from '../registry/images.ts';

/** Stores a person's photo once by its SHA-256, after checking that the bytes are an image of a known kind. */
export async function addPhoto(db: Db, actor: Actor, asOf: IsoDate, personId: string, data: Buffer, declaredType: string, expected?: number): Promise<string> {
  if (data.length > MAX_PHOTO_BYTES) throw new DomainError('too_large', 'payload_too_large', `a photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB`);
  const type = sniffImage(data);
  if (!type) throw new DomainError('invalid', 'not_an_image', 'the file is not a JPEG, PNG or WebP image', [{ path: 'body', message: 'not a JPEG, PNG or WebP image' }]);
  if (type !== declaredType) throw new DomainError('invalid', 'content_type_mismatch', `the file is ${type}, but was sent as ${declaredType}`, [{ path: 'content-type', message: `the file is ${type}` }]);
  const damaged = imageProblem(data, type);
  if (damaged) throw new DomainError('invalid', 'not_an_image', `the image ${damaged}`, [{ path: 'body', message: damaged }]);
  const sha256 = createHash('sha256').update(data).digest('hex');
  return db.transaction().execute(async (tx) => {
    await findChangeablePerson(tx, actor, asOf, personId, expected);
    await tx.insertInto('files').values({ sha256, content_type: type, size_bytes: data.length, data }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
    const row = await tx.insertInto('photos').values({ person_id: personId, file_sha256: sha256 }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(tx, { action: 'photo.added', entityType: 'person', entityId: personId, actor, after: { photoId: row.id, sha256, bytes: data.length } });
    return row.id;
  });
}

/** A photo's bytes, if the caller may see its person; reading a child's photo is audited like their record. */
export async function readPhoto(db: Db, actor: Actor, asOf: IsoDate, photoId: string) {
  const photo = await db
    .selectFrom('photos as ph')
    .innerJoin('files as f', 'f.sha256', 'ph.file_sha256')
    .select(['ph.person_id', 'f.content_type', 'f.data', 'f.sha256'])
    .where('ph.id', '=', photoId)
    .executeTakeFirst();
  if (!photo) throw notFound('photo');
  const person = await findVisiblePerson(db, actor, asOf, photo.person_id);
  if (!person) throw notFound('photo');
  await db.transaction().execute((tx) => recordAudit(tx, { action: 'photo.read', entityType: 'person', entityId: person.id, actor, context: { photoId } }));
  return { contentType: photo.content_type, data: Buffer.from(photo.data), sha256: photo.sha256 };
}
