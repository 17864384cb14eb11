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
  readonly csrfToken?: string;
}
interface Candidate {
  readonly id: string;
  readonly kind: 'duplicate' | 'tracing';
  readonly status: string;
  readonly version: number;
  readonly person: { readonly id: string };
  readonly other: { readonly id: string } | null;
  readonly tracingRequest: { readonly id: string } | null;
  readonly explanation: { readonly fields: readonly { field: string; weight: number }[] };
}

async function api<T>(session: Session, method: string, url: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${url}`, {
    method,
    headers: { cookie: session.cookie, ...(body ? { 'content-type': 'application/json' } : {}), ...(session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}), ...extra },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(response.ok, `${method} ${url}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}
const candidates = async (session: Session, query: string) => (await api<{ data: Candidate[] }>(session, 'GET', `/match-candidates?limit=500&${query}`)).data;

/** Polls until `check` gives a value (the matching sweep runs in the background), or fails after `seconds`. */
async function eventually<T>(what: string, seconds: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

const newPage = (problems: string[]): Promise<Page> => openPage(browser, problems);

const signIn = (page: Page, username: string): Promise<void> => signInAs(page, server.url, username, PASSWORD);

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `tracing-${name}.png`), fullPage: true });
const card = (page: Page, candidateId: string) => page.locator(`[data-testid="match-card"][data-candidate-id="${candidateId}"]`);

const person = (names: Record<string, string>, sex: string, birthDate: unknown, countryCode: string) => ({ sex, birthDate, names: [{ kind: 'primary', ...names }], nationalities: [{ countryCode }] });

