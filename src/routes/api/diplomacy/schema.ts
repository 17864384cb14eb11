import { z } from 'zod';
import { IsoDateSchema } from '../../../domain/birth-date.ts';
import { AgreementCriterionSchema, CurrencySchema, DocumentKindSchema, MoneySchema } from '../../../domain/diplomacy.ts';
import { ListQuery } from '../../../server/pagination.ts';
import { Text } from '../schemas.ts';

export const CountryParams = z.strictObject({ code: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code, e.g. TJK') });
export const OptionalIfMatch = z.object({ 'if-match': z.string().regex(/^(W\/)?"?\d+"?$/, 'must be the record\'s version, e.g. "3"').optional() });

const optionalText = (max: number) => Text(max).nullable().optional();

// ---- notifications -------------------------------------------------------------------------

export const NotifyBody = z.strictObject({
  sentOn: IsoDateSchema.describe('the day the list is sent (default today; not in the future)').optional(),
  channel: Text(200).optional().describe('how it went: a note verbale, by hand, e-mail to the consular section…'),
  note: Text(2000).optional().describe('printed on the list under the counts'),
});

export const AcknowledgeBody = z.strictObject({
  acknowledgedOn: IsoDateSchema.describe('the day the mission acknowledged the list (not before it was sent, not in the future)'),
});

export const NotificationSchema = z
  .object({
    id: z.uuid(),
    countryCode: z.string(),
    sentOn: z.string(),
    acknowledgedOn: z.string().nullable(),
    peopleCount: z.number().int(),
    childrenCount: z.number().int(),
    channel: z.string().nullable(),
    note: z.string().nullable(),
    hasPdf: z.boolean(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'CountryNotification' });

// ---- meetings ------------------------------------------------------------------------------

const Participants = z.array(Text(200)).max(50, 'at most 50 participants');
const Decisions = z.array(Text(2000)).max(50, 'at most 50 decisions');

export const ActionItemBody = z.strictObject({
  description: Text(1000),
  owner: Text(200).describe('who is to do it: a person or an agency'),
  dueOn: IsoDateSchema.nullable().optional(),
});

export const UpdateActionItemBody = z
  .strictObject({
    description: Text(1000).optional(),
    owner: Text(200).optional(),
    dueOn: IsoDateSchema.nullable().optional(),
    doneOn: IsoDateSchema.nullable().optional().describe('the day it was done; null reopens it'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field to change', path: ['body'] });

export const MeetingBody = z.strictObject({
  heldOn: IsoDateSchema,
  place: Text(200).optional(),
  participants: Participants.default([]),
  minutes: Text(20000).optional(),
  decisions: Decisions.default([]),
  actionItems: z.array(ActionItemBody).max(100).default([]),
});

export const UpdateMeetingBody = z
  .strictObject({
    heldOn: IsoDateSchema.optional(),
    place: optionalText(200),
    participants: Participants.optional(),
    minutes: optionalText(20000),
    decisions: Decisions.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field to change', path: ['body'] });

export const ActionItemSchema = z
  .object({
    id: z.uuid(),
    meetingId: z.uuid(),
    description: z.string(),
    owner: z.string(),
    dueOn: z.string().nullable(),
    doneOn: z.string().nullable(),
    overdue: z.boolean().describe('not done and past its due date'),
    version: z.number().int(),
  })
  .meta({ id: 'MeetingActionItem' });

export const MeetingSchema = z
  .object({
    id: z.uuid(),
    countryCode: z.string(),
    heldOn: z.string(),
    place: z.string().nullable(),
    participants: z.array(z.string()),
    minutes: z.string().nullable(),
    decisions: z.array(z.string()),
    actionItems: z.array(ActionItemSchema),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'CountryMeeting' });

export const OpenActionItemSchema = ActionItemSchema.extend({ meetingHeldOn: z.string() }).meta({ id: 'OpenActionItem' });

// ---- agreements ----------------------------------------------------------------------------

const SharedCategorySchema = z.enum(['identity', 'family', 'custody', 'legal', 'welfare', 'case_status']);

const agreementFields = {
  title: Text(300),
  signedOn: IsoDateSchema.nullable().optional(),
  validFrom: IsoDateSchema,
  validUntil: IsoDateSchema.nullable().optional().describe('null: open-ended'),
  currency: CurrencySchema,
  feePerChild: MoneySchema,
  feePerAdult: MoneySchema,
  documentsRequired: z.array(DocumentKindSchema).max(30).default([]),
  conditions: Text(10000).nullable().optional(),
  criteria: z.array(AgreementCriterionSchema).max(20).default([]).describe('extra eligibility criteria the agreement adds'),
  signatories: z.array(Text(300)).max(20).default([]).describe('who signed the agreement'),
  dataCategories: z
    .array(SharedCategorySchema)
    .max(6)
    .nullable()
    .optional()
    .describe("data categories the country's embassy receives while the agreement is in force; null or absent: the default (identity, family, case_status). Never security, best_interests or genetic"),
};

const validRange = (b: { validFrom?: string | undefined; validUntil?: string | null | undefined }) => !b.validFrom || !b.validUntil || b.validUntil >= b.validFrom;
const rangeIssue = { message: 'ends before the agreement begins (validFrom)', path: ['validUntil'] };

export const AgreementBody = z.strictObject(agreementFields).refine(validRange, rangeIssue);

export const UpdateAgreementBody = z
  .strictObject({
    title: agreementFields.title.optional(),
    signedOn: agreementFields.signedOn,
    validFrom: IsoDateSchema.optional(),
    validUntil: agreementFields.validUntil,
    currency: CurrencySchema.optional(),
    feePerChild: MoneySchema.optional(),
    feePerAdult: MoneySchema.optional(),
    documentsRequired: z.array(DocumentKindSchema).max(30).optional(),
    conditions: agreementFields.conditions,
    criteria: z.array(AgreementCriterionSchema).max(20).optional(),
    signatories: z.array(Text(300)).max(20).optional(),
    dataCategories: agreementFields.dataCategories,
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field to change', path: ['body'] })
  .refine(validRange, rangeIssue);

export const AgreementSchema = z
  .object({
    id: z.uuid(),
    countryCode: z.string(),
    title: z.string(),
    signedOn: z.string().nullable(),
    validFrom: z.string(),
    validUntil: z.string().nullable(),
    inForce: z.boolean().describe('in force today'),
    currency: z.string(),
    feePerChild: z.string().describe('exact decimal text'),
    feePerAdult: z.string(),
    documentsRequired: z.array(z.string()),
    conditions: z.string().nullable(),
    criteria: z.array(AgreementCriterionSchema),
    signatories: z.array(z.string()),
    dataCategories: z.array(z.string()).nullable().describe('null: the default categories'),
    hasDocument: z.boolean().describe('a scanned copy is on file'),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .meta({ id: 'CountryAgreement' });

// ---- overview ------------------------------------------------------------------------------

export const CountryNames = z.object({ en: z.string(), ar: z.string(), ru: z.string(), fr: z.string() });

export const MissionSummary = z.object({
  residency: z.string(),
  accreditedFrom: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  contactName: z.string().nullable(),
  version: z.number().int(),
});

export const CountryOverviewSchema = z
  .object({
    code: z.string(),
    names: CountryNames,
    mission: MissionSummary.nullable(),
    held: z.object({ people: z.number().int(), children: z.number().int().describe('could be under 18 today') }),
    notifications: z.array(NotificationSchema).describe('the latest five'),
    meetings: z.array(MeetingSchema).describe('the latest five'),
    agreements: z.array(AgreementSchema),
    agreementInForce: AgreementSchema.nullable(),
    openActionItems: z.array(OpenActionItemSchema),
  })
  .meta({ id: 'CountryOverview' });

export const CountrySummarySchema = z
  .object({
    code: z.string(),
    names: CountryNames,
    held: z.object({ people: z.number().int(), children: z.number().int() }),
    mission: z.object({ residency: z.string(), accreditedFrom: z.string().nullable() }).nullable(),
    lastNotification: z.object({ id: z.uuid(), sentOn: z.string(), acknowledgedOn: z.string().nullable() }).nullable(),
    agreementInForce: z.object({ id: z.uuid(), title: z.string(), currency: z.string(), feePerChild: z.string(), feePerAdult: z.string() }).nullable(),
    openActionItems: z.number().int(),
    overdueActionItems: z.number().int(),
  })
  .meta({ id: 'CountrySummary' });

export const DiplomacyListQuery = ListQuery;
