import type { Actor } from '../domain/actor.ts';
import { ageRange, type BirthDate, displayBirthDate, type IsoDate, kindOf } from '../domain/birth-date.ts';
import { geneticSummaryOnly, projectByCategory, visibleCategories } from '../domain/categories.ts';
import { type DnaResult, type EvidenceKind, identityConfidence } from '../domain/identification.ts';
import { PERSON_FIELD_CATEGORIES } from '../domain/person.ts';
import { describeSentence, releaseDate, type Sentence } from '../domain/sentence.ts';
import { allows } from '../policies/policy.ts';
import { evidencePolicy, personPolicy } from '../policies/person.ts';
import type { PersonDetails, PersonRow } from '../repositories/persons.ts';

/** The changes a client may offer on a person's page; the server still decides each request. */
export const PERSON_EDIT_ACTIONS = ['updateIdentity', 'updateWelfare', 'updateSecurity', 'withhold', 'manageFamily', 'manageCustody', 'manageProceedings', 'merge'] as const;
export const allowedPersonActions = (actor: Actor) => [
  ...PERSON_EDIT_ACTIONS.filter((action) => allows(personPolicy, actor, action)),
  ...(allows(evidencePolicy, actor, 'record') ? (['recordEvidence'] as const) : []),
];

function birthOf(p: Pick<PersonRow, 'birth_precision' | 'birth_earliest' | 'birth_latest' | 'birth_text'>): BirthDate {
  return { precision: p.birth_precision as BirthDate['precision'], earliest: p.birth_earliest, latest: p.birth_latest, text: p.birth_text ?? '' };
}

/** The flags that decide whether an adult may go home: the coordinator needs them, not the details. */
function sees(actor: Actor, field: 'crimesAgainstHumanity' | 'withheldFromEmbassy'): boolean {
  if (field === 'crimesAgainstHumanity') return actor.role === 'security' || actor.role === 'coordinator';
  return actor.role !== 'embassy';
}

function identityCore(p: PersonRow, asOf: IsoDate) {
  const birth = birthOf(p);
  const age = ageRange(birth, asOf);
  return {
    id: p.id,
    version: p.version,
    displayName: p.display_name,
    kind: kindOf(birth, asOf),
    sex: p.sex as 'female' | 'male' | 'unknown',
    birthDate: { precision: birth.precision, earliest: birth.earliest, latest: birth.latest, text: birth.text, display: displayBirthDate(birth) },
    age,
    vitalStatus: p.vital_status as 'alive' | 'deceased' | 'executed',
    vitalDate: p.vital_date,
    externalRef: p.external_ref,
  };
}

/**
 * The evidence of who the person is, and the confidence it gives. A DNA result is
 * genetic data: roles that may not see it learn only that kinship was confirmed by DNA.
 */
function presentEvidence(details: PersonDetails, actor: Actor) {
  const genetic = !geneticSummaryOnly(actor.role);
  const verdict = identityConfidence(
    details.evidence.map((e) => ({ kind: e.kind as EvidenceKind, supports: e.supports, dnaResult: e.dna_result as DnaResult | null })),
    details.nationalities.some((n) => n.status === 'verified'),
  );
  /** One piece of evidence as the caller may see it; absent fields are not the caller's to see. */
  interface EvidenceView {
    readonly id: string;
    readonly kind: EvidenceKind;
    readonly observedOn: string;
    readonly recordedBy: string | null;
    readonly supports?: boolean;
    readonly kinshipConfirmed?: boolean;
    readonly summary?: string | null;
    readonly source?: string | null;
    readonly dna?: { laboratory: string | null; relativeId: string | null; relationship: string | null; result: DnaResult };
  }
  const evidence = details.evidence.flatMap((e): EvidenceView[] => {
    const base = { id: e.id, kind: e.kind as EvidenceKind, observedOn: e.observed_on, recordedBy: e.recorded_by_name };
    if (e.kind !== 'dna') return [{ ...base, supports: e.supports, summary: e.summary, source: e.source }];
    if (!genetic) return e.dna_result === 'match' ? [{ ...base, kinshipConfirmed: true }] : [];
    return [{ ...base, kinshipConfirmed: e.dna_result === 'match', summary: e.summary, source: e.source, dna: { laboratory: e.laboratory, relativeId: e.relative_id, relationship: e.relationship, result: e.dna_result as DnaResult } }];
  });
  const reasons = genetic ? verdict.reasons : verdict.reasons.filter((r) => r !== 'dna_excluded');
  return { identityConfidence: { level: verdict.level, reasons }, evidence };
}

