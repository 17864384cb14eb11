import { createHash } from 'node:crypto';
import { recordAudit } from '../audit/trail.ts';
import type { Executor, Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { normaliseMoney } from '../domain/diplomacy.ts';
import { DomainError, invalid, notFound } from '../domain/errors.ts';
import type { AgreementCriterion } from '../eligibility/rules.ts';
import { documentProblem } from '../registry/images.ts';
import { selectAgreements } from '../repositories/agreements.ts';
import { countryScope } from './diplomacyScope.ts';
import { countryOrInvalid } from './notificationSender.ts';
import { staleVersion } from './staleness.ts';

export interface AgreementInput {
  readonly title: string;
  readonly signedOn?: IsoDate | null | undefined;
  readonly validFrom: IsoDate;
  readonly validUntil?: IsoDate | null | undefined;
  readonly currency: string;
  readonly feePerChild: string;
  readonly feePerAdult: string;
  readonly documentsRequired: readonly string[];
  readonly conditions?: string | null | undefined;
  readonly criteria: readonly AgreementCriterion[];
  /** Who signed it. */
  readonly signatories?: readonly string[] | undefined;
  /** Categories the embassy receives while in force; null/absent: DESIGN.md's default (decision 0023). */
  readonly dataCategories?: readonly string[] | null | undefined;
}

export type AgreementChange = { readonly [K in keyof AgreementInput]?: AgreementInput[K] | undefined };

/** Scanned agreements: a PDF or an image, at most 10 MB. */
export const AGREEMENT_DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const MAX_AGREEMENT_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** Agreements the caller may see: the coordinator all, an embassy its own country's. */
export function selectVisibleAgreements(db: Executor, actor: Actor) {
  const query = selectAgreements(db);
  const scope = countryScope(actor);
  return scope.all ? query : query.where('ag.country_code', '=', scope.code ?? '');
}

function checkDates(input: { signedOn?: IsoDate | null | undefined; validFrom: IsoDate; validUntil?: IsoDate | null | undefined }, today: IsoDate): void {
  if (input.signedOn && input.signedOn > today) throw invalid('body.signedOn', 'is in the future');
  if (input.validUntil && input.validUntil < input.validFrom) throw invalid('body.validUntil', `ends before the agreement begins (${input.validFrom})`);
}

const columns = (input: AgreementChange) => ({
  ...(input.title !== undefined ? { title: input.title } : {}),
  ...(input.signedOn !== undefined ? { signed_on: input.signedOn } : {}),
  ...(input.validFrom !== undefined ? { valid_from: input.validFrom } : {}),
  ...(input.validUntil !== undefined ? { valid_until: input.validUntil } : {}),
  ...(input.currency !== undefined ? { currency: input.currency } : {}),
  // Money travels as exact text all the way into numeric(12,2): never through a float.
  ...(input.feePerChild !== undefined ? { fee_per_child: normaliseMoney(input.feePerChild) } : {}),
  ...(input.feePerAdult !== undefined ? { fee_per_adult: normaliseMoney(input.feePerAdult) } : {}),
  ...(input.documentsRequired !== undefined ? { documents_required: [...new Set(input.documentsRequired)] } : {}),
  ...(input.conditions !== undefined ? { conditions: input.conditions } : {}),
  ...(input.criteria !== undefined ? { criteria: JSON.stringify(input.criteria) } : {}),
  ...(input.signatories !== undefined ? { signatories: [...input.signatories] } : {}),
  ...(input.dataCategories !== undefined ? { data_categories: input.dataCategories === null ? null : [...new Set(input.dataCategories)] } : {}),
});

export async function recordAgreement(tx: Tx, actor: Actor, countryCode: string, input: AgreementInput, today: IsoDate): Promise<string> {
  await countryOrInvalid(tx, countryCode);
  checkDates(input, today);
  const row = await tx
    .insertInto('country_agreements')
    .values({ country_code: countryCode, title: input.title, valid_from: input.validFrom, currency: input.currency, ...columns(input), created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, { action: 'agreement.created', entityType: 'agreement', entityId: row.id, actor, after: { countryCode, ...input } });
  return row.id;
}

export async function updateAgreement(tx: Tx, actor: Actor, id: string, change: AgreementChange, expected: number, today: IsoDate): Promise<void> {
  const current = await tx.selectFrom('country_agreements').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!current || !countryScope(actor).all) throw notFound('agreement');
  if (current.version !== expected) throw await staleVersion(tx, 'agreement', id, expected, current.version);
  checkDates(
    {
      signedOn: change.signedOn !== undefined ? change.signedOn : current.signed_on,
      validFrom: change.validFrom ?? current.valid_from,
      validUntil: change.validUntil !== undefined ? change.validUntil : current.valid_until,
    },
    today,
  );
  await tx.updateTable('country_agreements').set({ ...columns(change), version: current.version + 1 }).where('id', '=', id).execute();
  await recordAudit(tx, { action: 'agreement.updated', entityType: 'agreement', entityId: id, actor, before: { ...current, created_at: undefined, fee_per_child: String(current.fee_per_child), fee_per_adult: String(current.fee_per_adult) }, after: change });
}

/** Keeps the scanned agreement in `files` by its SHA-256 and links it (a new version of the agreement). */
export async function attachAgreementDocument(tx: Tx, actor: Actor, id: string, data: Buffer, contentType: string, expected: number): Promise<void> {
  if (data.length > MAX_AGREEMENT_DOCUMENT_BYTES) throw new DomainError('too_large', 'payload_too_large', 'a scanned agreement may be at most 10 MB');
  if (!sniffDocument(data, contentType)) {
    throw new DomainError('invalid', 'content_type_mismatch', `the file is not a ${contentType} document`, [{ path: 'body', message: `is not a ${contentType} file` }]);
  }
  const damaged = documentProblem(data, contentType);
  if (damaged) throw new DomainError('invalid', 'not_a_document', `the file ${damaged}`, [{ path: 'body', message: damaged }]);
  const current = await tx.selectFrom('country_agreements').select(['id', 'version', 'file_sha256']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!current || !countryScope(actor).all) throw notFound('agreement');
  if (current.version !== expected) throw await staleVersion(tx, 'agreement', id, expected, current.version);
  const sha256 = createHash('sha256').update(data).digest('hex');
  await tx.insertInto('files').values({ sha256, content_type: contentType, size_bytes: data.length, data }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  await tx.updateTable('country_agreements').set({ file_sha256: sha256, version: current.version + 1 }).where('id', '=', id).execute();
  await recordAudit(tx, { action: 'agreement.updated', entityType: 'agreement', entityId: id, actor, before: { sha256: current.file_sha256 }, after: { sha256, bytes: data.length, contentType } });
}

/** The first bytes of a PDF, JPEG or PNG, as the type claims. */
function sniffDocument(data: Buffer, contentType: string): boolean {
  if (contentType === 'application/pdf') return data.subarray(0, 5).toString('latin1') === '%PDF-';
  if (contentType === 'image/jpeg') return data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
  if (contentType === 'image/png') return data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return false;
}

/** The scanned agreement, if the caller may see the agreement; reading it is audited. */
export async function readAgreementDocument(db: Executor, actor: Actor, id: string) {
  const agreement = await selectVisibleAgreements(db, actor).where('ag.id', '=', id).executeTakeFirst();
  if (!agreement?.file_sha256) throw notFound(agreement ? 'agreement document' : 'agreement');
  const file = await db.selectFrom('files').select(['content_type', 'data', 'sha256']).where('sha256', '=', agreement.file_sha256).executeTakeFirstOrThrow();
  return { agreement, contentType: file.content_type, data: Buffer.from(file.data), sha256: file.sha256 };
}
