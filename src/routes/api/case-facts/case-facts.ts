import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { attachAssuranceDocument, readAssuranceDocument, recordAssurance, withdrawAssurance } from '../../../commands/assuranceRecorder.ts';
import { changeDeterminationStatus, recordAssessment, recordDetermination } from '../../../commands/bestInterestsRecorder.ts';
import { recordClearance, setNonRefoulement, setTransferAgreed } from '../../../commands/clearanceRecorder.ts';
import { attachConsentDocument, readConsentDocument, recordConsent, recordExemption, voidConsent, withdrawExemption } from '../../../commands/consentRecorder.ts';
import { isChild } from '../../../commands/factRecording.ts';
import { findVisibleGuardian, nameGuardian, updateGuardian } from '../../../commands/guardianRecorder.ts';
import { notFound } from '../../../domain/errors.ts';
import { caseFactsPolicy } from '../../../policies/case-facts.ts';
import { can } from '../../../policies/policy.ts';
import { presentGuardian, presentPanels } from '../../../presenters/case-facts.ts';
import { loadPanels } from '../../../repositories/case-panels.ts';
import { findVisibleCase } from '../../../repositories/cases.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, expectedVersion } from '../versioning.ts';
import {
  AssessmentBody,
  AssuranceBody,
  ClearanceBody,
  ConsentBody,
  DeterminationBody,
  ExemptionBody,
  GuardianBody,
  GuardianPatchBody,
  GuardianSchema,
  IdResponse,
  MemberParams,
  NonRefoulementBody,
  PanelsSchema,
  ReviewBody,
  TransferBody,
  VoidBody,
  WithdrawBody,
} from './schema.ts';
import { SCAN_BODY_LIMIT, scanOf, withScanParsers } from './uploads.ts';

const tags = ['case facts'];
const NoContent = withErrors({ 204: z.null() });
const Created = withErrors({ 201: IdResponse });
const FileResponse = withErrors({ 200: z.any().describe('the file') });
const SCAN = 'body: the file (Content-Type application/pdf, image/jpeg or image/png, checked by content; at most 10 MB), or a multipart/form-data form with one file part';

