import { createHash } from 'node:crypto';
import type { Tx } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import { couldBeUnder, type IsoDate } from '../domain/birth-date.ts';
import { FINAL_STATES } from '../domain/case-machine.ts';
import { DomainError, invalid } from '../domain/errors.ts';
import { documentProblem } from '../registry/images.ts';
import { findVisiblePerson } from '../repositories/persons.ts';
import { lockVisibleCase } from './caseOpener.ts';
import { findChangeablePerson } from './personMerger.ts';

/**
 * What the recorders of a case's facts (consent, guardians, assurances, best interests,
 * clearances) share: finding the child or the case a change is about, refusing dates in
 * the future, keeping a scanned document.
 */

export const AGE_OF_MAJORITY = 18;

/** Refuses a decision dated after today: nobody decides tomorrow. */
export function refuseFuture(path: string, date: IsoDate | null | undefined, asOf: IsoDate): void {
  if (date && date > asOf) throw invalid(path, 'is in the future');
}

/** Someone who could be under 18 on the day (the protective reading of an uncertain birth date). */
export const isChild = (person: { readonly birth_earliest: string; readonly birth_latest: string }, asOf: IsoDate): boolean =>
  couldBeUnder({ earliest: person.birth_earliest, latest: person.birth_latest }, AGE_OF_MAJORITY, asOf);

/** The child a change is about: visible (else 404), not merged (else 409), and a child (else 422 `not_a_child`). */
export async function findChangeableChild(tx: Tx, actor: Actor, asOf: IsoDate, personId: string) {
  const person = await findChangeablePerson(tx, actor, asOf, personId);
  if (!isChild(person, asOf)) {
    throw new DomainError('rule', 'not_a_child', `${person.display_name} cannot be under ${AGE_OF_MAJORITY} today: this is recorded only for children`);
  }
  return person;
}

/** A case the caller may see (else 404), locked for the change, and not closed, rejected or withdrawn (else 409 `case_closed`). */
export async function lockOpenCase(tx: Tx, actor: Actor, asOf: IsoDate, caseId: string) {
  const c = await lockVisibleCase(tx, actor, asOf, caseId);
  if ((FINAL_STATES as readonly string[]).includes(c.state)) {
    throw new DomainError('conflict', 'case_closed', `case ${c.reference} is ${c.state}: reopen it before recording anything on it`);
  }
  return c;
}

/** A person on the case now whom the caller may see; anyone else is "not on this case" (the same answer for someone invisible). */
export async function currentMember(tx: Tx, actor: Actor, asOf: IsoDate, caseId: string, personId: string, path: string) {
  const member = await tx.selectFrom('case_members').select(['person_id', 'transfer_agreed']).where('case_id', '=', caseId).where('person_id', '=', personId).where('left_at', 'is', null).executeTakeFirst();
  const person = member ? await findVisiblePerson(tx, actor, asOf, personId) : undefined;
  if (!member || !person) throw invalid(path, 'is not on this case');
  return { member, person };
}

/** Scanned documents (consent forms, assurances): a PDF, a JPEG or a PNG, at most 10 MB. */
export const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];
export const MAX_SCAN_BYTES = 10 * 1024 * 1024;

const SIGNATURES: Readonly<Record<ScanType, (b: Buffer) => boolean>> = {
  'application/pdf': (b) => b.length > 5 && b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
};

/** The type of a scan by its first bytes, not by what the client claims; null when it is none of the three. */
export function sniffScan(data: Buffer): ScanType | null {
  return SCAN_TYPES.find((type) => SIGNATURES[type](data)) ?? null;
}

/** Checks a scan (kind by content, size) and keeps it once in `files` by its SHA-256. */
export async function storeScan(tx: Tx, data: Buffer, declaredType: string): Promise<{ sha256: string; contentType: ScanType; bytes: number }> {
  if (data.length > MAX_SCAN_BYTES) throw new DomainError('too_large', 'payload_too_large', `a scanned document may be at most ${MAX_SCAN_BYTES / 1024 / 1024} MB`);
  const type = sniffScan(data);
  if (!type) throw new DomainError('invalid', 'not_a_document', 'the file is not a PDF, JPEG or PNG', [{ path: 'body', message: 'is not a PDF, JPEG or PNG file' }]);
  if (declaredType && type !== declaredType) {
    throw new DomainError('invalid', 'content_type_mismatch', `the file is ${type}, but was sent as ${declaredType}`, [{ path: 'content-type', message: `the file is ${type}` }]);
  }
  const damaged = documentProblem(data, type);
  if (damaged) throw new DomainError('invalid', 'not_a_document', `the file ${damaged}`, [{ path: 'body', message: damaged }]);
  const sha256 = createHash('sha256').update(data).digest('hex');
  await tx.insertInto('files').values({ sha256, content_type: type, size_bytes: data.length, data }).onConflict((oc) => oc.column('sha256').doNothing()).execute();
  return { sha256, contentType: type, bytes: data.length };
}
