/**
 * What each criterion says, by a stable snake_case code the web app translates
 * (`{{name}}` is a parameter, in i18next's syntax); the English text is the reference.
 */
export const ELIGIBILITY_MESSAGES = {
  // nationality_confirmed
  eligibility_nationality_verified: 'The mission of {{country}} confirmed the nationality.',
  eligibility_nationality_unverified: 'The nationality of {{country}} is claimed; the mission has not confirmed it yet.',
  eligibility_nationality_not_claimed: 'No nationality of {{country}} is claimed.',
  eligibility_nationality_rejected: 'The mission of {{country}} found the person not to be a national.',
  // identity_confirmed
  eligibility_identity_confirmed: 'The identity is confirmed.',
  eligibility_identity_preliminary: 'The identity is preliminary: more evidence is needed (a document, an interview or a DNA test of a relative).',
  eligibility_identity_unverified: 'No evidence of identity is recorded.',
  // not_convicted_or_served, sentence_served_or_transfer_agreed
  eligibility_no_conviction: 'No conviction (acquittals and dismissals included).',
  eligibility_sentence_served: 'Every sentence is served (the last release was on {{date}}).',
  eligibility_transfer_agreed: '{{country}} agreed to take over the sentence.',
  eligibility_sentence_not_served: 'A sentence is not served yet: release on {{date}}.',
  eligibility_sentence_without_release: 'A sentence of {{sentence}} has no release date.',
  eligibility_sentence_unrecorded: 'A conviction is recorded without its sentence or start date.',
  eligibility_outcome_pending: '{{count}} proceeding(s) still open: the outcome is not known yet.',
  // no_pending_proceedings
  eligibility_no_pending_proceedings: 'No proceedings are pending.',
  eligibility_proceedings_pending: '{{count}} proceeding(s) pending.',
  // guardian_identified, agreement_guardian_relative
  eligibility_guardian_verified: 'A guardian ({{relation}}) is identified and the relationship is verified ({{verifiedBy}}).',
  eligibility_guardian_missing: 'No receiving guardian is named yet.',
  eligibility_guardian_unverified: 'A guardian ({{relation}}) is named; the relationship is not verified yet.',
  eligibility_guardian_rejected: 'The guardian named was not accepted; another is needed.',
  eligibility_guardian_is_relative: 'The guardian is a relative ({{relation}}), as the agreement requires.',
  eligibility_guardian_not_relative: 'The agreement requires a relative as guardian; the guardian is {{relation}}.',
  // legal_assurances
  eligibility_assurances_given: '{{country}} gave {{count}} legal assurance(s) for the child.',
  eligibility_assurances_missing: '{{country}} has given no legal assurance for the child yet.',
  // consent
  eligibility_consent_given: 'Consent given on {{date}}.',
  eligibility_consent_exempt: 'No consent needed: {{reason}}.',
  eligibility_consent_refused: 'Consent refused on {{date}}.',
  eligibility_consent_revoked: 'Consent revoked on {{date}}.',
  eligibility_consent_missing: 'No valid consent of the parent with custody is recorded.',
  eligibility_consent_no_custodian: 'Nobody with custody of the child is recorded, and no exemption is on record.',
  // best_interests
  eligibility_bid_not_required: 'No best-interests determination is required.',
  eligibility_bid_return: 'A best-interests determination ({{date}}) found return to be in the child’s best interests.',
  eligibility_bid_not_return: 'A best-interests determination ({{date}}) found return not to be in the child’s best interests.',
  eligibility_bid_pending: 'The best-interests determination is {{status}}.',
  eligibility_bid_missing: 'A best-interests determination is required ({{why}}) and none is recorded.',
  /** The same, for a role that does not see why (the child's welfare). */
  eligibility_bid_required: 'A best-interests determination is required and none is recorded.',
  // clearance_<agency>: `agency` is the role code (translate it), `agencyName` its English name
  eligibility_clearance_approved: 'Cleared by {{agencyName}}, valid until {{validUntil}}.',
  eligibility_clearance_approved_with_conditions: 'Cleared by {{agencyName}} with {{count}} condition(s), valid until {{validUntil}}.',
  eligibility_clearance_denied: 'Denied by {{agencyName}} on {{date}}.',
  eligibility_clearance_expired: 'The clearance of {{agencyName}} expired on {{date}}: ask for it again.',
  eligibility_clearance_missing: 'No clearance from {{agencyName}} yet.',
  // not_withheld
  eligibility_not_withheld: 'Not withheld from {{country}}.',
  eligibility_withheld: 'Withheld from {{country}}: nobody withheld from their home country is returned to it.',
  // adults
  eligibility_no_death_sentence: 'No death sentence.',
  eligibility_death_sentence: 'Sentenced to death.',
  eligibility_no_cah_flag: 'Not flagged for crimes against humanity.',
  eligibility_cah_flag: 'Flagged for crimes against humanity.',
  eligibility_cah_not_screened: 'The security screening has not answered yet.',
  eligibility_no_non_refoulement_concern: 'No non-refoulement concern is recorded.',
  eligibility_non_refoulement_concern: 'A non-refoulement concern is recorded: the person could face persecution or the death penalty at home.',
  // agreement criteria
  eligibility_document_on_record: 'A {{document}} is on record, as the agreement requires.',
  eligibility_document_missing: 'The agreement requires a {{document}}; none is on record.',
  eligibility_within_max_age: 'Aged {{age}}: within the agreement’s limit of {{maxAge}}.',
  eligibility_over_max_age: 'Aged {{age}}: over the agreement’s limit of {{maxAge}}.',
  eligibility_age_uncertain: 'Aged {{age}}: may be over the agreement’s limit of {{maxAge}}; an age assessment would tell.',
} as const satisfies Readonly<Record<string, string>>;
export type EligibilityMessageCode = keyof typeof ELIGIBILITY_MESSAGES;

export type MessageParams = Readonly<Record<string, string | number>>;

/** A criterion's message: its code and parameters for translation, and the English text. */
export interface Message {
  readonly code: EligibilityMessageCode;
  readonly params: MessageParams;
  readonly text: string;
}

export function message(code: EligibilityMessageCode, params: MessageParams = {}): Message {
  const text = ELIGIBILITY_MESSAGES[code].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));
  return { code, params, text };
}
