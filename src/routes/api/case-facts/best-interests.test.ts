import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type World, UNKNOWN, childAtAssessment, criterion, daysAgo, determinationBody, ok, panels, refused, setUp } from './fixtures.ts';

let w: World;
before(async () => {
  w = await setUp();
});
after(() => w.t.close());

const determine = (childId: string, body: Record<string, unknown>, client = w.protection) => client.request('POST', `/api/v1/persons/${childId}/best-interests-determinations`, body);

describe('best interests', () => {
  test('required for a child whose mother stays; a final determination for return holds, under review or reopened it does not, a new one supersedes', async () => {
    const f = await childAtAssessment(w);
    assert.equal(await criterion(w, f.caseId, f.childId, 'best_interests'), 'unknown');
    const before = (await panels(w, f.caseId)).members[0].bestInterests;
    assert.deepEqual(before, { required: true, requiredBecause: ['separated_from_mother'], determination: null, assessments: [] });

    ok(await w.protection.request('POST', `/api/v1/persons/${f.childId}/best-interests-assessments`, { kind: 'comprehensive', assessedOn: daysAgo(30), summary: 'Attached to the grandmother; wishes to go to school.', recommendation: 'return' }), 201);
    const { id } = ok(await determine(f.childId, determinationBody()), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'best_interests'), 'holds');

    ok(await w.protection.request('POST', `/api/v1/best-interests-determinations/${id}/review`, { reason: 'new information from the grandmother’s district' }), 204);
    assert.equal(await criterion(w, f.caseId, f.childId, 'best_interests'), 'unknown');
    assert.equal((await panels(w, f.caseId)).members[0].bestInterests.determination.status, 'under_review');
    refused(await w.protection.request('POST', `/api/v1/best-interests-determinations/${id}/review`, { reason: 'again' }), 409);
    ok(await w.protection.request('POST', `/api/v1/best-interests-determinations/${id}/reopen`, { reason: 'the panel sits again' }), 204);
    assert.equal(await criterion(w, f.caseId, f.childId, 'best_interests'), 'unknown');
    assert.equal((await panels(w, f.caseId)).members[0].bestInterests.determination.status, 'reopened');

    const against = ok(await determine(f.childId, determinationBody('not_return', daysAgo(1))), 201);
    assert.equal(await criterion(w, f.caseId, f.childId, 'best_interests'), 'fails');
    const shown = (await panels(w, f.caseId, w.protection)).members[0].bestInterests.determination;
    assert.deepEqual([shown.id, shown.outcome, shown.status, shown.version], [against.id, 'not_return', 'final', 1]);
    refused(await w.protection.request('POST', `/api/v1/best-interests-determinations/${id}/reopen`, { reason: 'old one' }), 409);
    refused(await w.protection.request('POST', `/api/v1/best-interests-determinations/${id}/review`, {}), 400, 'body.reason');
  });

  test('the embassy and the coordinator see the outcome, not the content; child protection sees it all', async () => {
    const f = await childAtAssessment(w);
    ok(await w.protection.request('POST', `/api/v1/persons/${f.childId}/best-interests-assessments`, { kind: 'short', assessedOn: daysAgo(9), summary: 'Confidential summary words' }), 201);
    ok(await determine(f.childId, { ...determinationBody(), dissent: 'One member would wait for the mother’s release' }), 201);
    const full = (await panels(w, f.caseId, w.protection)).members[0].bestInterests;
    assert.deepEqual(full.determination.content.panel.map((m: { name: string }) => m.name), ['Panel Chair', 'Social Worker', 'Legal Officer']);
    assert.equal(full.determination.content.dissent, 'One member would wait for the mother’s release');
    assert.equal(full.assessments[0].content.summary, 'Confidential summary words');
    for (const client of [w.embassy, w.coordinator, w.judiciary, w.custody, w.security]) {
      const response = await client.request('GET', `/api/v1/cases/${f.caseId}/panels`);
      const seen = ok(response).members[0].bestInterests;
      assert.equal(seen.determination.outcome, 'return');
      assert.equal('content' in seen.determination, false);
      assert.equal('content' in seen.assessments[0], false);
      for (const secret of ['grandmother in Khujand', 'Confidential summary', 'Panel Chair', 'mother’s release']) assert.ok(!response.body.includes(secret), `${secret} leaked`);
    }
    // Why one is required is care (welfare) data: not for the embassy.
    assert.equal('requiredBecause' in (await panels(w, f.caseId, w.embassy)).members[0].bestInterests, false);
    assert.equal((await panels(w, f.caseId, w.embassy)).members[0].bestInterests.required, true);
    // Nor does the audit trail keep the content.
    const audit = await w.t.database.db
      .selectFrom('audit_events as e')
      .innerJoin('audit_values as v', 'v.event_id', 'e.id')
      .select(['e.action', 'v.data'])
      .where('e.entity_id', '=', f.childId)
      .where('e.action', 'like', 'best_interests.%')
      .execute();
    assert.equal(audit.length, 2);
    assert.ok(!JSON.stringify(audit).includes('Khujand') && !JSON.stringify(audit).includes('Confidential'), JSON.stringify(audit));
  });

  test('a panel of at least three, each with an undertaking signed on or before the decision; only for children; only child protection', async () => {
    const f = await childAtAssessment(w);
    const body = determinationBody();
    refused(await determine(f.childId, { ...body, panel: body.panel.slice(0, 2) }), 400, 'body.panel');
    const late = refused(await determine(f.childId, { ...body, panel: [body.panel[0], body.panel[1], { name: 'Late Member', undertakingSignedOn: daysAgo(1) }] }), 400, 'body.panel.2.undertakingSignedOn');
    assert.equal(late.details.length, 1);
    refused(await determine(f.childId, { ...body, panel: [...body.panel, { name: 'No date' }] }), 400, 'body.panel.3.undertakingSignedOn');
    refused(await determine(f.childId, { ...body, outcome: 'stay' }), 400, 'body.outcome');
    refused(await determine(f.childId, { ...body, decidedOn: '2999-01-01' }), 400, 'body.decidedOn');
    refused(await determine(f.childId, { ...body, reviewOn: daysAgo(30) }), 400, 'body.reviewOn');
    refused(await determine(f.childId, { ...body, reasoning: undefined }), 400, 'body.reasoning');
    refused(await determine(f.motherId, body), 422);
    refused(await determine(UNKNOWN, body), 404);
    refused(await determine(f.childId, body, w.coordinator), 403);
    const assess = (b: Record<string, unknown>, client = w.protection) => client.request('POST', `/api/v1/persons/${f.childId}/best-interests-assessments`, b);
    refused(await assess({ kind: 'long', assessedOn: daysAgo(1), summary: 'x' }), 400, 'body.kind');
    refused(await assess({ kind: 'short', assessedOn: '2999-01-01', summary: 'x' }), 400, 'body.assessedOn');
    refused(await assess({ kind: 'short', assessedOn: daysAgo(1) }), 400, 'body.summary');
    refused(await assess({ kind: 'short', assessedOn: daysAgo(1), summary: 'x' }, w.embassy), 403);
    refused(await w.protection.request('POST', `/api/v1/persons/${f.motherId}/best-interests-assessments`, { kind: 'short', assessedOn: daysAgo(1), summary: 'x' }), 422);
    assert.equal((await panels(w, f.caseId)).members[0].bestInterests.determination, null);
  });
});