/** A person's page, with only the fields of categories the caller may see. */
export function presentPerson(details: PersonDetails, actor: Actor, asOf: IsoDate) {
  const { person: p } = details;
  const primaryLatin = details.names.find((n) => n.kind === 'primary')?.latin ?? details.names[0]?.latin ?? p.display_name;
  const open = details.custody.find((c) => c.released_on === null);
  const seesCustody = visibleCategories(actor.role, actor.sharedCategories).has('custody');
  const full = {
    ...identityCore(p, asOf),
    latinName: primaryLatin,
    names: details.names.map((n) => ({
      id: n.id,
      kind: n.kind,
      script: n.script,
      givenName: n.given_name,
      fatherName: n.father_name,
      grandfatherName: n.grandfather_name,
      familyName: n.family_name,
      fullName: n.full_name,
      latin: n.latin,
    })),
    nationalities: details.nationalities.map((n) => ({ countryCode: n.country_code, status: n.status, decidedAt: n.decided_at?.toISOString() ?? null })),
    documents: details.documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      countryCode: d.country_code,
      number: d.number,
      holderNameIcao: d.holder_name_icao,
      issuedOn: d.issued_on,
      expiresOn: d.expires_on,
      version: d.version,
    })),
    photos: details.photos.map((ph) => ({ id: ph.id, takenOn: ph.taken_on, url: `/api/v1/photos/${ph.id}` })),
    ...presentEvidence(details, actor),
    // Confirmed as a second registration of another record (which the caller may or may not see).
    duplicateOf: p.duplicate_of,
    // Merged into another record (this one is kept for its history), or records merged into this one.
    mergedInto: p.merged_into,
    mergedAt: p.merged_at?.toISOString() ?? null,
    mergedFrom: details.mergedFrom.map((m) => ({ id: m.id, displayName: m.display_name, mergedAt: m.merged_at?.toISOString() ?? null })),
    family: details.family.map((f) => ({
      linkId: f.pair_id,
      relation: f.relation,
      verification: f.verification,
      confidence: Number(f.confidence),
      version: f.version,
      relative: {
        id: f.relative_id,
        displayName: f.display_name,
        vitalStatus: f.vital_status,
        kind: kindOf({ earliest: f.birth_earliest, latest: f.birth_latest }, asOf),
        // Where each relative is held (a mother's page shows where each child is), for roles that see custody.
        ...(seesCustody ? { currentFacility: f.relative_facility_id ? { id: f.relative_facility_id, name: f.relative_facility_name as string } : null } : {}),
      },
    })),
    currentFacility: open ? { id: open.facility_id, name: open.facility_name, kind: open.facility_kind, since: open.admitted_on } : null,
    custody: details.custody.map((c) => ({
      id: c.id,
      facility: { id: c.facility_id, name: c.facility_name },
      admittedOn: c.admitted_on,
      releasedOn: c.released_on,
      releaseReason: c.release_reason,
      version: c.version,
    })),
    proceedings: details.proceedings.map((pr) => {
      const sentence = (pr.sentence ?? null) as Sentence | null;
      return {
        id: pr.id,
        charge: pr.charge,
        chargeText: pr.charge_text,
        actDate: pr.act_date,
        court: pr.court,
        stage: pr.stage,
        verdict: pr.verdict,
        verdictDate: pr.verdict_date,
        sentence,
        sentenceText: sentence ? describeSentence(sentence) : null,
        sentenceStart: pr.sentence_start,
        releaseDate: sentence && pr.sentence_start ? releaseDate(sentence, pr.sentence_start) : null,
        version: pr.version,
      };
    }),
    vulnerability: { unaccompanied: p.unaccompanied, separated: p.separated, orphan: p.orphan, medicalNeeds: p.medical_needs, notes: p.welfare_notes },
    withheldFromEmbassy: p.withheld_from_embassy,
    crimesAgainstHumanity: p.crimes_against_humanity,
    securityNotes: p.security_notes,
  };
  const projected = projectByCategory(full, PERSON_FIELD_CATEGORIES, visibleCategories(actor.role, actor.sharedCategories));
  if (sees(actor, 'crimesAgainstHumanity')) projected.crimesAgainstHumanity = p.crimes_against_humanity;
  if (!sees(actor, 'withheldFromEmbassy')) delete projected.withheldFromEmbassy;
  // A merged record is history: nothing on it can be changed any more.
  return { ...projected, allowedActions: p.merged_into ? [] : allowedPersonActions(actor) };
}

/** A row of a registry list: identity, and where they are held when the caller sees custody. */
export function presentPersonListItem(
  p: PersonRow & { latin_name: string | null; nationality_codes: string[] | null; facility_id: string | null; facility_name: string | null },
  actor: Actor,
  asOf: IsoDate,
) {
  const item = {
    ...identityCore(p, asOf),
    latinName: p.latin_name ?? p.display_name,
    nationalities: (p.nationality_codes ?? []).map((countryCode) => ({ countryCode })),
    currentFacility: p.facility_id ? { id: p.facility_id, name: p.facility_name ?? '' } : null,
  };
  return projectByCategory(item, PERSON_FIELD_CATEGORIES, visibleCategories(actor.role, actor.sharedCategories));
}
