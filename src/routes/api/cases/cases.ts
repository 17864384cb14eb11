import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../../../audit/trail.ts';
import { addCaseMembers, removeCaseMember } from '../../../commands/caseMembership.ts';
import { caseFactsOf, evaluateCase } from '../../../commands/caseEligibility.ts';
import { openCase } from '../../../commands/caseOpener.ts';
import { transitionCase } from '../../../commands/caseTransitioner.ts';
import type { Db } from '../../../db/database.ts';
import type { Actor } from '../../../domain/actor.ts';
import { couldBeUnder, type IsoDate } from '../../../domain/birth-date.ts';
import { CASE_STATES } from '../../../domain/case-machine.ts';
import { forbidden, notFound } from '../../../domain/errors.ts';
import { type CriterionResult, countryView, type EligibilityVerdict, evaluate } from '../../../eligibility/index.ts';
import { casePolicy } from '../../../policies/case.ts';
import { can } from '../../../policies/policy.ts';
import { presentCase, presentCaseSummary, presentVerdict } from '../../../presenters/case.ts';
import { loadMemberFacts, rulesFor } from '../../../repositories/case-facts.ts';
import { caseVisibleTo, findVisibleCase, visibleMembers } from '../../../repositories/cases.ts';
import { today } from '../../../registry/as-of.ts';
import { type RouteModule, actorOf } from '../../../server/context.ts';
import { decodeCursor, listSchema, page } from '../../../server/pagination.ts';
import { IdParams, withErrors } from '../schemas.ts';
import { IfMatchHeaders, expectedVersion } from '../versioning.ts';
import { BoardQuery, CaseListQuery, CaseSchema, CaseSummarySchema, CountryEligibilitySchema, CountryParams, LeaveBody, MemberParams, MembersBody, NewCaseBody, TransitionBody } from './schema.ts';

const tags = ['cases'];

/** The case page, computed now: members' verdicts, the transitions open to the caller, the history. */
async function loadCase(db: Db, actor: Actor, asOf: IsoDate, id: string) {
  const c = await findVisibleCase(db, actor, asOf, id);
  if (!c) throw notFound('case');
  const [members, evaluation, history] = await Promise.all([
    visibleMembers(db, actor, asOf, [id]),
    evaluateCase(db, c, asOf),
    db
      .selectFrom('case_transitions as t')
      .leftJoin('users as u', 'u.id', 't.actor_user_id')
      .select(['t.transition', 't.from_state', 't.to_state', 't.reason', 't.occurred_at', 't.actor_system', 'u.display_name as actor_name'])
      .where('t.case_id', '=', id)
      .orderBy('t.id')
      .execute(),
  ]);
  return { c, members, body: presentCase(c, members, evaluation.byPerson, evaluation.family, caseFactsOf(c, evaluation, null), history, actor, asOf) };
}

