/**
 * Facts of people for whom every criterion holds, to build tests (and demo situations) from by
 * changing one thing at a time. Fictional.
 */
import type { IsoDate } from '../domain/birth-date.ts';
import { CLEARING_AGENCIES, type ClearanceRecord, type ClearingAgency, type ConsentRecord, type MemberFacts } from './facts.ts';

export const FIXTURE_DATE: IsoDate = '2026-03-01';

export const clearanceOf = (agency: ClearingAgency, over: Partial<ClearanceRecord> = {}): ClearanceRecord => ({
  id: `clr-${agency}`,
  agency,
  decision: 'approve',
  decidedOn: '2026-01-15',
  validUntil: '2026-12-31',
  conditions: [],
  ...over,
});

export const allClearances = (): ClearanceRecord[] => CLEARING_AGENCIES.map((a) => clearanceOf(a));

export const consentOf = (over: Partial<ConsentRecord> & Pick<ConsentRecord, 'childIds'>): ConsentRecord => ({
  id: 'consent-1',
  kind: 'consent',
  date: '2026-01-10',
  givenBy: 'mother-1',
  witnessId: 'officer-1',
  language: 'ru',
  voided: false,
  ...over,
});

/** A child of 9 going home with a verified grandmother, assurances given, the mother's consent, all four clearances. */
export function eligibleChild(over: Partial<MemberFacts> = {}): MemberFacts {
  const personId = over.personId ?? 'child-1';
  return {
    personId,
    birthRange: { earliest: '2016-05-01', latest: '2016-05-01' },
    homeCountry: 'RUS',
    nationality: 'verified',
    identityEvidence: [
      { id: 'ev-doc', kind: 'document', supports: true, dnaResult: null },
      { id: 'ev-int', kind: 'interview', supports: true, dnaResult: null },
    ],
    proceedings: [],
    withheldFromHomeCountry: false,
    guardian: { id: 'guardian-1', relation: 'grandparent', verification: 'verified', verifiedBy: 'dna' },
    assurances: [{ id: 'assurance-1', type: 'child_rights', givenOn: '2026-01-05', issuingAuthority: 'Office of the Children’s Ombudsman', withdrawn: false }],
    consent: { records: [consentOf({ childIds: [personId] })], custodians: ['mother-1'], exemption: null },
    care: { unaccompanied: false, separated: false, mother: 'returning_with_child' },
    bestInterests: null,
    crimesAgainstHumanity: null,
    nonRefoulementConcern: false,
    transferAgreed: false,
    clearances: allClearances(),
    documents: [],
    ...over,
  };
}

/** A woman who served five years for illegal entry, screened and cleared. */
export function eligibleAdult(over: Partial<MemberFacts> = {}): MemberFacts {
  return {
    ...eligibleChild(),
    personId: 'adult-1',
    birthRange: { earliest: '1990-01-01', latest: '1990-12-31' },
    proceedings: [
      { id: 'proc-1', stage: 'final', verdict: 'convicted', sentence: { kind: 'term', years: 5, months: 0, days: 0 }, sentenceStart: '2019-06-01' },
    ],
    guardian: null,
    assurances: [],
    consent: { records: [], custodians: [], exemption: null },
    care: { unaccompanied: false, separated: false, mother: 'unknown' },
    crimesAgainstHumanity: false,
    ...over,
  };
}
