/**
 * Identification rules, pure: what a mission's answer does to a nationality, how
 * strong the evidence of a person's identity is, and when a request is overdue.
 */

export const VERIFICATION_ANSWERS = ['confirmed', 'not_national', 'more_information'] as const;
export type VerificationAnswer = (typeof VERIFICATION_ANSWERS)[number];

export const MISSION_RESIDENCIES = ['resident', 'non_resident'] as const;

/** The nationality status an answer leaves behind; null: it stays as it was (claimed). */
export function nationalityStatusAfter(answer: VerificationAnswer): 'verified' | 'rejected' | null {
  if (answer === 'confirmed') return 'verified';
  if (answer === 'not_national') return 'rejected';
  return null;
}

/**
 * A request is overdue on the day after its due date while any person on it is unanswered.
 * "More information needed" counts as unanswered: the mission still owes a decision.
 */
export function isOverdue(request: { readonly dueOn: string; readonly open: number }, today: string): boolean {
  return request.open > 0 && request.dueOn < today;
}

/** An item is settled once the mission has decided; asking for more information leaves it open. */
export const isSettled = (answer: string | null): boolean => answer === 'confirmed' || answer === 'not_national';

export const EVIDENCE_KINDS = ['document', 'interview', 'dna'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const DNA_RESULTS = ['match', 'no_match', 'inconclusive'] as const;
export type DnaResult = (typeof DNA_RESULTS)[number];

export interface Evidence {
  readonly kind: EvidenceKind;
  /** The document is genuine and names the person; the interview is consistent. For DNA, the result decides. */
  readonly supports: boolean;
  readonly dnaResult: DnaResult | null;
}

export type IdentityConfidence = 'unverified' | 'preliminary' | 'confirmed';

/** Why the confidence is what it is: kinship confirmed by DNA, a DNA exclusion, a genuine document, a consistent interview, the nationality verified by the mission, contrary evidence, nothing yet. */
export const CONFIDENCE_REASONS = ['dna_match', 'dna_excluded', 'document', 'interview', 'nationality_verified', 'contrary_evidence', 'no_evidence'] as const;
export type ConfidenceReason = (typeof CONFIDENCE_REASONS)[number];

export interface ConfidenceVerdict {
  readonly level: IdentityConfidence;
  /** One code per consideration, so that a person can check the level (the client says each in words). */
  readonly reasons: readonly ConfidenceReason[];
}

/**
 * The confidence in a person's identity, from the evidence on record:
 * - confirmed: a DNA match with a relative, or two independent supports (a genuine
 *   document and a consistent interview, or either with the nationality verified by
 *   the mission), and nothing against;
 * - preliminary: some support, or evidence that conflicts (which a person must resolve);
 * - unverified: nothing yet.
 */
export function identityConfidence(evidence: readonly Evidence[], nationalityVerified: boolean): ConfidenceVerdict {
  const reasons: ConfidenceReason[] = [];
  const dnaMatch = evidence.some((e) => e.kind === 'dna' && e.dnaResult === 'match');
  const dnaAgainst = evidence.some((e) => e.kind === 'dna' && e.dnaResult === 'no_match');
  const document = evidence.some((e) => e.kind === 'document' && e.supports);
  const interview = evidence.some((e) => e.kind === 'interview' && e.supports);
  const against = evidence.some((e) => e.kind !== 'dna' && !e.supports) || dnaAgainst;
  if (dnaMatch) reasons.push('dna_match');
  if (dnaAgainst) reasons.push('dna_excluded');
  if (document) reasons.push('document');
  if (interview) reasons.push('interview');
  if (nationalityVerified) reasons.push('nationality_verified');
  if (evidence.some((e) => e.kind !== 'dna' && !e.supports)) reasons.push('contrary_evidence');
  const supports = [document, interview, nationalityVerified].filter(Boolean).length;
  if (!against && (dnaMatch || supports >= 2)) return { level: 'confirmed', reasons };
  if (dnaMatch || supports > 0 || evidence.length > 0) return { level: 'preliminary', reasons };
  return { level: 'unverified', reasons: ['no_evidence'] };
}