/** Repatriation cases: open, read, move through the state machine, members joining and leaving. */
export const caseRoutes: RouteModule = (app, ctx) => {
  const db = ctx.database.db;

  app.get(
    '/api/v1/cases',
    { config: { access: can(casePolicy, 'list') }, schema: { tags, summary: 'Cases the caller may see, most recently moved first', querystring: CaseListQuery, response: withErrors({ 200: listSchema(CaseSummarySchema) }) } },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      const { limit, cursor, state, countryCode, eligible, q } = request.query;
      let query = db.selectFrom('cases as c').selectAll('c').where(caseVisibleTo(actor, asOf));
      if (state) query = query.where('c.state', '=', state);
      if (countryCode) query = query.where('c.country_code', '=', countryCode);
      if (q) query = query.where('c.reference', 'ilike', `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
      if (eligible === 'true') query = query.where(sql<boolean>`not exists (select 1 from case_members m where m.case_id = c.id and m.left_at is null and m.eligible is distinct from 'true')`);
      if (eligible === 'false') query = query.where(sql<boolean>`exists (select 1 from case_members m where m.case_id = c.id and m.left_at is null and m.eligible = 'false')`);
      if (eligible === 'unknown') {
        query = query
          .where(sql<boolean>`not exists (select 1 from case_members m where m.case_id = c.id and m.left_at is null and m.eligible = 'false')`)
          .where(sql<boolean>`exists (select 1 from case_members m where m.case_id = c.id and m.left_at is null and m.eligible is distinct from 'true')`);
      }
      const after = decodeCursor(cursor, z.tuple([z.string(), z.uuid()]));
      if (after) query = query.where((eb) => eb.or([eb('c.state_changed_at', '<', new Date(after[0])), eb.and([eb('c.state_changed_at', '=', new Date(after[0])), eb('c.id', '<', after[1])])]));
      const rows = await query.orderBy('c.state_changed_at', 'desc').orderBy('c.id', 'desc').limit(limit + 1).execute();
      const result = page(rows, limit, (r) => [r.state_changed_at.toISOString(), r.id]);
      const members = await visibleMembers(db, actor, asOf, result.data.map((r) => r.id));
      return { data: result.data.map((c) => presentCaseSummary(c, members.filter((m) => m.case_id === c.id), asOf)), nextCursor: result.nextCursor };
    },
  );

  app.get(
    '/api/v1/cases/board',
    { config: { access: can(casePolicy, 'list') }, schema: { tags, summary: 'Cases by state: the count in each state and the most recently moved', querystring: BoardQuery, response: withErrors({ 200: z.any() }) } },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      const { countryCode, perState } = request.query;
      let counts = db.selectFrom('cases as c').select(['c.state', sql<number>`count(*)::int`.as('n')]).where(caseVisibleTo(actor, asOf)).groupBy('c.state');
      if (countryCode) counts = counts.where('c.country_code', '=', countryCode);
      const byState = new Map((await counts.execute()).map((r) => [r.state, r.n]));
      const columns = [];
      for (const state of CASE_STATES) {
        let q = db.selectFrom('cases as c').selectAll('c').where(caseVisibleTo(actor, asOf)).where('c.state', '=', state);
        if (countryCode) q = q.where('c.country_code', '=', countryCode);
        const rows = (byState.get(state) ?? 0) > 0 ? await q.orderBy('c.state_changed_at', 'desc').orderBy('c.id', 'desc').limit(perState).execute() : [];
        const members = await visibleMembers(db, actor, asOf, rows.map((r) => r.id));
        columns.push({ state, count: byState.get(state) ?? 0, cases: rows.map((c) => presentCaseSummary(c, members.filter((m) => m.case_id === c.id), asOf)) });
      }
      return { columns };
    },
  );

  app.post(
    '/api/v1/cases',
    { config: { access: can(casePolicy, 'open') }, schema: { tags, summary: 'Open a case for one person or a family group', body: NewCaseBody, response: withErrors({ 201: CaseSchema }) } },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const id = await openCase(db, actor, asOf, request.body);
      const { c, body } = await loadCase(db, actor, asOf, id);
      reply.header('etag', `"${c.version}"`);
      return reply.status(201).send(body);
    },
  );

  app.get(
    '/api/v1/cases/:id',
    { config: { access: can(casePolicy, 'read') }, schema: { tags, summary: 'A case: members and their eligibility (computed now), transitions open to the caller and why the others are closed, history; audited when it holds a child', params: IdParams, response: withErrors({ 200: CaseSchema }) } },
    async (request, reply) => {
      const actor = actorOf(request);
      const asOf = today();
      const { c, members, body } = await loadCase(db, actor, asOf, request.params.id);
      const children = members.filter((m) => couldBeUnder({ earliest: m.birth_earliest, latest: m.birth_latest }, 18, asOf)).map((m) => m.person_id);
      if (children.length > 0) {
        // A case page shows children's records: every such read is an event of the audit trail.
        await db.transaction().execute((tx) => recordAudit(tx, { action: 'case.read', entityType: 'case', entityId: c.id, actor, context: { ip: request.ip, children } }));
      }
      reply.header('etag', `"${c.version}"`);
      return body;
    },
  );

  app.post(
    '/api/v1/cases/:id/transitions',
    {
      config: { access: can(casePolicy, 'transition') },
      schema: { tags, summary: 'Move a case to another state (one transition of the table, its guard checked in the same transaction); 409 when it moved meanwhile', params: IdParams, body: TransitionBody, response: withErrors({ 200: CaseSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await transitionCase(db, actor, asOf, request.params.id, request.body);
      return (await loadCase(db, actor, asOf, request.params.id)).body;
    },
  );

  app.post(
    '/api/v1/cases/:id/members',
    { config: { access: can(casePolicy, 'manageMembers') }, schema: { tags, summary: 'Add people to a family case (If-Match: the case version)', params: IdParams, headers: IfMatchHeaders, body: MembersBody, response: withErrors({ 200: CaseSchema }) } },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await addCaseMembers(db, actor, asOf, request.params.id, expectedVersion(request.headers['if-match']), request.body.members);
      return (await loadCase(db, actor, asOf, request.params.id)).body;
    },
  );

  app.post(
    '/api/v1/cases/:id/members/:personId/leave',
    {
      config: { access: can(casePolicy, 'manageMembers') },
      schema: { tags, summary: 'A member who cannot go leaves the case, with a reason; they stay registered (If-Match: the case version)', params: MemberParams, headers: IfMatchHeaders, body: LeaveBody, response: withErrors({ 200: CaseSchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      await removeCaseMember(db, actor, asOf, request.params.id, request.params.personId, expectedVersion(request.headers['if-match']), request.body.reason);
      return (await loadCase(db, actor, asOf, request.params.id)).body;
    },
  );

  app.get(
    '/api/v1/countries/:code/eligibility',
    {
      config: { access: can(casePolicy, 'countryView') },
      schema: { tags, summary: "A country's children on open cases: how many are eligible, and what blocks the others (an embassy: its own country)", params: CountryParams, response: withErrors({ 200: CountryEligibilitySchema }) },
    },
    async (request) => {
      const actor = actorOf(request);
      const asOf = today();
      const code = request.params.code;
      if (actor.role === 'embassy' && actor.countryCode !== code) throw notFound('country');
      if (actor.role !== 'embassy' && actor.role !== 'coordinator') throw forbidden();
      const members = await db
        .selectFrom('case_members as cm')
        .innerJoin('cases as c', 'c.id', 'cm.case_id')
        .innerJoin('persons as p', 'p.id', 'cm.person_id')
        .select(['cm.case_id', 'cm.person_id', 'cm.transfer_agreed', 'c.state', 'p.birth_earliest', 'p.birth_latest'])
        .where('c.country_code', '=', code)
        .where('cm.current', '=', true)
        .where(caseVisibleTo(actor, asOf))
        .execute();
      const facts = await loadMemberFacts(
        db,
        members.map((m) => ({ caseId: m.case_id, personId: m.person_id, countryCode: code, transferAgreed: m.transfer_agreed })),
      );
      const rules = await rulesFor(db, code, asOf);
      const verdicts: EligibilityVerdict[] = facts.map((f) => evaluate(f, rules, asOf));
      const children = verdicts.filter((v) => v.subject === 'child');
      const adults = verdicts.filter((v) => v.subject === 'adult');
      // Criteria the caller does not see are counted as one "checks by other authorities" blocker.
      const visible = (v: EligibilityVerdict) => {
        const shown = presentVerdict(v, actor);
        const ids = new Set(shown.criteria.map((c) => c.id));
        const hidden = v.criteria.filter((c) => !ids.has(c.id) && c.status !== 'holds');
        const first = hidden[0];
        const other = first ? [{ ...first, id: 'other_authorities' } as unknown as CriterionResult] : [];
        return { ...v, criteria: [...v.criteria.filter((c) => ids.has(c.id)), ...other] };
      };
      return {
        countryCode: code,
        onDate: asOf,
        children: countryView(children.map(visible)),
        adults: countryView(adults.map(visible)),
        byState: Object.fromEntries(CASE_STATES.map((s) => [s, new Set(members.filter((m) => m.state === s).map((m) => m.case_id)).size]).filter(([, n]) => Number(n) > 0)),
      };
    },
  );
};
