import { z } from 'zod';
import { MEMBER_ROLES } from '../../../commands/caseOpener.ts';
import { CASE_STATES } from '../../../domain/case-machine.ts';
import { ListQuery } from '../../../server/pagination.ts';
import { Text } from '../schemas.ts';

const CountryCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code, e.g. TJK');
const Member = z.strictObject({
  personId: z.uuid({ message: 'must be a UUID' }),
  role: z.enum(MEMBER_ROLES).default('member').describe('principal, mother, father, child, guardian or member'),
});

export const NewCaseBody = z.strictObject({
  countryCode: CountryCode.describe('the country of return'),
  kind: z.enum(['individual', 'family']).describe('one person, or a family group (a mother with her children; children alone)'),
  title: Text(300).optional(),
  members: z.array(Member).min(1, 'name at least one person').max(50),
});
export const MembersBody = z.strictObject({ members: z.array(Member).min(1, 'name at least one person').max(50) });
export const LeaveBody = z.strictObject({ reason: Text(2000).describe('why the person leaves the case (they stay registered)') });
export const TransitionBody = z.strictObject({
  to: z.enum(CASE_STATES).describe('the target state; the table names the transition'),
  reason: Text(2000).optional().describe('required to hold, reject, withdraw or reopen'),
  from: z.enum(CASE_STATES).optional().describe('the state the client saw: if the case has moved since, 409 case_state_changed'),
});
export const CaseListQuery = ListQuery.safeExtend({
  state: z.enum(CASE_STATES).optional(),
  countryCode: CountryCode.optional(),
  eligible: z.enum(['true', 'false', 'unknown']).optional().describe('the members\' stored verdict: all eligible, any not eligible, otherwise unknown'),
  q: Text(100).optional().describe('a case reference, or part of it'),
});
export const BoardQuery = z.strictObject({ countryCode: CountryCode.optional(), perState: z.coerce.number().int().min(1).max(100).default(20) });
export const MemberParams = z.strictObject({ id: z.uuid({ message: 'must be a UUID' }), personId: z.uuid({ message: 'must be a UUID' }) });
export const CountryParams = z.strictObject({ code: CountryCode });

const Json = z.any();
export const CaseSchema = Json.meta({ id: 'Case', description: 'A case with its members, each member\'s eligibility (computed now), the transitions the caller may make and why the others are closed, and its history' });
export const CaseSummarySchema = Json.meta({ id: 'CaseSummary', description: 'A case in a list or on the board' });
export const CountryEligibilitySchema = Json.meta({ id: 'CountryEligibility', description: 'How many of a country\'s children on cases are eligible, and what blocks the others' });
