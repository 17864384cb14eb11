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
interface ListItem {
  readonly id: string;
  readonly displayName: string;
  readonly latinName: string;
  readonly version: number;
}

async function call(session: Session, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/api/v1${url}`, {
    method,
    headers: { cookie: session.cookie, ...(body ? { 'content-type': 'application/json' } : {}), ...(session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
}
async function api<T>(session: Session, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await call(session, method, url, body, headers);
  assert.ok(response.ok, `${method} ${url}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}

const newPage = (problems: string[]): Promise<Page> => openPage(browser, problems);

const signIn = (page: Page, username: string): Promise<void> => signInAs(page, server.url, username, PASSWORD);

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `identification-${name}.png`), fullPage: true });
const row = (page: Page, testId: string, attribute: string, value: string) => page.locator(`[data-testid="${testId}"][${attribute}="${value}"]`);

function isoDay(offsetDays: number): string {
  const day = new Date(Date.now() + offsetDays * 86_400_000);
  return day.toISOString().slice(0, 10);
}

describe('nationality verification in Chromium', () => {
  test('the coordinator asks the Tajik mission about people; the embassy answers; the coordinator sees the counts', async () => {
    const problems: string[] = [];
    const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);

    // The first page of Tajik claimants, as the new-request page lists them. One of them is withheld
    // from the embassy (as for someone who could face persecution on return): the server must refuse them.
    const tajiks = (await api<{ data: ListItem[] }>(coordinator, 'GET', '/persons?nationality=TJK&limit=50')).data;
    assert.ok(tajiks.length >= 4, 'the demo has Tajik claimants');
    const [confirmed, rejected, pending, withheld] = tajiks as [ListItem, ListItem, ListItem, ListItem];
    await api(coordinator, 'PATCH', `/persons/${withheld.id}`, { withheldFromEmbassy: true, reason: 'risk on return' }, { 'if-match': `"${withheld.version}"` });

    // --- The coordinator builds the request in the browser.
    const page = await newPage(problems);
    await signIn(page, 'demo-coordinator');
    await page.getByTestId('nav-identification').click();
    await page.getByTestId('identification-page').waitFor();
    assert.equal(await page.getByTestId('page-being-built').count(), 0, 'the section is built');
    await page.getByTestId('verification-new').click();
    await page.getByTestId('verification-new-page').waitFor();
    await page.getByTestId('verification-choose-country-first').waitFor();
    await page.getByTestId('verification-country').selectOption('TJK');
    await page.locator('[data-testid="verification-candidates"][data-ready="true"]').waitFor({ timeout: 30_000 });
    const listed = await page.getByTestId('candidate-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-person-id')));
    assert.deepEqual(listed.slice(0, 4), tajiks.slice(0, 4).map((p) => p.id), 'the candidates are the Tajik claimants');

    // "All on this page" ticks every row, and unticks them again.
    await page.getByTestId('verification-all-on-page').check();
    assert.equal(await page.getByTestId('verification-selected').getAttribute('data-count'), String(listed.length));
    await page.getByTestId('verification-all-on-page').uncheck();
    assert.equal(await page.getByTestId('verification-selected').getAttribute('data-count'), '0');

    for (const person of [confirmed, rejected, pending, withheld]) {
      await row(page, 'candidate-row', 'data-person-id', person.id).locator('input[type="checkbox"]').check();
    }
    assert.equal(await page.getByTestId('verification-selected').getAttribute('data-count'), '4');
    await page.getByTestId('verification-due-on').fill(isoDay(14));
    await page.getByTestId('verification-note').fill('Children held at the juvenile facility; please confirm by the due date.');
    await page.getByTestId('verification-send').click();

    // The refusal (422 not_verifiable) is shown next to the one person it names, and nowhere else.
    await page.getByTestId('verification-refused').waitFor();
    const named = await page.getByTestId('selected-problem').evaluateAll((els) => els.map((e) => e.closest('[data-person-id]')?.getAttribute('data-person-id')));
    assert.deepEqual(named, [withheld.id]);
    assert.match((await row(page, 'selected-person', 'data-person-id', withheld.id).getByTestId('selected-problem').textContent()) ?? '', /withheld from their embassy/i);
    await row(page, 'candidate-row', 'data-person-id', withheld.id).getByTestId('candidate-problem').waitFor();
    await shot(page, '01-refused');

    await page.getByTestId('verification-remove-refused').click();
    assert.equal(await page.getByTestId('verification-selected').getAttribute('data-count'), '3');
    await page.getByTestId('verification-send').click();
    await page.getByTestId('verification-page').waitFor();
    const requestId = (await page.getByTestId('verification-page').getAttribute('data-request-id')) as string;
    assert.match(page.url(), new RegExp(`/identification/requests/${requestId}$`));
    assert.equal(await page.getByTestId('item-row').count(), 3);
    assert.deepEqual(await page.getByTestId('item-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-answer'))), ['none', 'none', 'none']);
    assert.equal(await page.getByTestId('request-progress').getAttribute('data-settled'), '0');
    await shot(page, '02-sent');

    // --- The coordinator records a mission the demo does not hold (Egypt's), then changes it (If-Match), also after someone else did.
    await page.goto(`${server.url}/identification?tab=missions`);
    await page.getByTestId('missions-panel').waitFor();
    await page.getByTestId('mission-new').click();
    await page.getByTestId('mission-form').waitFor();
    await page.getByTestId('mission-country').selectOption('EGY');
    await page.getByTestId('mission-contact-name').fill('Rustam Nazarov');
    await page.getByTestId('mission-phone').fill('+964 770 000 0000');
    await page.getByTestId('mission-email').fill('consul@egy.example');
    await page.getByTestId('mission-save').click();
    const missionRow = row(page, 'mission-row', 'data-country', 'EGY');
    await missionRow.waitFor();
    const recorded = await api<{ version: number; residency: string; contactName: string }>(coordinator, 'GET', '/missions/EGY');
    assert.equal(recorded.residency, 'resident');
    assert.equal(recorded.contactName, 'Rustam Nazarov');

    await missionRow.getByTestId('mission-edit').click();
    await page.getByTestId('mission-form').waitFor();
    await page.getByTestId('mission-residency').getByText('Non-resident').click();
    await page.getByTestId('mission-accredited-from').fill('Embassy in Amman');
    // Meanwhile someone else changes the mission: the form's save is stale (412) and says so.
    await api(coordinator, 'PUT', '/missions/EGY', { residency: 'resident', contactName: 'Rustam Nazarov', notes: 'Consular days: Monday and Thursday' }, { 'if-match': `"${recorded.version}"` });
    await page.getByTestId('mission-save').click();
    await page.getByTestId('mission-stale').waitFor();
    await shot(page, '03-mission-stale');
    await page.getByTestId('mission-reload').click();
    await page.locator(`[data-testid="mission-form"][data-version="${recorded.version + 1}"]`).waitFor();
    assert.equal(await page.getByTestId('mission-notes').inputValue(), 'Consular days: Monday and Thursday', 'the form starts again from what the server holds');
    await page.getByTestId('mission-residency').getByText('Non-resident').click();
    await page.getByTestId('mission-accredited-from').fill('Embassy in Amman');
    await page.getByTestId('mission-save').click();
    await page.getByTestId('mission-modal').waitFor({ state: 'detached' });
    await page.locator(`[data-testid="mission-row"][data-country="EGY"][data-version="${recorded.version + 2}"]`).waitFor();
    const changed = await api<{ residency: string; accreditedFrom: string; notes: string }>(coordinator, 'GET', '/missions/EGY');
    assert.deepEqual([changed.residency, changed.accreditedFrom, changed.notes], ['non_resident', 'Embassy in Amman', 'Consular days: Monday and Thursday']);
    await shot(page, '04-missions');

    // --- The Tajik embassy sees the request in its queue and answers two of the three people.
    const embassyPage = await newPage(problems);
    await signIn(embassyPage, 'demo-embassy-tjk');
    await embassyPage.getByTestId('nav-identification').click();
    const queued = row(embassyPage, 'request-row', 'data-request-id', requestId);
    await embassyPage.getByTestId('queue-open').locator(`[data-request-id="${requestId}"]`).waitFor();
    assert.equal(await queued.getAttribute('data-state'), 'open');
    assert.equal(await embassyPage.getByTestId('queue-answered').locator(`[data-request-id="${requestId}"]`).count(), 0);
    await shot(embassyPage, '05-embassy-queue');
    await queued.locator('a').first().click();
    await embassyPage.getByTestId('verification-page').waitFor();
    assert.equal(await embassyPage.getByTestId('item-row').count(), 3);
    assert.equal(await row(embassyPage, 'item-row', 'data-person-id', withheld.id).count(), 0);

    const answer = async (person: ListItem, choice: string, evidence: string) => {
      const item = row(embassyPage, 'item-row', 'data-person-id', person.id);
      await item.getByTestId(`answer-${choice}`).click();
      await embassyPage.getByTestId('answer-form').waitFor();
      await embassyPage.getByTestId('answer-evidence').fill(evidence);
      await embassyPage.getByTestId('answer-send').click();
      await embassyPage.locator(`[data-testid="item-row"][data-person-id="${person.id}"][data-answer="${choice}"]`).waitFor();
      await embassyPage.getByTestId('answer-form').waitFor({ state: 'detached' });
    };
    await answer(confirmed, 'confirmed', 'Civil register of Dushanbe, entry 1187/2016; the mother was interviewed at the consulate.');
    await answer(rejected, 'not_national', 'No entry in any civil register of Tajikistan; the documents shown are not Tajik.');

    // Both answers show, with who and when and the evidence; the one no longer shared is said to be.
    const confirmedRow = row(embassyPage, 'item-row', 'data-person-id', confirmed.id);
    assert.match((await confirmedRow.getByTestId('item-evidence').textContent()) ?? '', /Civil register of Dushanbe/);
    assert.ok(((await confirmedRow.getByTestId('item-answered-by').textContent()) ?? '').length > 3);
    assert.equal(await confirmedRow.getByTestId('answer-confirmed').count(), 0, 'a decision is final: no more buttons');
    const rejectedRow = row(embassyPage, 'item-row', 'data-person-id', rejected.id);
    assert.match((await rejectedRow.getByTestId('item-evidence').textContent()) ?? '', /No entry in any civil register/);
    await rejectedRow.getByTestId('item-gone').waitFor();
    assert.equal(await row(embassyPage, 'item-row', 'data-person-id', pending.id).getAttribute('data-answer'), 'none');
    await row(embassyPage, 'item-row', 'data-person-id', pending.id).getByTestId('answer-more_information').waitFor();
    await shot(embassyPage, '06-embassy-answered');

    // In Arabic the request is laid out right to left, the answers still shown.
    await embassyPage.getByTestId('language-select').selectOption('ar');
    await embassyPage.waitForFunction(() => document.documentElement.dir === 'rtl');
    await embassyPage.getByText('طلب من الوزارة').first().waitFor();
    await embassyPage.getByText('ليس من الرعايا').first().waitFor();
    const direction = await embassyPage.getByTestId('verification-items').evaluate((el) => getComputedStyle(el).direction);
    assert.equal(direction, 'rtl');
    await shot(embassyPage, '07-embassy-arabic');

    // --- The coordinator sees the counts: 2 of 3 settled, still open; both answers on the request.
    await page.goto(`${server.url}/identification`);
    const listedRequest = row(page, 'request-row', 'data-request-id', requestId);
    await listedRequest.waitFor();
    const progress = listedRequest.getByTestId('request-progress');
    assert.deepEqual([await progress.getAttribute('data-settled'), await progress.getAttribute('data-total')], ['2', '3']);
    assert.equal(await listedRequest.getAttribute('data-state'), 'open');
    await page.getByTestId('verification-filter-state').getByText('Answered').click();
    await page.getByTestId('verification-requests-empty').waitFor();
    await page.getByTestId('verification-filter-state').getByText('Open').click();
    await listedRequest.waitFor();
    await shot(page, '08-coordinator-counts');
    await listedRequest.locator('a').first().click();
    await page.getByTestId('verification-page').waitFor();
    const answers = Object.fromEntries(
      await page.getByTestId('item-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-person-id'), e.getAttribute('data-answer')])),
    );
    assert.deepEqual(answers, { [confirmed.id]: 'confirmed', [rejected.id]: 'not_national', [pending.id]: 'none' });
    await shot(page, '09-coordinator-request');

    // --- The answers decided the nationalities; the person found not to be a national is gone from the embassy.
    const embassy = await apiLogin(server.url, 'demo-embassy-tjk', PASSWORD);
    assert.equal((await call(embassy, 'GET', `/persons/${rejected.id}`)).status, 404);
    assert.equal((await call(embassy, 'GET', `/persons/${confirmed.id}`)).status, 200);
    const seen = (await api<{ data: ListItem[] }>(embassy, 'GET', '/persons?nationality=TJK&limit=500')).data.map((p) => p.id);
    assert.ok(!seen.includes(rejected.id), 'the embassy no longer finds them in its registry');
    assert.ok(!seen.includes(withheld.id), 'nor the person withheld from it');
    assert.ok(seen.includes(confirmed.id));
    const status = async (id: string) =>
      (await api<{ nationalities: { countryCode: string; status: string }[] }>(coordinator, 'GET', `/persons/${id}`)).nationalities.find((n) => n.countryCode === 'TJK')?.status;
    assert.equal(await status(confirmed.id), 'verified');
    assert.equal(await status(rejected.id), 'rejected');

    assert.deepEqual(problems, []);
    await page.context().close();
    await embassyPage.context().close();
  });
});