describe('tracing requests and the review queue in Chromium', () => {
  test('an embassy files a tracing request; the coordinator confirms one candidate and rejects another, which never comes back', async () => {
    const problems: string[] = [];
    const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const auditor = await apiLogin(server.url, 'demo-auditor', PASSWORD);

    // The boy the family looks for, registered in Baghdad in Arabic, and a second Russian boy of a like name
    // registered in Cyrillic: both are possible matches for the grandmother's request.
    const arabic = await api<{ id: string }>(coordinator, 'POST', '/persons', person({ givenName: 'محمد', fatherName: 'رشيد', familyName: 'إسماعيلوف' }, 'male', { precision: 'estimated', aboutYear: 2015 }, 'RUS'));
    const cyrillic = await api<{ id: string }>(coordinator, 'POST', '/persons', person({ givenName: 'Магомед', fatherName: 'Рашид', familyName: 'Исмаилов' }, 'male', { precision: 'year', year: 2016 }, 'RUS'));

    // --- The Russian embassy files the request in the browser; the form says what is missing first.
    const embassyPage = await newPage(problems);
    await signIn(embassyPage, 'demo-embassy-rus');
    await embassyPage.getByTestId('nav-identification').click();
    await embassyPage.getByTestId('identification-tab-tracing').click();
    await embassyPage.getByTestId('tracing-panel').waitFor();
    await embassyPage.getByTestId('tracing-new').click();
    await embassyPage.getByTestId('tracing-new-page').waitFor();
    await embassyPage.getByTestId('tracing-file').click();
    for (const field of ['tracing-name-0', 'tracing-enquirer-name', 'tracing-enquirer-relationship']) {
      const invalid = await embassyPage.getByTestId(field).getAttribute('aria-invalid');
      assert.equal(invalid, 'true', `${field} is marked as required`);
    }
    await embassyPage.getByText('This field is required.').first().waitFor();
    assert.equal(await embassyPage.getByTestId('tracing-country').count(), 0, "an embassy's request is for its own country");

    await embassyPage.getByTestId('tracing-name-0').fill('Магомед Исмаилов');
    await embassyPage.getByTestId('tracing-add-name').click();
    await embassyPage.getByTestId('tracing-name-1').fill('Magomed Ismailov');
    await embassyPage.getByTestId('tracing-sex').selectOption('male');
    await embassyPage.getByTestId('tracing-birth-precision').selectOption('age');
    await embassyPage.getByTestId('tracing-birth-age').fill('10');
    await embassyPage.getByTestId('tracing-birth-on-date').fill('2025-06-01');
    await embassyPage.getByTestId('tracing-father').fill('Рашид');
    await embassyPage.getByTestId('tracing-last-place').fill('Махачкала');
    await embassyPage.getByTestId('tracing-enquirer-name').fill('Патимат Исмаилова');
    await embassyPage.getByTestId('tracing-enquirer-relationship').fill('grandmother');
    await embassyPage.getByTestId('tracing-enquirer-contact').fill('+7 928 000 00 00');
    for (const field of ['tracing-name-0', 'tracing-enquirer-name', 'tracing-enquirer-relationship']) {
      assert.notEqual(await embassyPage.getByTestId(field).getAttribute('aria-invalid'), 'true', `${field}: the message goes once it is filled in`);
    }
    await shot(embassyPage, '01-form');
    await embassyPage.getByTestId('tracing-file').click();
    await embassyPage.getByTestId('tracing-page').waitFor();
    const requestId = (await embassyPage.getByTestId('tracing-page').getAttribute('data-request-id')) as string;
    assert.match(embassyPage.url(), new RegExp(`/identification/tracing/${requestId}$`));
    assert.equal(await embassyPage.getByTestId('tracing-page').getAttribute('data-status'), 'open');
    assert.match((await embassyPage.getByTestId('tracing-birth').textContent()) ?? '', /10/);
    assert.match((await embassyPage.getByTestId('tracing-names').textContent()) ?? '', /Магомед Исмаилов.*Magomed Ismailov/s);
    const filed = await api<{ countryCode: string; sought: { fatherName: string } }>(coordinator, 'GET', `/tracing-requests/${requestId}`);
    assert.deepEqual([filed.countryCode, filed.sought.fatherName], ['RUS', 'Рашид']);

    // --- The background sweep proposes both boys for the request (up to ~90 s on a busy machine).
    const proposed = await eventually('both boys proposed for the request', 90, async () => {
      const found = await candidates(coordinator, `tracingRequestId=${requestId}`);
      const byPerson = new Map(found.map((c) => [c.person.id, c]));
      const [a, c] = [byPerson.get(arabic.id), byPerson.get(cyrillic.id)];
      return a && c ? { arabicMatch: a, cyrillicMatch: c } : undefined;
    });
    const { arabicMatch, cyrillicMatch } = proposed;
    assert.ok(arabicMatch.explanation.fields.some((f) => f.field === 'father_name' && f.weight > 0), "the father's name counts for the match");

    // The embassy sees them on its request, side by side with the reasons, and only tracing candidates in its queue.
    await embassyPage.reload();
    await card(embassyPage, arabicMatch.id).waitFor();
    await card(embassyPage, cyrillicMatch.id).waitFor();
    const sought = card(embassyPage, arabicMatch.id).getByTestId('match-sought');
    assert.equal(await sought.getAttribute('data-request-id'), requestId);
    assert.equal(await card(embassyPage, arabicMatch.id).getByTestId('match-person').getAttribute('data-person-id'), arabic.id);
    const fatherRow = card(embassyPage, arabicMatch.id).locator('[data-testid="explanation-row"][data-field="father_name"]');
    assert.equal(await fatherRow.getByTestId('field-weight').getAttribute('data-side'), 'for');
    assert.equal(await fatherRow.getByTestId('explanation-right').getAttribute('dir'), 'auto');
    await shot(embassyPage, '02-request-candidates');
    await embassyPage.goto(`${server.url}/identification?tab=matches`);
    await embassyPage.getByTestId('match-queue').waitFor();
    await card(embassyPage, arabicMatch.id).waitFor();
    const embassyKinds = await embassyPage.getByTestId('match-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    assert.ok(embassyKinds.length >= 2 && embassyKinds.every((k) => k === 'tracing'), `an embassy sees only tracing candidates: ${embassyKinds.join(',')}`);
    assert.equal(await embassyPage.getByTestId('match-filter-kind').count(), 0);
    const embassy = await apiLogin(server.url, 'demo-embassy-rus', PASSWORD);
    assert.deepEqual(await candidates(embassy, 'kind=duplicate'), [], 'no duplicates for an embassy');

    // --- The coordinator reviews: duplicates and tracing candidates apart; rejects the Cyrillic boy.
    const page = await newPage(problems);
    await signIn(page, 'demo-coordinator');
    await page.goto(`${server.url}/identification?tab=matches`);
    await page.getByTestId('match-queue').waitFor();
    await page.getByTestId('match-filter-kind').getByText('Duplicates').click();
    await page.locator('[data-testid="match-card"][data-kind="duplicate"]').first().waitFor();
    await page.locator('[data-testid="matches"][data-ready="true"]').waitFor();
    const duplicateKinds = await page.getByTestId('match-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    assert.ok(duplicateKinds.every((k) => k === 'duplicate'), 'the kind filter shows duplicates only');
    await page.locator('[data-testid="match-card"][data-kind="duplicate"]').first().getByTestId('match-other').waitFor();
    await page.getByTestId('match-filter-kind').getByText('Tracing').click();
    await card(page, cyrillicMatch.id).waitFor();
    assert.match(page.url(), /kind=tracing/);
    await card(page, cyrillicMatch.id).getByTestId('match-reason').fill('Another boy: the grandmother says Magomed has no brother Rashid; the ages differ.');
    await card(page, cyrillicMatch.id).getByTestId('match-reject').click();
    await page.locator(`[data-testid="match-card"][data-candidate-id="${cyrillicMatch.id}"][data-status="rejected"]`).waitFor();
    await card(page, cyrillicMatch.id).getByTestId('match-decision').waitFor();
    assert.match((await card(page, cyrillicMatch.id).getByTestId('match-decision-reason').textContent()) ?? '', /Another boy/);
    // It left the proposed list: it shows only under "Just decided".
    await page.getByTestId('matches-just-decided').locator(`[data-candidate-id="${cyrillicMatch.id}"]`).waitFor();
    assert.equal(await page.getByTestId('matches').locator(`[data-candidate-id="${cyrillicMatch.id}"]`).count(), 0);
    await shot(page, '03-rejected');

    // --- Another sweep (a new registration) runs; the rejected pair is never proposed again.
    const since = new Date().toISOString();
    await api(coordinator, 'POST', '/persons', person({ givenName: 'Амина', familyName: 'Сулейманова' }, 'female', { precision: 'year', year: 2019 }, 'RUS'));
    await eventually('a matching sweep after the new registration', 90, async () => {
      const events = await api<{ data: { action: string; occurredAt: string }[] }>(auditor, 'GET', '/audit-events?entityType=match_candidates&limit=20');
      return events.data.some((e) => e.action === 'matching.swept' && e.occurredAt > since) ? true : undefined;
    });
    const afterSweep = await candidates(coordinator, `tracingRequestId=${requestId}`);
    assert.ok(afterSweep.some((c) => c.id === arabicMatch.id), 'the other candidate is still proposed after the sweep');
    assert.ok(!afterSweep.some((c) => c.person.id === cyrillic.id), 'the rejected pair is not proposed again');
    const rejected = await candidates(coordinator, `status=rejected&tracingRequestId=${requestId}`);
    assert.deepEqual(rejected.map((c) => c.id), [cyrillicMatch.id], 'the rejection is remembered');
    await page.reload();
    await card(page, arabicMatch.id).waitFor();
    assert.equal(await card(page, cyrillicMatch.id).count(), 0, 'gone from the proposed list after a reload');
    await page.getByTestId('match-filter-status').getByText('Rejected').click();
    await page.locator(`[data-testid="match-card"][data-candidate-id="${cyrillicMatch.id}"][data-status="rejected"]`).waitFor();
    await page.getByTestId('match-filter-status').getByText('To review').click();

    // --- The coordinator confirms the Arabic registration: the request is found, with a link to the person.
    await card(page, arabicMatch.id).getByTestId('match-confirm').click();
    await page.locator(`[data-testid="match-card"][data-candidate-id="${arabicMatch.id}"][data-status="confirmed"]`).waitFor();
    await shot(page, '04-confirmed');
    const found = await api<{ status: string; foundPersonId: string }>(coordinator, 'GET', `/tracing-requests/${requestId}`);
    assert.deepEqual([found.status, found.foundPersonId], ['found', arabic.id]);
    await page.goto(`${server.url}/identification?tab=tracing`);
    const listed = page.locator(`[data-testid="tracing-row"][data-request-id="${requestId}"]`);
    await listed.waitFor();
    assert.equal(await listed.getAttribute('data-status'), 'found');
    await listed.locator('a').first().click();
    await page.locator('[data-testid="tracing-page"][data-status="found"]').waitFor();
    assert.equal(await page.getByTestId('tracing-found').getAttribute('data-person-id'), arabic.id);
    assert.equal(await page.getByTestId('tracing-found-link').getAttribute('href'), `/registry/${arabic.id}`);
    assert.equal(await page.getByTestId('tracing-close').count(), 0, 'a found request is not closed by hand');
    await shot(page, '05-found');

    // In Arabic the decided candidates read right to left; names keep their own direction.
    await page.getByTestId('language-select').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.goto(`${server.url}/identification?tab=matches&review=rejected&kind=tracing`);
    await card(page, cyrillicMatch.id).waitFor();
    await page.getByText('مرفوضة').first().waitFor();
    assert.equal(await card(page, cyrillicMatch.id).getByTestId('explanation').evaluate((el) => getComputedStyle(el).direction), 'rtl');
    await shot(page, '06-arabic');

    // --- Closing with a reason: a second request, closed by the embassy without a match.
    const other = await api<{ id: string }>(embassy, 'POST', '/tracing-requests', { sought: { names: ['Али Гасанов'], sex: 'male' }, enquirer: { name: 'Зарема Гасанова', relationship: 'mother' } });
    await embassyPage.goto(`${server.url}/identification/tracing/${other.id}`);
    await embassyPage.getByTestId('tracing-close').click();
    await embassyPage.getByTestId('tracing-close-send').click();
    assert.equal(await embassyPage.getByTestId('tracing-close-reason').getAttribute('aria-invalid'), 'true', 'a reason is required');
    await embassyPage.getByTestId('tracing-close-reason').fill('The family found him at home.');
    await embassyPage.getByTestId('tracing-close-send').click();
    await embassyPage.locator('[data-testid="tracing-page"][data-status="closed"]').waitFor();
    await embassyPage.getByTestId('tracing-closed').waitFor();
    assert.match((await embassyPage.getByTestId('tracing-closed-reason').textContent()) ?? '', /The family found him at home\./);

    assert.deepEqual(problems, []);
    await page.context().close();
    await embassyPage.context().close();
  });

  test('a coordinator merges two registrations confirmed as one girl; the merged record stays as history', async () => {
    const problems: string[] = [];
    const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const first = await api<{ id: string }>(coordinator, 'POST', '/persons', person({ givenName: 'Мадина', fatherName: 'Фарход', familyName: 'Саидова' }, 'female', { precision: 'year', year: 2018 }, 'TJK'));
    const second = await api<{ id: string }>(coordinator, 'POST', '/persons', person({ givenName: 'Madina', fatherName: 'Farhod', familyName: 'Saidova' }, 'female', { precision: 'exact', date: '2018-02-11' }, 'TJK'));
    const pair = await eventually('the two registrations proposed as one person', 90, async () =>
      (await candidates(coordinator, 'kind=duplicate')).find((c) => [c.person.id, c.other?.id].sort().join() === [first.id, second.id].sort().join()),
    );
    await api(coordinator, 'POST', `/match-candidates/${pair.id}/decision`, { decision: 'confirm', reason: 'same girl, two facilities' }, { 'if-match': `"${pair.version}"` });

    const page = await newPage(problems);
    await signIn(page, 'demo-coordinator');
    await page.goto(`${server.url}/registry/${second.id}`);
    await page.getByTestId('person-duplicate-of').waitFor();
    await page.getByTestId('merge-open').click();
    await page.getByTestId('merge-form').waitFor();
    await page.getByTestId('merge-form').getByText('Мадина Фарход Саидова').waitFor();
    assert.equal(await page.getByTestId('merge-keep-other').isChecked(), true, 'the record it repeats stays unless the officer chooses otherwise');
    await page.getByTestId('edit-submit').click();
    assert.equal(await page.getByTestId('merge-reason').getAttribute('aria-invalid'), 'true', 'a reason is required');
    await page.getByTestId('merge-reason').fill('One girl: the Latin list of the aid organisation repeats the facility register.');
    await shot(page, '07-merge');
    await page.getByTestId('edit-submit').click();
    // The record that stays opens, naming the record merged into it.
    await page.waitForURL(`${server.url}/registry/${first.id}`);
    await page.getByTestId('person-merged-from').getByText('Madina Farhod Saidova').waitFor();
    assert.match((await page.getByTestId('person-names').textContent()) ?? '', /Madina Farhod Saidova/);
    await shot(page, '08-merged-survivor');
    await page.getByTestId('person-merged-from').getByText('Madina Farhod Saidova').click();
    await page.getByTestId('person-merged-into').waitFor();
    assert.equal(await page.getByTestId('person-edit-bar').count(), 0, 'a merged record can no longer be changed');
    assert.equal(await page.getByTestId('person-merged-into-link').getAttribute('href'), `/registry/${first.id}`);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
