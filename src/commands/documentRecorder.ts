import { recordAudit } from '../audit/trail.ts';
import type { Db } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { invalid, notFound } from '../domain/errors.ts';
import { icaoTransliterate } from '../names/icao.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { findChangeablePerson } from './personMerger.ts';
import { refreshEligibilityOf } from './caseEligibility.ts';

export const DOCUMENT_KINDS = ['passport', 'national_id', 'birth_certificate', 'travel_document', 'other'] as const;

export interface NewDocument {
  readonly kind: (typeof DOCUMENT_KINDS)[number];
  readonly countryCode?: string | undefined;
  readonly number?: string | undefined;
  readonly issuedOn?: IsoDate | undefined;
  readonly expiresOn?: IsoDate | undefined;
}

/**
 * Records an identity document. The holder's name is also kept as travel documents
 * print it (ICAO 9303 transliteration of the primary name), for checking a passport
 * or an emergency travel document against the registry.
 */
export async function recordDocument(db: Db, actor: Actor, asOf: IsoDate, personId: string, doc: NewDocument, expected?: number): Promise<string> {
  if (doc.issuedOn && doc.issuedOn > asOf) throw invalid('body.issuedOn', 'is in the future');
  if (doc.issuedOn && doc.expiresOn && doc.expiresOn < doc.issuedOn) throw invalid('body.expiresOn', 'is before the issue date');
  return db.transaction().execute(async (tx) => {
    await findChangeablePerson(tx, actor, asOf, personId, expected);
    if (doc.countryCode && !(await tx.selectFrom('countries').select('code').where('code', '=', doc.countryCode).executeTakeFirst())) {
      throw invalid('body.countryCode', `${doc.countryCode} is not an ISO 3166 alpha-3 country code`);
    }
    const primary = await tx
      .selectFrom('person_names')
      .select('full_name')
      .where('person_id', '=', personId)
      .orderBy((eb) => eb.case().when('kind', '=', 'primary').then(0).else(1).end())
      .orderBy('created_at')
      .limit(1)
      .executeTakeFirst();
    const row = await tx
      .insertInto('identity_documents')
      .values({
        person_id: personId,
        kind: doc.kind,
        country_code: doc.countryCode ?? null,
        number: doc.number ?? null,
        holder_name_icao: primary ? icaoTransliterate(primary.full_name) || null : null,
        issued_on: doc.issuedOn ?? null,
        expires_on: doc.expiresOn ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('persons').set((eb) => ({ version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', personId).execute();
    await refreshEligibilityOf(tx, [personId], asOf);
    await recordAudit(tx, { action: 'person.updated', entityType: 'person', entityId: personId, actor, after: { document: doc } });
    return row.id;
  });
}
