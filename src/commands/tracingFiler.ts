import { recordAudit } from '../audit/trail.ts';
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { type BirthDateInput, futureBirthDateIssues, type IsoDate, toRange } from '../domain/birth-date.ts';
import { DomainError, forbidden, invalid, notFound } from '../domain/errors.ts';
import { scheduleSweep } from './candidateFinder.ts';

export interface TracingRequestInput {
  readonly countryCode?: string | undefined;
  readonly sought: {
    readonly names: readonly string[];
    readonly sex: 'female' | 'male' | 'unknown';
    readonly birthDate?: BirthDateInput | undefined;
    readonly motherName?: string | undefined;
    readonly fatherName?: string | undefined;
    readonly lastKnownPlace?: string | undefined;
  };
  readonly enquirer: { readonly name: string; readonly relationship: string; readonly contact?: string | undefined };
  readonly notes?: string | undefined;
}

/**
 * Files a tracing request on behalf of a family. An embassy files for its own
 * country; the coordinator names the country. Finding candidates is queued in
 * the same transaction: the review queue fills in the background.
 */
export async function fileTracingRequest(tx: Tx, input: TracingRequestInput, actor: Actor, asOf: IsoDate): Promise<string> {
  const countryCode = actor.role === 'embassy' ? actor.countryCode : input.countryCode;
  if (actor.role === 'embassy' && input.countryCode && input.countryCode !== actor.countryCode) throw forbidden(`an embassy files tracing requests for ${actor.countryCode} only`);
  if (!countryCode) throw invalid('body.countryCode', 'is required: the country whose national is sought');
  if (!(await tx.selectFrom('countries').select('code').where('code', '=', countryCode).executeTakeFirst())) {
    throw invalid('body.countryCode', `${countryCode} is not an ISO 3166 alpha-3 country code`);
  }
  const birth = input.sought.birthDate ? toRange(input.sought.birthDate) : null;
  if (input.sought.birthDate) {
    const future = futureBirthDateIssues(input.sought.birthDate, asOf);
    if (future.length > 0) throw new DomainError('invalid', 'invalid_input', `sought.birthDate: ${future[0]?.message}`, future.map((d) => ({ path: `body.sought.birthDate.${d.path}`, message: d.message })));
  }
  const row = await tx
    .insertInto('tracing_requests')
    .values({
      country_code: countryCode,
      sought_names: [...input.sought.names],
      sought_sex: input.sought.sex,
      sought_birth_earliest: birth?.earliest ?? null,
      sought_birth_latest: birth?.latest ?? null,
      sought_birth_text: birth?.text ?? null,
      mother_name: input.sought.motherName ?? null,
      father_name: input.sought.fatherName ?? null,
      last_known_place: input.sought.lastKnownPlace ?? null,
      notes: input.notes ?? null,
      enquirer_name: input.enquirer.name,
      enquirer_relationship: input.enquirer.relationship,
      enquirer_contact: input.enquirer.contact ?? null,
      filed_by: actor.userId,
      agency_id: actor.agencyId,
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, { action: 'tracing.filed', entityType: 'tracing_request', entityId: row.id, actor, after: input });
  await scheduleSweep(tx);
  return row.id;
}

/** Closes a tracing request without a match (the family withdrew it, or the person was found elsewhere). */
export async function closeTracingRequest(tx: Tx, id: string, reason: string, actor: Actor): Promise<void> {
  let query = tx.selectFrom('tracing_requests').select(['status']).where('id', '=', id);
  if (actor.role === 'embassy') query = query.where('country_code', '=', actor.countryCode ?? '');
  const current = await query.forUpdate().executeTakeFirst();
  if (!current) throw notFound('tracing request');
  if (current.status !== 'open') throw new DomainError('conflict', 'not_open', `the tracing request is already ${current.status}`);
  await tx.updateTable('tracing_requests').set((eb) => ({ status: 'closed', closed_reason: reason, closed_at: new Date(), version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', id).execute();
  await recordAudit(tx, { action: 'tracing.closed', entityType: 'tracing_request', entityId: id, actor, reason });
}
