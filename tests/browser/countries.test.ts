/// <reference lib="dom" />
import assert from 'node:assert/strict';
import fs from 'node:fs';
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

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `countries-${name}.png`), fullPage: true });
const isoDay = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

describe('countries and diplomacy in Chromium', () => {
  test('the coordinator notifies Tajikistan, records a meeting and an agreement; the Tajik embassy acknowledges and sees only its own country', async () => {
    const problems: string[] = [];
    const page = await openPage(browser, problems);
    await signInAs(page, server.url, 'demo-coordinator', PASSWORD);

    // --- The list of countries, then Tajikistan's page.
    await page.getByTestId('nav-countries').click();
    await page.getByTestId('countries-table').waitFor();
    assert.equal(await page.getByTestId('page-being-built').count(), 0, 'the section is built');
    const tjkRow = page.locator('[data-testid="country-row"][data-code="TJK"]');
    assert.ok(Number(await tjkRow.getByTestId('country-people').textContent()) > 0, 'Tajik nationals are held');
    assert.match((await tjkRow.getByTestId('country-agreement').textContent()) ?? '', /400\.00 USD/);
    await shot(page, '01-list');
    await tjkRow.getByTestId('country-link').click();
    await page.locator('[data-testid="country-page"][data-code="TJK"]').waitFor();
    await page.getByTestId('country-overview').waitFor();
    await shot(page, '02-tjk-overview');

    // --- A notification: generate the list and download its PDF.
    await page.getByTestId('country-tab-notifications').click();
    await page.getByTestId('notifications-table').waitFor();
    const before = await page.getByTestId('notification-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    await page.getByTestId('notify-channel').fill('Note verbale No. 117');
    await page.getByTestId('notify-submit').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="notification-row"]').length === n + 1, before.length);
    const after = await page.getByTestId('notification-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    const notificationId = after.find((id) => !before.includes(id));
    assert.ok(notificationId, 'a new notification');
    const newRow = page.locator(`[data-testid="notification-row"][data-id="${notificationId}"]`);
    assert.equal(await newRow.getAttribute('data-acknowledged'), 'false');
    const [download] = await Promise.all([page.waitForEvent('download'), newRow.getByTestId('notification-pdf').click()]);
    const pdfPath = path.join(ARTIFACTS, 'countries-notification.pdf');
    await download.saveAs(pdfPath);
    assert.equal(fs.readFileSync(pdfPath).subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(download.suggestedFilename(), /^nationals-TJK-\d{4}-\d{2}-\d{2}\.pdf$/);
    await shot(page, '03-notified');

    // --- A meeting with an action item; one item is marked done.
    await page.getByTestId('country-tab-meetings').click();
    await page.getByTestId('meeting-new').click();
    await page.getByTestId('meeting-held-on').fill(isoDay(-1));
    await page.getByTestId('meeting-place').fill('Embassy of Tajikistan, Baghdad');
    await page.getByTestId('meeting-participants').fill('Legal directorate\nConsul of Tajikistan');
    await page.getByTestId('meeting-minutes').fill('Reviewed the list sent today and the guardians named so far.');
    await page.getByTestId('meeting-decisions').fill('The embassy answers the open verifications within two weeks');
    await page.getByTestId('meeting-item-description').first().fill('Name the guardians of the first ten children');
    await page.getByTestId('meeting-item-owner').first().fill('Embassy of Tajikistan');
    await page.getByTestId('meeting-item-due').first().fill(isoDay(14));
    await page.getByTestId('meeting-submit').click();
    const meeting = page.getByTestId('meeting').filter({ hasText: 'Name the guardians of the first ten children' });
    await meeting.waitFor();
    const item = meeting.getByTestId('action-item').first();
    assert.equal(await item.getAttribute('data-overdue'), 'false');
    await item.getByTestId('action-item-done').click();
    await meeting.locator('[data-testid="action-item"][data-done="true"]').waitFor();
    // The demo's meeting has an overdue item, marked as such.
    await page.locator('[data-testid="action-item"][data-overdue="true"]').first().waitFor();
    await shot(page, '04-meetings');

    // --- An agreement: $400 per child, in US dollars.
    await page.getByTestId('country-tab-agreements').click();
    await page.getByTestId('agreement-new').click();
    await page.getByTestId('agreement-title').fill('Addendum on escorts for returning children');
    await page.getByTestId('agreement-valid-from').fill(isoDay(0));
    await page.getByTestId('agreement-currency').fill('usd');
    await page.getByTestId('agreement-fee-child').fill('400');
    await page.getByTestId('agreement-fee-adult').fill('0');
    await page.getByTestId('agreement-documents').fill('birth_certificate');
    await page.getByTestId('agreement-submit').click();
    // The server names the field: the currency must be in capitals.
    await page.getByTestId('agreement-error').waitFor();
    await page.getByTestId('agreement-currency').fill('USD');
    await page.getByTestId('agreement-submit').click();
    const agreement = page.getByTestId('agreement').filter({ hasText: 'Addendum on escorts for returning children' });
    await agreement.waitFor();
    assert.match(((await agreement.getByTestId('agreement-fees').textContent()) ?? '').replace(/[\u2066-\u2069]/g, ''), /400\.00 USD per child/);
    assert.equal(await agreement.getAttribute('data-in-force'), 'true');
    await shot(page, '05-agreements');

    // --- The Tajik embassy lands on its country's page and acknowledges the list.
    const embassy = await openPage(browser, problems);
    await signInAs(embassy, server.url, 'demo-embassy-tjk', PASSWORD);
    await embassy.getByTestId('nav-countries').click();
    await embassy.locator('[data-testid="country-page"][data-code="TJK"]').waitFor();
    assert.match(embassy.url(), /\/countries\/TJK/);
    await embassy.getByTestId('country-tab-notifications').click();
    const embassyRow = embassy.locator(`[data-testid="notification-row"][data-id="${notificationId}"]`);
    await embassyRow.waitFor();
    await embassyRow.getByTestId('acknowledge').click();
    await embassy.locator(`[data-testid="notification-row"][data-id="${notificationId}"][data-acknowledged="true"]`).waitFor();
    assert.equal(await embassy.getByTestId('notify-submit').count(), 0, 'an embassy does not generate lists');
    await shot(embassy, '06-embassy-acknowledged');

    // In Arabic the page is right to left; names keep their own direction.
    await embassy.getByTestId('language-select').selectOption('ar');
    await embassy.waitForFunction(() => document.documentElement.dir === 'rtl');
    await embassy.getByText('تم تأكيد الاستلام').first().waitFor();
    await embassy.getByTestId('country-tab-meetings').click();
    await embassy.getByTestId('meeting').first().waitFor();
    assert.equal(await embassy.getByTestId('meeting-new').count(), 0, 'an embassy records no meetings');
    await shot(embassy, '07-embassy-arabic-meetings');
    await embassy.getByTestId('country-tab-overview').click();
    await embassy.getByTestId('country-overview').waitFor();
    await shot(embassy, '08-embassy-arabic-overview');

    // Russia's page is not the Tajik embassy's: the app finds nothing, the server answers 404.
    await embassy.goto(`${server.url}/countries/RUS`);
    await embassy.getByTestId('page-title').waitFor();
    assert.equal(await embassy.locator('[data-testid="country-page"]').count(), 0);
    const session = await apiLogin(server.url, 'demo-embassy-tjk', PASSWORD);
    for (const url of ['/countries/RUS/overview', '/countries/RUS/notifications', '/countries/RUS/meetings', '/countries/RUS/agreements']) {
      const response = await fetch(`${server.url}/api/v1${url}`, { headers: { cookie: session.cookie } });
      assert.equal(response.status, 404, url);
    }
    await embassy.getByTestId('language-select').selectOption('en');
    assert.deepEqual(problems, []);
  });
});
