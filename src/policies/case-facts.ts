import { definePolicy, roleIs } from './policy.ts';

/**
 * The facts a case's eligibility rests on: consent, guardians, legal assurances, best
 * interests, clearances, the non-refoulement concern, a transfer of sentence. These rules
 * say which role may take which action at all; which records a caller may touch is decided
 * in the query (the person or case must be visible to the caller, else 404). See
 * docs/decisions/0018-case-facts-api.md.
 */
export const caseFactsPolicy = definePolicy('case-facts', {
  /** The panels of a case page: every role that may read a case; what each sees is the presenter's. */
  readPanels: roleIs('coordinator', 'judiciary', 'custody', 'security', 'embassy', 'child_protection'),
  /** A parent's decision, witnessed by child protection (or entered by the coordinator, naming the officer who witnessed it). */
  recordConsent: roleIs('child_protection', 'coordinator'),
  recordExemption: roleIs('coordinator', 'child_protection'),
  /** The receiving guardian is named by the coordinator or by the embassy of the child's country. */
  nameGuardian: roleIs('coordinator', 'embassy'),
  updateGuardian: roleIs('coordinator', 'embassy', 'child_protection'),
  /** Assurances come from the home country: its embassy, or the coordinator who received them. */
  recordAssurance: roleIs('coordinator', 'embassy'),
  /** Assessments and determinations are child protection's alone. */
  recordBestInterests: roleIs('child_protection'),
  /** The four agencies; each decides for itself (the agency is the caller's role). */
  recordClearance: roleIs('coordinator', 'judiciary', 'custody', 'security'),
  recordNonRefoulement: roleIs('coordinator', 'security', 'child_protection'),
  agreeTransfer: roleIs('coordinator'),
  /** Scanned consent forms and assurances, downloaded (audited) by those who may attach them. */
  readConsentDocument: roleIs('child_protection', 'coordinator'),
  readAssuranceDocument: roleIs('coordinator', 'embassy'),
});