/** The panels of a case page: what each member's eligibility rests on, as the caller may see it. */
export const casePanelRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.get(
    '/api/v1/cases/:id/panels',
    {
      config: { access: can(caseFactsPolicy, 'readPanels') },
      schema: { tags, summary: "Consent, guardian, best interests and clearances of each current member the caller may see, and the case's legal assurances (audited when the case holds a child)", params: IdParams, response: withErrors({ 200: PanelsSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      const c = await findVisibleCase(db, actor, asOf, request.params.id);
      if (!c) throw notFound('case');
      const panels = await loadPanels(db, actor, asOf, c);
      const children = panels.members.filter((m) => isChild(m, asOf)).map((m) => m.person_id);
      if (children.length > 0) {
        await db.transaction().execute((tx) => recordAudit(tx, { action: 'case.facts_read', entityType: 'case', entityId: c.id, actor, context: { ip: request.ip, children } }));
      }
      return presentPanels(panels, actor, asOf);
    },
  );
};

/** Consent records (a parent's decision for named children, witnessed by child protection) and exemptions. */
export const consentRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  const consent = { access: can(caseFactsPolicy, 'recordConsent') };
  app.post(
    '/api/v1/consent-records',
    { config: consent, schema: { tags, summary: 'Record a parent’s or legal guardian’s consent, refusal or revocation for named children (the child-protection officer recording it is the witness)', body: ConsentBody, response: Created } },
    async (request, reply) => reply.status(201).send({ id: await recordConsent(db, actorOf(request), today(), request.body) }),
  );
  withScanParsers(app, (scoped) => {
    scoped.post(
      '/api/v1/consent-records/:id/document',
      { bodyLimit: SCAN_BODY_LIMIT, config: consent, schema: { tags, summary: `Attach the signed form (${SCAN})`, params: IdParams, response: NoContent } },
      async (request, reply) => {
        const { data, contentType } = scanOf(request);
        await attachConsentDocument(db, actorOf(request), today(), request.params.id, data, contentType);
        return reply.status(204).send(null);
      },
    );
  });
  app.get(
    '/api/v1/consent-records/:id/document',
    { config: { access: can(caseFactsPolicy, 'readConsentDocument') }, schema: { tags, summary: 'The signed form (audited)', params: IdParams, response: FileResponse } },
    async (request, reply) => {
      const file = await readConsentDocument(db, actorOf(request), today(), request.params.id);
      return reply.type(file.contentType).header('cache-control', 'private, no-store').header('etag', `"${file.sha256}"`).send(file.data);
    },
  );
  app.post(
    '/api/v1/consent-records/:id/void',
    { config: consent, schema: { tags, summary: 'Void a record entered in error (kept; never counts). A change of mind is a revocation, not a void.', params: IdParams, body: VoidBody, response: NoContent } },
    async (request, reply) => {
      await voidConsent(db, actorOf(request), today(), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  const exemption = { access: can(caseFactsPolicy, 'recordExemption') };
  app.post(
    '/api/v1/persons/:id/consent-exemptions',
    { config: exemption, schema: { tags, summary: 'Record that no consent is needed for this child (both parents deceased, no parent with custody, a court order)', params: IdParams, body: ExemptionBody, response: Created } },
    async (request, reply) => reply.status(201).send({ id: await recordExemption(db, actorOf(request), today(), request.params.id, request.body) }),
  );
  app.post(
    '/api/v1/consent-exemptions/:id/withdraw',
    { config: exemption, schema: { tags, summary: 'Withdraw an exemption: consent is needed again', params: IdParams, body: WithdrawBody, response: NoContent } },
    async (request, reply) => {
      await withdrawExemption(db, actorOf(request), today(), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );
};

/** The receiving guardian in the home country. */
export const guardianRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.post(
    '/api/v1/persons/:id/guardians',
    { config: { access: can(caseFactsPolicy, 'nameGuardian') }, schema: { tags, summary: 'Name the guardian who receives the child at home (supersedes the one on record)', params: IdParams, body: GuardianBody, response: Created } },
    async (request, reply) => reply.status(201).send({ id: await nameGuardian(db, actorOf(request), today(), request.params.id, request.body) }),
  );
  app.patch(
    '/api/v1/guardians/:id',
    {
      config: { access: can(caseFactsPolicy, 'updateGuardian') },
      schema: { tags, summary: 'Record how the relationship was verified, or correct the contact details (If-Match: the version read)', params: IdParams, headers: IfMatchHeaders, body: GuardianPatchBody, response: withErrors({ 200: GuardianSchema }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      await updateGuardian(db, actor, asOf, request.params.id, expectedVersion(request.headers['if-match']), request.body);
      const guardian = await findVisibleGuardian(db, actor, asOf, request.params.id);
      reply.header('etag', `"${guardian.version}"`);
      return presentGuardian(guardian);
    },
  );
};

/** Legal assurances given by the home country for a case. */
export const assuranceRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  const access = { access: can(caseFactsPolicy, 'recordAssurance') };
  app.post(
    '/api/v1/cases/:id/assurances',
    { config: access, schema: { tags, summary: 'Record an assurance the home country gave for the case (or one person on it)', params: IdParams, body: AssuranceBody, response: Created } },
    async (request, reply) => reply.status(201).send({ id: await recordAssurance(db, actorOf(request), today(), request.params.id, request.body) }),
  );
  withScanParsers(app, (scoped) => {
    scoped.post(
      '/api/v1/assurances/:id/document',
      { bodyLimit: SCAN_BODY_LIMIT, config: access, schema: { tags, summary: `Attach the scanned assurance (${SCAN})`, params: IdParams, response: NoContent } },
      async (request, reply) => {
        const { data, contentType } = scanOf(request);
        await attachAssuranceDocument(db, actorOf(request), today(), request.params.id, data, contentType);
        return reply.status(204).send(null);
      },
    );
  });
  app.get(
    '/api/v1/assurances/:id/document',
    { config: { access: can(caseFactsPolicy, 'readAssuranceDocument') }, schema: { tags, summary: 'The scanned assurance (audited)', params: IdParams, response: FileResponse } },
    async (request, reply) => {
      const file = await readAssuranceDocument(db, actorOf(request), today(), request.params.id);
      return reply.type(file.contentType).header('cache-control', 'private, no-store').header('etag', `"${file.sha256}"`).send(file.data);
    },
  );
  app.post(
    '/api/v1/assurances/:id/withdraw',
    { config: access, schema: { tags, summary: 'The country withdrew the assurance (or it was entered in error): it no longer counts', params: IdParams, body: WithdrawBody, response: NoContent } },
    async (request, reply) => {
      await withdrawAssurance(db, actorOf(request), today(), request.params.id, request.body.reason);
      return reply.status(204).send(null);
    },
  );
};

/** Best-interests assessments and determinations: child protection's. */
export const bestInterestsRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  const access = { access: can(caseFactsPolicy, 'recordBestInterests') };
  app.post(
    '/api/v1/persons/:id/best-interests-assessments',
    { config: access, schema: { tags, summary: 'Record a best-interests assessment (short or comprehensive) of a child', params: IdParams, body: AssessmentBody, response: Created } },
    async (request, reply) => reply.status(201).send({ id: await recordAssessment(db, actorOf(request), today(), request.params.id, request.body) }),
  );
  app.post(
    '/api/v1/persons/:id/best-interests-determinations',
    {
      config: access,
      schema: { tags, summary: 'Record a panel’s best-interests determination (final; at least 3 members, each with a confidentiality undertaking signed on or before the decision; supersedes the one on record)', params: IdParams, body: DeterminationBody, response: Created },
    },
    async (request, reply) => reply.status(201).send({ id: await recordDetermination(db, actorOf(request), today(), request.params.id, request.body) }),
  );
  app.post(
    '/api/v1/best-interests-determinations/:id/review',
    { config: access, schema: { tags, summary: 'Put the determination under review: it does not count meanwhile', params: IdParams, body: ReviewBody, response: NoContent } },
    async (request, reply) => {
      await changeDeterminationStatus(db, actorOf(request), today(), request.params.id, 'review', request.body.reason);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/api/v1/best-interests-determinations/:id/reopen',
    { config: access, schema: { tags, summary: 'Reopen the determination: it does not count until a new one is recorded', params: IdParams, body: ReviewBody, response: NoContent } },
    async (request, reply) => {
      await changeDeterminationStatus(db, actorOf(request), today(), request.params.id, 'reopen', request.body.reason);
      return reply.status(204).send(null);
    },
  );
};

/** The four agencies' clearances, the non-refoulement concern, and a transfer of sentence. */
export const clearanceRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;
  app.post(
    '/api/v1/cases/:id/clearances',
    { config: { access: can(caseFactsPolicy, 'recordClearance') }, schema: { tags, summary: "The caller's agency approves, approves with conditions, or denies one person's return on the case", params: IdParams, body: ClearanceBody, response: Created } },
    async (request, reply) => reply.status(201).send({ id: await recordClearance(db, actorOf(request), today(), request.params.id, request.body) }),
  );
  app.put(
    '/api/v1/persons/:id/non-refoulement',
    { config: { access: can(caseFactsPolicy, 'recordNonRefoulement') }, schema: { tags, summary: 'Record or lift a concern that the person could face persecution or the death penalty at home', params: IdParams, body: NonRefoulementBody, response: NoContent } },
    async (request, reply) => {
      await setNonRefoulement(db, actorOf(request), today(), request.params.id, request.body);
      return reply.status(204).send(null);
    },
  );
  app.put(
    '/api/v1/cases/:id/members/:personId/transfer',
    { config: { access: can(caseFactsPolicy, 'agreeTransfer') }, schema: { tags, summary: 'The home country agreed (or not) to take over this member’s sentence', params: MemberParams, body: TransferBody, response: NoContent } },
    async (request, reply) => {
      await setTransferAgreed(db, actorOf(request), today(), request.params.id, request.params.personId, request.body.agreed);
      return reply.status(204).send(null);
    },
  );
};

/** Every route of the facts a case's eligibility rests on. */
export const caseFactRoutes: RouteModule = (app, ctx) => {
  for (const register of [casePanelRoutes, consentRoutes, guardianRoutes, assuranceRoutes, bestInterestsRoutes, clearanceRoutes]) register(app, ctx);
};
