import { z } from 'zod';
import { GUARDIAN_VERIFICATIONS } from '../../../commands/guardianRecorder.ts';
import { MAX_PANEL, MIN_PANEL } from '../../../commands/bestInterestsRecorder.ts';
import { IsoDateSchema } from '../../../domain/birth-date.ts';
import { CountryCodeSchema } from '../../../domain/roles.ts';
import { CLEARANCE_DECISIONS, CONSENT_EXEMPTIONS, CONSENT_KINDS, GUARDIAN_RELATIONS } from '../../../eligibility/index.ts';
import { Text } from '../schemas.ts';

const Uuid = z.uuid({ message: 'must be a UUID' });
const Reason = z.strictObject({ reason: Text(2000).describe('why: kept in the audit trail') });

export const IdResponse = z.object({ id: z.uuid() });

// ---- consent -----------------------------------------------------------------------------
export const ConsentBody = z.strictObject({
  givenBy: Uuid.describe('the parent or legal guardian who decided (a registered person linked to each child as mother, father or guardian)'),
  kind: z.enum(CONSENT_KINDS).describe('consent, refusal, or revocation of an earlier consent'),
  decidedOn: IsoDateSchema.describe('the day of the decision'),
  language: z.string().trim().min(2, 'must be at least 2 characters, e.g. "ru" or "Tajik"').max(50, 'must be at most 50 characters').describe('the language the decision was explained and made in'),
  witnessName: Text(200).optional().describe('the witness as named on the form; for a child-protection officer, their own name by default; required for the coordinator without witnessUserId'),
  witnessUserId: Uuid.optional().describe('the coordinator entering a decision witnessed by a child-protection officer names them here; without a witnessing officer the record does not count'),
  childIds: z.array(Uuid).min(1, 'name at least one child').max(30, 'at most 30 children in one record').describe('the children the decision is for'),
  note: Text(2000).optional(),
});
export const ExemptionBody = z.strictObject({
  reason: z.enum(CONSENT_EXEMPTIONS).describe('both parents deceased, no parent with custody, or a court order'),
  recordedOn: IsoDateSchema,
  note: Text(2000).optional(),
});
export const VoidBody = Reason;
export const WithdrawBody = Reason;

// ---- guardians ---------------------------------------------------------------------------
export const GuardianBody = z.strictObject({
  fullName: Text(300),
  relation: z.enum(GUARDIAN_RELATIONS).describe('what the guardian is to the child'),
  contact: Text(500).optional(),
  address: Text(500).optional(),
  countryCode: CountryCodeSchema.optional().describe('where the guardian lives (an embassy: its country by default)'),
  verification: z.enum(GUARDIAN_VERIFICATIONS).optional().describe('unverified (default), verified, or rejected'),
  verifiedBy: Text(200).optional().describe('how the relationship was checked (document, DNA, the embassy’s inquiry…): required unless unverified'),
});
export const GuardianPatchBody = z.strictObject({
  verification: z.enum(GUARDIAN_VERIFICATIONS).optional(),
  verifiedBy: Text(200).nullable().optional(),
  contact: Text(500).nullable().optional(),
  address: Text(500).nullable().optional(),
});
export const GuardianSchema = z.any().meta({ id: 'Guardian', description: 'The receiving guardian of a child' });

// ---- assurances --------------------------------------------------------------------------
export const AssuranceBody = z.strictObject({
  type: Text(200).describe('what is guaranteed, e.g. "no prosecution of children", "access to schooling"'),
  givenOn: IsoDateSchema,
  issuingAuthority: Text(300).describe('e.g. the Prosecutor General’s Office'),
  personId: Uuid.optional().describe('for one person on the case; absent: for everyone on it'),
  note: Text(2000).optional(),
});

// ---- best interests ----------------------------------------------------------------------
export const AssessmentBody = z.strictObject({
  kind: z.enum(['short', 'comprehensive']),
  assessedOn: IsoDateSchema,
  summary: Text(20000),
  recommendation: Text(4000).optional(),
});
const PanelMember = z.strictObject({
  name: Text(200),
  role: Text(200).optional().describe('e.g. chair, social worker, legal officer'),
  undertakingSignedOn: IsoDateSchema.describe('the day the member signed the confidentiality undertaking: on or before the decision'),
});
export const DeterminationBody = z.strictObject({
  outcome: z.enum(['return', 'not_return']).describe('is going home in the child’s best interests?'),
  decidedOn: IsoDateSchema,
  recommendation: Text(4000),
  reasoning: Text(20000).describe('the reasoned decision'),
  dissent: Text(10000).optional(),
  reviewOn: IsoDateSchema.optional().describe('when the determination is to be reviewed'),
  panel: z.array(PanelMember).min(MIN_PANEL, `a panel has at least ${MIN_PANEL} members`).max(MAX_PANEL, `a panel has at most ${MAX_PANEL} members`),
});
export const ReviewBody = Reason;

// ---- clearances and the adults' criteria --------------------------------------------------
export const ClearanceBody = z.strictObject({
  personId: Uuid.describe('the person on the case the decision is about'),
  decision: z.enum(CLEARANCE_DECISIONS),
  decidedOn: IsoDateSchema.describe('not in the future'),
  validUntil: IsoDateSchema.optional().describe('last day the approval is valid; absent: until the agency decides again; never for a denial'),
  conditions: z.array(Text(1000)).max(20, 'at most 20 conditions').optional().describe('for an approval with conditions: at least one'),
  reasons: Text(4000).optional().describe('required for a denial'),
});
export const NonRefoulementBody = z.strictObject({
  concern: z.boolean({ message: 'must be true or false' }).describe('could the person face persecution or the death penalty at home?'),
  note: Text(4000).optional(),
});
export const TransferBody = z.strictObject({ agreed: z.boolean({ message: 'must be true or false' }).describe('the home country agreed to take over the sentence') });
export const MemberParams = z.strictObject({ id: Uuid, personId: Uuid });

export const PanelsSchema = z.any().meta({
  id: 'CasePanels',
  description: "The consent, guardian, best-interests and clearance panels of each current member the caller may see, and the case's legal assurances; fields of categories the caller does not see are left out",
});
