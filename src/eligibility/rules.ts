/**
 * The rule set the engine applies: the base criteria of DESIGN.md (in code, versioned by
 * RULES_VERSION) and the extra criteria a country's agreement adds (data).
 */

/**
 * The version of the base rules. Bump it whenever a criterion is added, removed or decides
 * differently; every verdict records it, so a stored verdict says which rules made it.
 * Format: YYYY.N (year, then the change within it).
 */
export const RULES_VERSION = '2026.1';

/** Who an agreement criterion applies to; each kind has a default (see AGREEMENT_CRITERION_KINDS). */
export type AppliesTo = 'children' | 'adults' | 'everyone';

/**
 * The kinds of criteria an agreement can add, as data:
 * - `document_required`: a document of that kind is on record for the person
 *   (e.g. `birth_certificate`); default: everyone. Unknown until it is.
 * - `max_age`: the person is at most `years` old on the date (ages from the birth range: holds if
 *   certainly within, fails if certainly over, unknown between); default: children.
 * - `guardian_relative`: the receiving guardian is a relative (parent, grandparent, aunt or uncle,
 *   sibling, other relative); default: children.
 */
export type AgreementCriterion =
  | { readonly kind: 'document_required'; readonly document: string; readonly appliesTo?: AppliesTo | undefined }
  | { readonly kind: 'max_age'; readonly years: number; readonly appliesTo?: AppliesTo | undefined }
  | { readonly kind: 'guardian_relative'; readonly appliesTo?: AppliesTo | undefined };
export type AgreementCriterionKind = AgreementCriterion['kind'];

export const AGREEMENT_CRITERION_KINDS: Readonly<Record<AgreementCriterionKind, { readonly appliesTo: AppliesTo }>> = {
  document_required: { appliesTo: 'everyone' },
  max_age: { appliesTo: 'children' },
  guardian_relative: { appliesTo: 'children' },
};

/** The criterion id of an agreement criterion: `agreement_document_<document>`, `agreement_max_age`, `agreement_guardian_relative`. */
export function agreementCriterionId(criterion: AgreementCriterion): string {
  switch (criterion.kind) {
    case 'document_required':
      return `agreement_document_${criterion.document}`;
    case 'max_age':
      return 'agreement_max_age';
    case 'guardian_relative':
      return 'agreement_guardian_relative';
  }
}

/** The rules for one country on one day. */
export interface EligibilityRules {
  /** The home country's agreement in force on the day, if any; its criteria add to the base ones. */
  readonly agreement: {
    readonly id: string;
    readonly countryCode: string;
    readonly criteria: readonly AgreementCriterion[];
  } | null;
}

/** The base rules alone (no agreement). */
export const BASE_RULES: EligibilityRules = Object.freeze({ agreement: null });
