import { recordAudit } from '../audit/trail.ts';
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError, invalid } from '../domain/errors.ts';

export interface VerificationRequestInput {
  readonly countryCode: string;
  readonly personIds: readonly string[];
  readonly dueOn: IsoDate;
  readonly note?: string;
}

/**
 * Sends a country's mission a request to confirm the nationality of a list of
 * people. Only people who claim that nationality may be on it, and never one
 * withheld from their embassy: the request shares their identity with the mission,
 * so it is audited as a share, person by person.
 */
export async function sendVerificationRequest(tx: Tx, input: VerificationRequestInput, actor: Actor, today: IsoDate): Promise<string> {
  if (input.dueOn < today) throw invalid('body.dueOn', 'is in the past');
  if (!(await tx.selectFrom('countries').select('code').where('code', '=', input.countryCode).executeTakeFirst())) {
    throw invalid('body.countryCode', `${input.countryCode} is not an ISO 3166 alpha-3 country code`);
  }
  const ids = [...new Set(input.personIds)];
  const people = await tx
    .selectFrom('persons as p')
    .leftJoin('person_nationalities as pn', (join) => join.onRef('pn.person_id', '=', 'p.id').on('pn.country_code', '=', input.countryCode))
    .select(['p.id', 'p.withheld_from_embassy', 'pn.status'])
    .where('p.id', 'in', ids)
    .execute();
  const byId = new Map(people.map((p) => [p.id, p]));
  const problems = input.personIds.flatMap((id, i) => {
    const p = byId.get(id);
    const path = `body.personIds.${i}`;
    if (!p) return [{ path, message: 'no such person' }];
    if (p.withheld_from_embassy) return [{ path, message: 'is withheld from their embassy: their details may not be shared with it' }];
    if (!p.status) return [{ path, message: `does not claim the nationality of ${input.countryCode}` }];
    if (p.status === 'rejected') return [{ path, message: `was already found not to be a national of ${input.countryCode}` }];
    return [];
  });
  if (problems.length > 0) {
    throw new DomainError('rule', 'not_verifiable', `${problems.length} of the people cannot be sent to the mission of ${input.countryCode}`, problems);
  }
  const request = await tx
    .insertInto('verification_requests')
    .values({ country_code: input.countryCode, note: input.note ?? null, due_on: input.dueOn, sent_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.insertInto('verification_items').values(ids.map((person_id) => ({ request_id: request.id, person_id }))).execute();
  await recordAudit(tx, [
    { action: 'verification.requested', entityType: 'verification_request', entityId: request.id, actor, after: { countryCode: input.countryCode, dueOn: input.dueOn, people: ids.length, note: input.note } },
    ...ids.map((id) => ({ action: 'person.shared_with_embassy', entityType: 'person', entityId: id, actor, context: { countryCode: input.countryCode, verificationRequestId: request.id } })),
  ]);
  return request.id;
}
