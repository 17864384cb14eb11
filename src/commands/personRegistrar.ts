import { recordAudit, type SystemActor } from '../audit/trail.ts';
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { type BirthDate, futureBirthDateIssues, type IsoDate, toRange } from '../domain/birth-date.ts';
import { DomainError, forbidden, invalid } from '../domain/errors.ts';
import { assembleFullName, type NewPerson } from '../domain/person.ts';
import { indexNames, latinOf, recordedScript } from '../registry/search-index.ts';

/**
 * Registers a person with their names, nationalities and, usually, where they
 * are held — all in the caller's transaction, audited. A custody officer must
 * place the person in one of their own agency's facilities (or they would lose
 * sight of the record the moment they made it).
 */
export async function registerPerson(tx: Tx, input: NewPerson, actor: Actor | SystemActor, asOf: IsoDate): Promise<string> {
  const future = futureBirthDateIssues(input.birthDate, asOf);
  if (future.length > 0) {
    throw new DomainError('invalid', 'invalid_input', `birthDate: ${future[0]?.message}`, future.map((d) => ({ path: `body.birthDate.${d.path}`, message: d.message })));
  }
  const birth: BirthDate = toRange(input.birthDate);
  if (input.vitalDate && input.vitalDate < birth.earliest) throw invalid('body.vitalDate', 'is before the person was born');
  if (input.vitalDate && input.vitalDate > asOf) throw invalid('body.vitalDate', 'is in the future');
  const isCustodyOfficer = 'role' in actor && actor.role === 'custody';
  if (isCustodyOfficer && !input.custody) throw invalid('body.custody', 'is required: say in which of your facilities the person is held');

  if (input.custody) {
    const facility = await tx.selectFrom('facilities').select(['id', 'agency_id']).where('id', '=', input.custody.facilityId).executeTakeFirst();
    if (!facility) throw invalid('body.custody.facilityId', 'no such facility');
    if (isCustodyOfficer && facility.agency_id !== (actor as Actor).agencyId) throw forbidden('a custody officer registers people in their own agency’s facilities only');
    if (input.custody.admittedOn > asOf) throw invalid('body.custody.admittedOn', 'is in the future');
    if (input.custody.admittedOn < birth.earliest) throw invalid('body.custody.admittedOn', 'is before the person was born');
  }
  for (const [i, n] of input.nationalities.entries()) {
    if (!(await tx.selectFrom('countries').select('code').where('code', '=', n.countryCode).executeTakeFirst())) {
      throw invalid(`body.nationalities.${i}.countryCode`, `${n.countryCode} is not an ISO 3166 alpha-3 country code`);
    }
  }
  if (input.externalRef && (await tx.selectFrom('persons').select('id').where('external_ref', '=', input.externalRef).executeTakeFirst())) {
    throw new DomainError('conflict', 'external_ref_taken', `a person with the external reference ${input.externalRef} is already registered`, [
      { path: 'body.externalRef', message: 'is already registered' },
    ]);
  }

  const names = input.names.map((n, i) => ({ ...n, kind: i === 0 && !input.names.some((m) => m.kind === 'primary') ? 'primary' : n.kind, full: assembleFullName(n) }));
  const primary = names.find((n) => n.kind === 'primary') ?? (names[0] as (typeof names)[number]);
  const index = indexNames(names.map((n) => n.full));
  const v = input.vulnerability;
  const person = await tx
    .insertInto('persons')
    .values({
      external_ref: input.externalRef ?? null,
      display_name: primary.full,
      sex: input.sex,
      birth_precision: birth.precision,
      birth_earliest: birth.earliest,
      birth_latest: birth.latest,
      birth_text: birth.text || null,
      vital_status: input.vitalStatus,
      vital_date: input.vitalDate ?? null,
      withheld_from_embassy: input.withheldFromEmbassy,
      unaccompanied: v?.unaccompanied ?? false,
      separated: v?.separated ?? false,
      orphan: v?.orphan ?? false,
      medical_needs: v?.medicalNeeds ?? false,
      welfare_notes: v?.notes ?? null,
      search_keys: index.searchKeys,
      search_text: index.searchText,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx
    .insertInto('person_names')
    .values(
      names.map((n) => ({
        person_id: person.id,
        kind: n.kind,
        script: recordedScript(n.full),
        given_name: n.givenName ?? null,
        father_name: n.fatherName ?? null,
        grandfather_name: n.grandfatherName ?? null,
        family_name: n.familyName ?? null,
        full_name: n.full,
        latin: latinOf(n.full),
      })),
    )
    .execute();
  if (input.nationalities.length > 0) {
    const unique = new Map(input.nationalities.map((n) => [n.countryCode, n]));
    await tx
      .insertInto('person_nationalities')
      .values([...unique.values()].map((n) => ({ person_id: person.id, country_code: n.countryCode, status: n.status, source: 'registration', decided_at: n.status === 'verified' ? new Date() : null })))
      .execute();
  }
  if (input.custody) {
    await tx.insertInto('custody_episodes').values({ person_id: person.id, facility_id: input.custody.facilityId, admitted_on: input.custody.admittedOn }).execute();
  }
  await recordAudit(tx, { action: 'person.created', entityType: 'person', entityId: person.id, actor, after: input });
  return person.id;
}

/** Rebuilds a person's search columns from their names (after a name is added or removed). */
export async function reindexPerson(tx: Tx, personId: string): Promise<void> {
  const names = await tx.selectFrom('person_names').select(['full_name', 'kind']).where('person_id', '=', personId).execute();
  const index = indexNames(names.map((n) => n.full_name));
  const primary = names.find((n) => n.kind === 'primary') ?? names[0];
  await tx
    .updateTable('persons')
    .set({ search_keys: index.searchKeys, search_text: index.searchText, ...(primary ? { display_name: primary.full_name } : {}) })
    .where('id', '=', personId)
    .execute();
}
