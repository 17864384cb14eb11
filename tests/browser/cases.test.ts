/// <reference lib="dom" />
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { apiLogin, ARTIFACTS, BROWSER_PASSWORD, openPage, type RunningServer, signInAs, useDemoServer } from './server.ts';

const PASSWORD = BROWSER_PASSWORD;
let server: RunningServer;
let browser: Browser;
useDemoServer(PASSWORD, (s, b) => {
  server = s;
  browser = b;
});

interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
}

async function api<T>(session: Session, method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${url}`, {
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${url}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `cases-${name}.png`), fullPage: true });

/**
 * A Russian girl of seven and her mother (who stays: she serves her sentence), both held in a facility of the
 * Ministry of Justice; the mission confirmed the girl's nationality, a document her identity. What her case will miss: a guardian, assurances, her mother's consent, a best-interests
 * determination (going home separates her from her mother) and the four clearances. The coordinator opens
 * her case in the browser.
 */
async function setUpCase() {
  const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
  const embassy = await apiLogin(server.url, 'demo-embassy-rus', PASSWORD);
  const facilities = await api<{ data: { id: string; kind: string; agency: unknown }[] }>(coordinator, 'GET', '/facilities?limit=500');
  const facility = facilities.data.find((f) => f.agency !== null && f.kind === 'juvenile_facility') ?? facilities.data.find((f) => f.agency !== null);
  assert.ok(facility, 'a facility run by the Ministry of Justice (so that custody sees the child)');
  const register = (sex: string, birth: string, given: string) =>
    api<{ id: string }>(coordinator, 'POST', '/persons', {
      sex,
      birthDate: { precision: 'exact', date: birth },
      names: [{ kind: 'primary', givenName: given, familyName: 'Браунова' }],
      nationalities: [{ countryCode: 'RUS', status: 'claimed' }],
      custody: { facilityId: facility.id, admittedOn: '2024-03-01' },
    });
  const child = await register('female', day(-7 * 365 - 40), 'Алина');
  const mother = await register('female', '1994-02-11', 'Марина');
  await api(coordinator, 'POST', `/persons/${child.id}/family-links`, { relativeId: mother.id, relation: 'mother', verification: 'document', confidence: 0.9 });
  const request = await api<{ id: string }>(coordinator, 'POST', '/verification-requests', { countryCode: 'RUS', personIds: [child.id], dueOn: day(30) });
  await api(embassy, 'POST', `/verification-requests/${request.id}/answers`, { personId: child.id, answer: 'confirmed', evidence: 'Civil register of Grozny, entry 4411/2019.' });
  await api(coordinator, 'POST', `/persons/${child.id}/evidence`, { kind: 'document', observedOn: day(-3), supports: true, summary: 'Birth certificate examined at the consulate.', source: 'Consul of the Russian Federation' });
  return { childId: child.id, motherId: mother.id, coordinator };
}

const criterion = (page: Page, id: string, status?: string) =>
  page.locator(`[data-testid="criterion"][data-criterion-id="${id}"]${status ? `[data-status="${status}"]` : ''}`);
const statusOf = (page: Page, id: string) => criterion(page, id).getAttribute('data-status');
const transition = (page: Page, name: string) => page.locator(`[data-testid="transition"][data-transition="${name}"]`);

/** Fetches the case page again (another user changed a fact) and waits for it. */
async function reloadCase(page: Page): Promise<void> {
  await page.reload();
  await page.getByTestId('case-page').waitFor();
  await page.getByTestId('eligibility-checklist').first().waitFor();
}

/** Submits the modal form open on the page and waits until it has closed (the save went through). */
async function submitForm(page: Page, testId: string): Promise<void> {
  await page.getByTestId(testId).getByTestId('case-form-submit').click();
  await page.getByTestId(testId).waitFor({ state: 'detached', timeout: 15_000 });
}

describe('repatriation cases in Chromium', () => {
  test('the coordinator moves a case from assessment to approved, seeing each blocking criterion resolve', async () => {
    const problems: string[] = [];
    const people = await setUpCase();

    // --- The coordinator opens the girl's case: the country, one person found in the registry.
    const coordinator = await openPage(browser, problems);
    await signInAs(coordinator, server.url, 'demo-coordinator', PASSWORD);
    await coordinator.getByTestId('nav-cases').click();
    await coordinator.getByTestId('cases-page').waitFor();
    assert.equal(await coordinator.getByTestId('page-being-built').count(), 0, 'the section is built');
    await coordinator.getByTestId('case-new').click();
    await coordinator.getByTestId('case-new-page').waitFor();
    await coordinator.getByTestId('case-new-submit').click();
    await coordinator.getByTestId('case-new-none').waitFor();
    await coordinator.getByTestId('case-new-country').selectOption('RUS');
    await coordinator.getByTestId('case-new-search').fill('Браунова');
    const candidate = coordinator.locator(`[data-testid="case-candidate"][data-person-id="${people.childId}"]`);
    await candidate.waitFor({ timeout: 30_000 });
    await coordinator.locator(`[data-testid="case-candidate"][data-person-id="${people.motherId}"]`).waitFor();
    await candidate.getByTestId('case-candidate-tick').check();
    assert.equal(await coordinator.getByTestId('case-new-chosen').getAttribute('data-count'), '1');
    assert.equal(await coordinator.getByTestId('case-new-member-role').inputValue(), 'principal');
    await coordinator.getByTestId('case-new-title').fill('Alina returns to her grandmother');
    await coordinator.getByTestId('case-new-submit').click();
    await coordinator.locator('[data-testid="case-page"][data-state="identification"]').waitFor();
    const caseId = (await coordinator.getByTestId('case-page').getAttribute('data-case-id')) as string;
    const casePath = `/cases/${caseId}`;
    assert.match(coordinator.url(), new RegExp(`${casePath}$`));
    const reference = ((await coordinator.getByTestId('case-title').textContent()) ?? '').replace(/^Case /, '');
    assert.match(reference, /^RUS-\d{4}-\d+$/);
    const setup = { caseId, reference, coordinator: people.coordinator };

    // Its nationality is claimed and confirmed: the first two moves are open, one click each.
    await transition(coordinator, 'start_verification').getByRole('button').click();
    await coordinator.locator('[data-testid="case-page"][data-state="nationality_verification"]').waitFor();
    await transition(coordinator, 'start_assessment').getByRole('button').click();
    await coordinator.locator('[data-testid="case-page"][data-state="assessment"]').waitFor();

    // --- On the board the case is in the assessment column.
    await coordinator.getByTestId('case-back').click();
    await coordinator.getByTestId('cases-page').waitFor();
    const column = coordinator.locator('[data-testid="board-column"][data-state="assessment"]');
    await column.locator(`[data-testid="case-card"][data-case-id="${setup.caseId}"]`).waitFor();
    const states = await coordinator.getByTestId('board-column').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    assert.deepEqual(states.slice(0, 5), ['identification', 'nationality_verification', 'assessment', 'clearance', 'approved'], 'columns in the machine\'s order');
    assert.ok(Number(await column.getAttribute('data-count')) >= 1);
    await shot(coordinator, '01-board');

    // The table, filtered to the state, lists it too.
    await coordinator.getByTestId('cases-tab-table').click();
    await coordinator.getByTestId('case-filter-state').selectOption('assessment');
    await coordinator.getByTestId('case-filter-country').selectOption('RUS');
    await coordinator.locator(`[data-testid="case-row"][data-case-id="${setup.caseId}"]`).waitFor();
    // The rows of the unfiltered list stay until the filtered answer arrives: wait for it.
    await coordinator.waitForFunction(() => [...document.querySelectorAll('[data-testid="case-row"]')].every((e) => e.getAttribute('data-state') === 'assessment'), undefined, { timeout: 15_000 });
    assert.deepEqual(await coordinator.getByTestId('case-row').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-state')))]), ['assessment']);
    await coordinator.locator(`[data-testid="case-row"][data-case-id="${setup.caseId}"] a`).first().click();
    await coordinator.getByTestId('case-page').waitFor();
    assert.match(coordinator.url(), new RegExp(`${casePath}$`));
    assert.equal(await coordinator.getByTestId('case-page').getAttribute('data-state'), 'assessment');
    assert.match((await coordinator.getByTestId('case-title').textContent()) ?? '', new RegExp(setup.reference));

    // What holds already, and what blocks: each shown with its status in words.
    for (const id of ['nationality_confirmed', 'identity_confirmed', 'not_convicted_or_served', 'no_pending_proceedings', 'not_withheld']) {
      assert.equal(await statusOf(coordinator, id), 'holds', id);
    }
    const blocking = ['guardian_identified', 'legal_assurances', 'consent', 'best_interests'];
    const clearances = ['clearance_coordinator', 'clearance_judiciary', 'clearance_custody', 'clearance_security'];
    for (const id of [...blocking, ...clearances]) assert.equal(await statusOf(coordinator, id), 'unknown', id);
    assert.match((await criterion(coordinator, 'consent').getByTestId('criterion-message').textContent()) ?? '', /No valid consent of the parent with custody/);
    assert.match((await criterion(coordinator, 'consent').getByTestId('criterion-resolved-by').textContent()) ?? '', /Child protection/);
    assert.match((await criterion(coordinator, 'best_interests').getByTestId('criterion-message').textContent()) ?? '', /separate the child from the mother/);
    assert.equal(await criterion(coordinator, 'consent').getByTestId('criterion-status').textContent(), '?Unknown');

    // "Request clearances" is closed, and says why: the criteria other than clearances that do not hold, listed.
    const request = transition(coordinator, 'request_clearance');
    assert.equal(await request.getAttribute('data-allowed'), 'false');
    assert.ok(await request.getByRole('button').isDisabled());
    const listed = async (t: ReturnType<typeof transition>) => t.getByTestId('blocking-criterion').evaluateAll((els) => els.map((e) => e.getAttribute('data-criterion-id')));
    const listedNow = await listed(request);
    for (const id of blocking) assert.ok(listedNow.includes(id), `${id} is listed as blocking`);
    assert.ok(!listedNow.some((id) => id?.startsWith('clearance_')), 'clearances are not asked for yet');
    assert.match((await request.getByTestId('transition-closed-because').first().textContent()) ?? '', /Eligibility criteria other than clearances do not all hold yet/);
    // Holding asks for a reason; the button is open.
    assert.equal(await transition(coordinator, 'hold').getAttribute('data-allowed'), 'true');
    await shot(coordinator, '02-assessment-blocked');

    // --- The Russian embassy names the guardian (verified) and gives an assurance, through the case page's forms.
    const embassy = await openPage(browser, problems);
    await signInAs(embassy, server.url, 'demo-embassy-rus', PASSWORD);
    await embassy.goto(`${server.url}${casePath}`);
    await embassy.getByTestId('case-page').waitFor();
    assert.equal(await embassy.getByTestId('consent-record-open').count(), 0, 'an embassy records no consent');
    assert.equal(await embassy.getByTestId('bid-determine-open').count(), 0, 'nor a best-interests determination');
    assert.equal(await embassy.getByTestId('clearance-open').count(), 0, 'nor a clearance');
    await embassy.getByTestId('guardian-name-open').click();
    await embassy.getByTestId('guardian-form').waitFor();
    await embassy.getByTestId('guardian-full-name').fill('Зарема Браунова');
    await embassy.getByTestId('guardian-relation').selectOption('grandparent');
    await embassy.getByTestId('guardian-contact').fill('+7 928 000 00 00');
    await embassy.getByTestId('guardian-verification').selectOption('verified');
    await embassy.getByTestId('guardian-verified-by').fill('DNA kinship test and the civil register of Grozny');
    await submitForm(embassy, 'guardian-form');
    await embassy.locator('[data-testid="guardian-verification-status"][data-verification="verified"]').waitFor();
    await embassy.getByTestId('assurance-open').click();
    await embassy.getByTestId('assurance-form').waitFor();
    await embassy.getByTestId('assurance-type').fill('No prosecution of the child; access to schooling');
    await embassy.getByTestId('assurance-authority').fill('Prosecutor General’s Office of the Russian Federation');
    await submitForm(embassy, 'assurance-form');
    await embassy.getByTestId('assurance-row').waitFor();
    await shot(embassy, '03-embassy-guardian-assurance');

    // The coordinator sees those two criteria (and the agreement's "guardian is a relative") flip to holds.
    await reloadCase(coordinator);
    await criterion(coordinator, 'guardian_identified', 'holds').waitFor();
    await criterion(coordinator, 'legal_assurances', 'holds').waitFor();
    assert.match((await criterion(coordinator, 'legal_assurances').getByTestId('criterion-message').textContent()) ?? '', /Russian Federation gave 1 legal assurance/);
    assert.equal(await statusOf(coordinator, 'consent'), 'unknown');
    assert.deepEqual((await listed(transition(coordinator, 'request_clearance'))).sort(), ['best_interests', 'consent']);

    // --- Child protection records the mother's consent (it witnessed it) and the panel's best-interests determination.
    const protection = await openPage(browser, problems);
    await signInAs(protection, server.url, 'demo-child-protection', PASSWORD);
    await protection.goto(`${server.url}${casePath}`);
    await protection.getByTestId('case-page').waitFor();
    assert.equal(await protection.getByTestId('case-transitions').count(), 0, 'child protection makes no transitions');
    await protection.getByTestId('consent-record-open').click();
    await protection.getByTestId('consent-form').waitFor();
    assert.match((await protection.getByTestId('consent-given-by').locator('option:checked').textContent()) ?? '', /Марина Браунова/);
    await protection.getByTestId('consent-language').fill('Russian');
    await submitForm(protection, 'consent-form');
    await protection.locator('[data-testid="consent-effective"][data-status="given"]').waitFor();
    await protection.getByTestId('bid-determine-open').click();
    await protection.getByTestId('bid-form').waitFor();
    await protection.getByTestId('bid-recommendation').fill('Return to the maternal grandmother in Grozny.');
    await protection.getByTestId('bid-reasoning').fill('The grandmother is able and willing to care for Alina; the mother consents and will be visited; schooling is arranged.');
    // Two panel members are not enough: the form says so before sending.
    const names = protection.getByTestId('bid-member-name');
    await names.nth(0).fill('Layla Hassan');
    await names.nth(1).fill('Omar Saleh');
    await protection.getByTestId('bid-form').getByTestId('case-form-submit').click();
    await protection.getByTestId('bid-panel-error').waitFor();
    await names.nth(2).fill('Nadia Karimova');
    await submitForm(protection, 'bid-form');
    await protection.locator('[data-testid="bid-determination"][data-outcome="return"]').waitFor();
    await protection.getByTestId('bid-content').waitFor();
    await criterion(protection, 'consent', 'holds').waitFor();
    await shot(protection, '04-child-protection');

    // --- The coordinator: consent and best interests hold; "Request clearances" opens and moves the case.
    await reloadCase(coordinator);
    await criterion(coordinator, 'consent', 'holds').waitFor();
    await criterion(coordinator, 'best_interests', 'holds').waitFor();
    assert.match((await criterion(coordinator, 'consent').getByTestId('criterion-message').textContent()) ?? '', /Consent given on/);
    await coordinator.locator('[data-testid="transition"][data-transition="request_clearance"][data-allowed="true"]').waitFor();
    await transition(coordinator, 'request_clearance').getByRole('button').click();
    await coordinator.locator('[data-testid="case-page"][data-state="clearance"]').waitFor();
    const approve = transition(coordinator, 'approve');
    assert.equal(await approve.getAttribute('data-allowed'), 'false');
    assert.deepEqual((await listed(approve)).sort(), [...clearances].sort(), 'only the four clearances block approval');
    await shot(coordinator, '05-clearance-blocked');

    // --- Each agency decides for itself: the coordinator here, the other three on their own pages.
    await coordinator.getByTestId('clearance-open').click();
    await coordinator.getByTestId('clearance-form').waitFor();
    await coordinator.getByTestId('clearance-reasons').fill('Guardian, assurances and consent in order.');
    await submitForm(coordinator, 'clearance-form');
    await criterion(coordinator, 'clearance_coordinator', 'holds').waitFor();
    assert.deepEqual((await listed(transition(coordinator, 'approve'))).sort(), ['clearance_custody', 'clearance_judiciary', 'clearance_security']);

    for (const [username, agency, conditions] of [
      ['demo-judiciary', 'judiciary', null],
      ['demo-custody', 'custody', 'Handed over only to the escorting consular officer'],
      ['demo-security', 'security', null],
    ] as const) {
      const agencyPage = await openPage(browser, problems);
      await signInAs(agencyPage, server.url, username, PASSWORD);
      await agencyPage.goto(`${server.url}${casePath}`);
      await agencyPage.getByTestId('case-page').waitFor();
      assert.equal(await agencyPage.getByTestId('clearance-open').getAttribute('data-agency'), agency, 'the form is for the caller\'s own agency');
      await agencyPage.getByTestId('clearance-open').click();
      await agencyPage.getByTestId('clearance-form').waitFor();
      if (conditions) {
        await agencyPage.getByTestId('clearance-decision-approve_with_conditions').check();
        await agencyPage.getByTestId('clearance-conditions').fill(conditions);
      }
      await agencyPage.getByTestId('clearance-reasons').fill(`No objection from the ${agency} side.`);
      await submitForm(agencyPage, 'clearance-form');
      await agencyPage.locator(`[data-testid="clearance-row"][data-agency="${agency}"][data-status="approved"]`).waitFor();
      if (agency === 'custody') await shot(agencyPage, '06-custody-clearance');
      await agencyPage.context().close();

      await reloadCase(coordinator);
      await criterion(coordinator, `clearance_${agency}`, 'holds').waitFor();
    }
    assert.match((await criterion(coordinator, 'clearance_custody').getByTestId('criterion-message').textContent()) ?? '', /Cleared by the Ministry of Justice with 1 condition/);
    for (const id of [...blocking, ...clearances]) assert.equal(await statusOf(coordinator, id), 'holds', id);
    await coordinator.locator('[data-testid="transition"][data-transition="approve"][data-allowed="true"]').waitFor();
    assert.equal(await coordinator.locator('[data-testid="case-page"]').getAttribute('data-eligible'), 'true');
    await shot(coordinator, '07-approve-open');

    // --- Meanwhile someone puts the case on hold: the coordinator's "Approve" gets 409, said clearly, and the case reloads.
    await api(setup.coordinator, 'POST', `/cases/${setup.caseId}/transitions`, { to: 'on_hold', from: 'clearance', reason: 'Waiting for the escort to be named.' });
    await transition(coordinator, 'approve').getByRole('button').click();
    const refusal = coordinator.getByTestId('transition-error');
    await refusal.waitFor();
    assert.equal(await refusal.getAttribute('data-status'), '409');
    assert.match((await refusal.textContent()) ?? '', /changed meanwhile/);
    await coordinator.locator('[data-testid="case-page"][data-state="on_hold"]').waitFor();
    assert.match((await coordinator.getByTestId('case-held-from').textContent()) ?? '', /Clearance/);
    await shot(coordinator, '08-conflict');
    // Resume returns it to clearance (the only "resume" offered), and then it is approved.
    assert.deepEqual(await coordinator.locator('[data-testid="transition"][data-transition="resume"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-to'))), ['clearance']);
    await transition(coordinator, 'resume').getByRole('button').click();
    await coordinator.locator('[data-testid="case-page"][data-state="clearance"]').waitFor();
    await transition(coordinator, 'approve').getByRole('button').click();
    await coordinator.locator('[data-testid="case-page"][data-state="approved"]').waitFor();
    assert.equal(await coordinator.getByTestId('case-state').first().getAttribute('data-state'), 'approved');
    const history = await coordinator.getByTestId('history-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-transition')));
    assert.deepEqual(history, ['open', 'start_verification', 'start_assessment', 'request_clearance', 'hold', 'resume', 'approve']);
    const stored = await api<{ state: string }>(setup.coordinator, 'GET', `/cases/${setup.caseId}`);
    assert.equal(stored.state, 'approved');
    await shot(coordinator, '09-approved');

    // --- In Arabic the case page reads right to left: statuses, criteria and the machine's words translated.
    await coordinator.getByTestId('language-select').selectOption('ar');
    await coordinator.waitForFunction(() => document.documentElement.dir === 'rtl');
    await coordinator.getByText('الجنسية مؤكَّدة').first().waitFor();
    assert.match((await criterion(coordinator, 'consent').getByTestId('criterion-status').textContent()) ?? '', /مستوفى/);
    assert.match((await criterion(coordinator, 'clearance_custody').getByTestId('criterion-message').textContent()) ?? '', /وزارة العدل/);
    assert.equal(await coordinator.getByTestId('eligibility-checklist').first().evaluate((el) => getComputedStyle(el).direction), 'rtl');
    await shot(coordinator, '10-approved-arabic');
    await coordinator.getByTestId('language-select').selectOption('en');

    assert.deepEqual(problems, [], 'no Content-Security-Policy violations or page errors');
  });

  test('a family case gains a member; a determination is reviewed and decided again; a consent form is uploaded; an exemption is withdrawn', async () => {
    const problems: string[] = [];
    // --- Set up by the API: two Russian sisters, their mother (linked, not on the case: she stays), the elder's case.
    const coordinatorApi = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const protectionApi = await apiLogin(server.url, 'demo-child-protection', PASSWORD);
    const family = `Ковалёва${Date.now() % 100_000}`;
    const register = (birth: string, given: string) =>
      api<{ id: string }>(coordinatorApi, 'POST', '/persons', {
        sex: 'female',
        birthDate: { precision: 'exact', date: birth },
        names: [{ kind: 'primary', givenName: given, familyName: family }],
        nationalities: [{ countryCode: 'RUS', status: 'claimed' }],
      });
    const elder = await register(day(-9 * 365), 'Дарья');
    const younger = await register(day(-5 * 365), 'Вера');
    const mother = await register('1990-05-02', 'Ольга');
    await api(coordinatorApi, 'POST', `/persons/${elder.id}/family-links`, { relativeId: mother.id, relation: 'mother', verification: 'document', confidence: 0.9 });
    const opened = await api<{ id: string }>(coordinatorApi, 'POST', '/cases', { countryCode: 'RUS', kind: 'family', title: 'The Kovalyova sisters', members: [{ personId: elder.id, role: 'child' }] });
    const panel = (n: number) => ({ name: `Panel member ${n}`, undertakingSignedOn: day(-3) });
    await api(protectionApi, 'POST', `/persons/${elder.id}/best-interests-determinations`, {
      outcome: 'return',
      decidedOn: day(-2),
      recommendation: 'Return with the family.',
      reasoning: 'Relatives at home are able to care for her.',
      panel: [panel(1), panel(2), panel(3)],
    });
    await api(protectionApi, 'POST', '/consent-records', { givenBy: mother.id, kind: 'consent', decidedOn: day(-1), language: 'Russian', childIds: [elder.id] });
    // The younger girl's parents are not known: an exemption, recorded in error (it is withdrawn below).
    await api(coordinatorApi, 'POST', `/persons/${younger.id}/consent-exemptions`, { reason: 'both_parents_deceased', recordedOn: day(-1) });
    const casePath = `/cases/${opened.id}`;
    const memberOf = (page: Page, personId: string) => page.locator(`[data-testid="case-member"][data-person-id="${personId}"]`);
    const criterionOf = (page: Page, personId: string, id: string, filter = '') => memberOf(page, personId).locator(`[data-testid="criterion"][data-criterion-id="${id}"]${filter}`);

    // --- The coordinator adds the younger sister to the case, found in the registry, as a child.
    const coordinator = await openPage(browser, problems);
    await signInAs(coordinator, server.url, 'demo-coordinator', PASSWORD);
    await coordinator.goto(`${server.url}${casePath}`);
    await coordinator.getByTestId('case-page').waitFor();
    const version = Number(await coordinator.getByTestId('case-page').getAttribute('data-version'));
    await coordinator.getByTestId('case-add-members').click();
    await coordinator.getByTestId('add-members-form').waitFor();
    await coordinator.getByTestId('add-members-search').fill(family);
    const candidate = coordinator.locator(`[data-testid="add-members-candidate"][data-person-id="${younger.id}"]`);
    await candidate.waitFor({ timeout: 30_000 });
    assert.equal(await coordinator.locator(`[data-testid="add-members-candidate"][data-person-id="${elder.id}"]`).getAttribute('data-on-case'), 'true', 'the elder is on the case already');
    await candidate.getByTestId('add-members-tick').check();
    assert.equal(await coordinator.getByTestId('add-members-role').inputValue(), 'child');
    await submitForm(coordinator, 'add-members-form');
    await memberOf(coordinator, younger.id).waitFor();
    assert.ok(Number(await coordinator.getByTestId('case-page').getAttribute('data-version')) > version, 'the case version moved on');
    assert.equal(await coordinator.locator('[data-testid="case-member"][data-left="false"]').count(), 2);

    // The coordinator's consent form names the witnessing officer from the list of child-protection officers.
    const witnesses = await api<{ data: { id: string; displayName: string }[] }>(coordinatorApi, 'GET', '/case-facts/witnesses');
    assert.ok(witnesses.data.length > 0, 'the demo has child-protection officers');
    await memberOf(coordinator, elder.id).getByTestId('consent-record-open').click();
    await coordinator.getByTestId('consent-form').waitFor();
    await coordinator.locator(`[data-testid="consent-witness-officer"] option[value="${witnesses.data[0]?.id}"]`).waitFor({ state: 'attached' });
    const officers = await coordinator.getByTestId('consent-witness-officer').locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    for (const w of witnesses.data) assert.ok(officers.includes(w.id), `${w.displayName} can be named`);
    await coordinator.getByTestId('consent-form').getByTestId('case-form-cancel').click();
    await coordinator.getByTestId('consent-form').waitFor({ state: 'detached' });

    // The exemption recorded in error is withdrawn, with a reason: consent is needed again.
    const youngerConsent = memberOf(coordinator, younger.id).getByTestId('consent-panel');
    await youngerConsent.locator('[data-testid="consent-effective"][data-status="exempt"]').waitFor();
    await youngerConsent.getByTestId('exemption-withdraw').click();
    await coordinator.getByTestId('exemption-withdraw-form').waitFor();
    await coordinator.getByTestId('exemption-withdraw-reason').fill('Entered in error: the father is alive.');
    await submitForm(coordinator, 'exemption-withdraw-form');
    await youngerConsent.locator('[data-testid="consent-effective"][data-status="none"]').waitFor();
    assert.equal(await youngerConsent.getByTestId('consent-exemption').count(), 0);
    await criterionOf(coordinator, younger.id, 'consent', ':not([data-status="holds"])').waitFor();
    await shot(coordinator, '13-member-added-exemption-withdrawn');

    // --- Child protection puts the elder's determination under review: best interests stops holding.
    const protection = await openPage(browser, problems);
    await signInAs(protection, server.url, 'demo-child-protection', PASSWORD);
    await protection.goto(`${server.url}${casePath}`);
    await protection.getByTestId('case-page').waitFor();
    const elderSection = memberOf(protection, elder.id);
    await elderSection.locator('[data-testid="bid-status"][data-status="final"]').waitFor();
    await criterionOf(protection, elder.id, 'best_interests', '[data-status="holds"]').waitFor();
    await elderSection.getByTestId('bid-review-open').click();
    await protection.getByTestId('bid-review-form').waitFor();
    await protection.getByTestId('bid-status-reason').fill('The grandmother has fallen ill; the panel must look again.');
    await submitForm(protection, 'bid-review-form');
    await elderSection.locator('[data-testid="bid-status"][data-status="under_review"]').waitFor();
    await elderSection.locator('[data-testid="bid-status-note"][data-status="under_review"]').waitFor();
    await criterionOf(protection, elder.id, 'best_interests', ':not([data-status="holds"])').waitFor();
    assert.equal(await elderSection.getByTestId('bid-review-open').count(), 0, 'under review already');
    await shot(protection, '14-determination-under-review');

    // A new final determination by the panel restores it.
    await elderSection.getByTestId('bid-determine-open').click();
    await protection.getByTestId('bid-form').waitFor();
    await protection.getByTestId('bid-recommendation').fill('Return to the aunt in Moscow.');
    await protection.getByTestId('bid-reasoning').fill('The aunt is able and willing to care for Darya; schooling is arranged.');
    const names = protection.getByTestId('bid-member-name');
    for (const [index, name] of ['Layla Hassan', 'Omar Saleh', 'Nadia Karimova'].entries()) await names.nth(index).fill(name);
    await submitForm(protection, 'bid-form');
    await elderSection.locator('[data-testid="bid-status"][data-status="final"]').waitFor();
    await criterionOf(protection, elder.id, 'best_interests', '[data-status="holds"]').waitFor();

    // --- The signed consent form is uploaded and listed; it opens as the PDF it is.
    const record = elderSection.locator('[data-testid="consent-record"][data-kind="consent"]');
    assert.equal(await record.getByTestId('consent-document').getAttribute('data-has-document'), 'false');
    await record.getByTestId('consent-document-upload').click();
    await protection.getByTestId('consent-document-form').waitFor();
    await protection.getByTestId('document-file').setInputFiles({ name: 'consent.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% signed consent form\n%%EOF\n') });
    await submitForm(protection, 'consent-document-form');
    await record.locator('[data-testid="consent-document"][data-has-document="true"]').waitFor();
    const href = (await record.getByTestId('consent-document-link').getAttribute('href')) as string;
    const download = await protection.evaluate(async (url) => {
      const response = await fetch(url, { credentials: 'same-origin' });
      return { status: response.status, type: response.headers.get('content-type') ?? '', start: (await response.text()).slice(0, 5) };
    }, href);
    assert.deepEqual(download, { status: 200, type: 'application/pdf', start: '%PDF-' });
    await shot(protection, '15-consent-document');

    // In Arabic the new buttons and statuses read right to left.
    await protection.getByTestId('language-select').selectOption('ar');
    await protection.waitForFunction(() => document.documentElement.dir === 'rtl');
    await elderSection.getByText('إحالة إلى المراجعة').waitFor();
    assert.equal(await elderSection.getByTestId('bid-panel-section').evaluate((el) => getComputedStyle(el).direction), 'rtl');
    await shot(protection, '16-arabic');
    await protection.getByTestId('language-select').selectOption('en');

    assert.deepEqual(problems, [], 'no Content-Security-Policy violations or page errors');
  });

  test('an embassy sees its own country\'s view: how many children are eligible, and what blocks the others', async () => {
    const problems: string[] = [];
    const embassySession = await apiLogin(server.url, 'demo-embassy-tjk', PASSWORD);
    const expected = await api<{ children: { total: number; eligible: number; blocked: number; blockers: { criterion: string; count: number }[] } }>(embassySession, 'GET', '/countries/TJK/eligibility');
    assert.ok(expected.children.total > 0, 'the demo has Tajik children on cases');

    const page = await openPage(browser, problems);
    await signInAs(page, server.url, 'demo-embassy-tjk', PASSWORD);
    await page.getByTestId('nav-cases').click();
    await page.getByTestId('cases-page').waitFor();
    assert.equal(await page.getByTestId('case-new').count(), 0, 'an embassy opens no case');
    // Its board holds only its own country's cases.
    await page.getByTestId('case-board').waitFor();
    await page.getByTestId('case-card').first().waitFor();
    const countries = await page.getByTestId('case-card').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-country')))]);
    assert.deepEqual(countries, ['TJK'], 'the embassy sees its own country\'s cases only');
    await page.getByTestId('cases-tab-country').click();
    const view = page.locator('[data-testid="country-eligibility"][data-country="TJK"]');
    await view.waitFor();
    assert.equal(await page.getByTestId('country-view-select').count(), 0, 'an embassy sees its own country only');
    const children = page.getByTestId('country-children');
    assert.equal(await children.getAttribute('data-total'), String(expected.children.total));
    assert.equal(await children.getAttribute('data-eligible'), String(expected.children.eligible));
    assert.equal(await children.getAttribute('data-blocked'), String(expected.children.blocked));
    assert.match((await page.getByTestId('country-children-headline').textContent()) ?? '', new RegExp(`${expected.children.eligible} of ${expected.children.total} children are eligible`));
    const blockers = await children.getByTestId('country-blocker').evaluateAll((els) => els.map((e) => [e.getAttribute('data-criterion-id'), Number(e.getAttribute('data-count'))]));
    assert.deepEqual(blockers, expected.children.blockers.map((b) => [b.criterion, b.count]));
    if (expected.children.blockers.length > 0) {
      const first = expected.children.blockers[0] as { criterion: string };
      assert.ok(((await children.getByTestId('country-blocker').first().textContent()) ?? '').length > 0, `${first.criterion} is named`);
    }
    await shot(page, '11-embassy-country');

    await page.getByTestId('language-select').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.getByText('الأطفال').first().waitFor();
    assert.equal(await view.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    await shot(page, '12-embassy-country-arabic');
    await page.getByTestId('language-select').selectOption('en');

    // Another country's view is not the embassy's: the server says there is nothing to show.
    await page.goto(`${server.url}/cases?view=country&of=RUS`);
    await page.locator('[data-testid="country-eligibility"][data-country="TJK"]').waitFor();
    assert.deepEqual(problems, [], 'no Content-Security-Policy violations or page errors');
  });
});
