/// <reference lib="dom" />
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
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

/** The scanned receipt the receiving official signed: a tiny valid PDF. */
const RECEIPT = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function download(session: Session, url: string): Promise<Buffer> {
  const response = await fetch(`${server.url}${url}`, { headers: { cookie: session.cookie } });
  assert.equal(response.status, 200, url);
  return Buffer.from(await response.arrayBuffer());
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `movements-${name}.png`), fullPage: true });
async function waitForStatus(page: Page, wanted: string) {
  await page.waitForFunction((s) => document.querySelector('[data-testid="movement-page"]')?.getAttribute('data-status') === s, wanted);
}

describe('a repatriation in the browser: plan, fail to lock, fix, lock, depart, hand over with a signed receipt, complete, invoice', () => {
  test('the coordinator plans and flies; the embassy receives; the invoice is issued and partly paid', { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    const coordinatorApi = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    // An approved Tajik case that is not on the August flight (the demo leaves some approved).
    const approved = await api<{ data: { id: string; reference: string; members: { personId: string; displayName: string }[] }[] }>(coordinatorApi, 'GET', '/cases?state=approved&countryCode=TJK&limit=200');
    const chosen = approved.data.find((c) => c.members.length === 1) ?? approved.data[0];
    assert.ok(chosen, 'an approved Tajik case');
    const child = chosen.members[0];
    assert.ok(child);

    const page = await openPage(browser, problems);
    await signInAs(page, server.url, 'demo-coordinator', PASSWORD);
    // The dashboard's count of people returned, before this flight.
    const returned = async () => {
      await page.goto(`${server.url}/figures`);
      const text = (await page.getByTestId('figures-returned').textContent()) ?? '';
      return Number(text.replace(/\D/g, ''));
    };
    const returnedBefore = await returned();
    await page.goto(server.url);
    await page.getByTestId('nav').getByRole('link', { name: 'Movements' }).click();
    await page.getByTestId('movements-page').waitFor();
    // The demo's movements are listed: two completed, one planned.
    await page.getByTestId('movement-row').first().waitFor();
    assert.ok((await page.locator('[data-testid="movement-row"][data-status="completed"]').count()) >= 2);
    await shot(page, '01-planner');

    // --- Plan a movement for today.
    await page.getByTestId('movement-plan').click();
    await page.getByTestId('plan-country').selectOption('TJK');
    await page.getByTestId('plan-to').fill('Dushanbe');
    await page.getByTestId('plan-carrier').fill('Somon Air');
    await page.getByTestId('plan-flight').fill('SZ 101');
    await page.getByTestId('plan-capacity').fill('10');
    await page.getByTestId('plan-submit').click();
    await page.getByTestId('movement-title').waitFor();
    await waitForStatus(page, 'planned');

    // --- Add the approved case.
    await page.getByTestId('add-case-select').selectOption(chosen.id);
    await page.getByTestId('add-case-submit').click();
    await page.locator(`[data-testid="passenger"][data-person-id="${child.personId}"]`).waitFor();

    // --- Lock: refused, naming the passenger and each failed check.
    await page.getByTestId('movement-lock').click();
    const refusal = page.getByTestId('lock-refusal');
    await refusal.waitFor();
    const refused = (await refusal.textContent()) ?? '';
    assert.ok(refused.includes(child.displayName), refused);
    assert.match(refused, /no passport or travel document valid/);
    assert.match(refused, /fitness-to-travel/);
    assert.match(refused, /needs an escort assigned/);
    await shot(page, '02-lock-refused');

    // --- Fix each check through the page: a travel document, fitness, an escort assigned.
    await page.getByTestId('fix-document').click();
    await page.getByTestId('document-number').fill('TJK-TD 5501');
    await page.getByTestId('document-form-submit').click();
    await page.getByTestId('document-form-modal').waitFor({ state: 'detached' });
    await page.getByTestId('fix-fitness').click();
    await page.getByTestId('fitness-by').fill('Facility physician');
    await page.getByTestId('fitness-form-submit').click();
    await page.getByTestId('fitness-form-modal').waitFor({ state: 'detached' });
    await page.getByTestId('escort-name').fill('Dilnoza Saidova');
    await page.getByTestId('escort-organisation').fill('Embassy of Tajikistan');
    await page.getByTestId('escort-submit').click();
    await page.getByTestId('escort').first().waitFor();
    const escortSelect = page.locator(`[data-testid="passenger"][data-person-id="${child.personId}"] [data-testid="passenger-escort"]`);
    const escortId = await escortSelect.locator('option').nth(1).getAttribute('value');
    await escortSelect.selectOption(escortId ?? '');
    await page.getByTestId('checks-ok').waitFor();

    // --- Lock: the manifest is kept as sent, and the page links to those very bytes.
    await page.getByTestId('movement-lock').click();
    await waitForStatus(page, 'manifest_locked');
    const sent = page.getByTestId('manifest-sent');
    await sent.waitFor();
    assert.equal(sha256(await download(coordinatorApi, (await sent.getAttribute('href')) ?? '')), await sent.getAttribute('data-sha256'));
    // --- Depart.
    await page.getByTestId('movement-depart').click();
    await waitForStatus(page, 'departed');
    await shot(page, '03-departed');
    const url = page.url();

    // --- The embassy of Tajikistan records the handover.
    const embassy = await openPage(browser, problems);
    await signInAs(embassy, server.url, 'demo-embassy-tjk', PASSWORD);
    await embassy.goto(url);
    await waitForStatus(embassy, 'departed');
    await embassy.getByTestId('handover-open').first().click();
    await embassy.getByTestId('handover-by').fill('Consul R. Nazarov');
    await embassy.getByTestId('handover-authority').fill('Ministry of Foreign Affairs of Tajikistan');
    await embassy.getByTestId('handover-form-submit').click();
    await embassy.getByTestId('passenger-handover').waitFor();
    assert.equal(await embassy.getByTestId('movement-complete').count(), 0, 'the embassy cannot complete the movement');
    await shot(embassy, '04-handover-embassy');

    // The dashboard counts the people handed over: the returned count goes up by this flight's passengers.
    assert.equal(await returned(), returnedBefore + chosen.members.length, 'the dashboard counts the return');
    await shot(page, '04b-dashboard-after');

    // --- Not without the signed receipt: the refusal names the child.
    await page.goto(url);
    await page.getByTestId('movement-complete').click();
    const unsigned = (await page.getByTestId('complete-refusal').textContent()) ?? '';
    assert.ok(unsigned.includes(child.displayName), unsigned);
    assert.match(unsigned, /no signed handover receipt/);

    // --- The embassy attaches the scanned receipt; the page links to it.
    await embassy.getByTestId('receipt-attach').click();
    await embassy.getByTestId('receipt-file').setInputFiles({ name: 'receipt.pdf', mimeType: 'application/pdf', buffer: RECEIPT });
    await embassy.getByTestId('receipt-form-submit').click();
    const receiptLink = embassy.getByTestId('receipt-open');
    await receiptLink.waitFor();
    assert.ok(RECEIPT.equals(await download(coordinatorApi, (await receiptLink.getAttribute('href')) ?? '')), 'the receipt as attached');
    await shot(embassy, '04c-receipt-embassy');

    // --- The coordinator completes, issues the invoice (1 × USD 400) and records a partial payment.
    await page.goto(url);
    await page.getByTestId('movement-complete').click();
    await waitForStatus(page, 'completed');
    await page.getByTestId('invoice-issue').click();
    await page.getByTestId('invoice').waitFor();
    assert.match((await page.getByTestId('invoice-totals').textContent()) ?? '', /Total 400\.00 USD/);
    await page.getByTestId('invoice-pay').click();
    await page.getByTestId('payment-amount').fill('150');
    await page.getByTestId('payment-reference').fill('SWIFT 77');
    await page.getByTestId('payment-submit').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="invoice"]')?.getAttribute('data-balance') === '250.00');
    assert.equal(await page.getByTestId('invoice').getAttribute('data-status'), 'partly_paid');
    const stored = await api<{ status: string; passengers: { caseState: string }[] }>(coordinatorApi, 'GET', `/movements/${url.split('/').pop()}`);
    assert.deepEqual([stored.status, stored.passengers[0]?.caseState], ['completed', 'handed_over']);
    await shot(page, '05-completed-invoiced');

    // --- In Arabic: the movement page reads right to left.
    await page.getByTestId('language-select').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.getByText('اكتملت').first().waitFor();
    await shot(page, '06-completed-arabic');
    await page.goto(`${server.url}/movements?tab=invoices`);
    await page.getByTestId('ledger-balance').first().waitFor();
    await shot(page, '07-invoices-arabic');
    await page.getByTestId('language-select').selectOption('en');

    assert.deepEqual(problems, [], 'no Content-Security-Policy violations or page errors');
  });
});
