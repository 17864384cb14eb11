/// <reference lib="dom" />
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { totpCode, totpStep } from '../../src/security/totp.ts';
import { apiLogin, ARTIFACTS, launchBrowser, type RunningServer, startServer } from './server.ts';

// This file starts the server as a new user does (`serve --demo`), not from the shared demo copy.
const PASSWORD = 'browser-demo-pass-2026';
let server: RunningServer;
let browser: Browser;

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer(PASSWORD);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, `server did not stop cleanly:\n${server?.output()}`);
});

/** A fresh page that fails the test on any Content-Security-Policy violation or page error. */
async function newPage(problems: string[]): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return page;
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto(server.url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

describe('the web shell in Chromium', () => {
  test('a coordinator signs in, sees their navigation, and signs out', async () => {
    const problems: string[] = [];
    const page = await newPage(problems);
    await page.goto(server.url);
    await page.getByTestId('login-username').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, '01-login.png') });

    await signIn(page, 'demo-coordinator', 'not-the-password');
    await page.getByTestId('login-error').waitFor();

    await signIn(page, 'demo-coordinator', PASSWORD);
    await page.getByTestId('nav').waitFor();
    await page.getByTestId('nav-cases').waitFor();
    assert.equal(await page.getByTestId('nav-users').count(), 0, 'a coordinator must not see user administration');
    assert.equal(await page.getByTestId('nav-audit').count(), 0, 'a coordinator must not see the audit trail');
    await page.screenshot({ path: path.join(ARTIFACTS, '02-coordinator-home.png') });

    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    const session = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    assert.equal(session, 401, 'the session must be over after logout');
    assert.deepEqual(problems, []);
  });

  test('an administrator sees user administration, not case work', async () => {
    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-admin', PASSWORD);
    await page.getByTestId('nav-users').waitFor();
    assert.equal(await page.getByTestId('nav-cases').count(), 0);
    await page.getByTestId('nav-users').click();
    await page.getByText('demo-embassy-rus').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, '03-admin-users.png') });
    assert.deepEqual(problems, []);
  });

  test('switching to Arabic lays the page out right to left, and is remembered', async () => {
    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-custody', PASSWORD);
    await page.getByTestId('nav').waitFor();
    await page.getByTestId('language-select').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    const nav = await page.getByTestId('nav').boundingBox();
    assert.ok(nav, 'navigation is visible');
    assert.ok(nav.x + nav.width / 2 > 640, `navigation should sit on the right in Arabic (x=${nav.x})`);
    await page.screenshot({ path: path.join(ARTIFACTS, '04-arabic-rtl.png') });

    // Remembered per user: a new browser context (no local storage) comes back in Arabic.
    const again = await newPage(problems);
    await signIn(again, 'demo-custody', PASSWORD);
    await again.getByTestId('nav').waitFor();
    await again.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.deepEqual(problems, []);
  });

  test('a user with two-factor login signs in with the code from their authenticator', async () => {
    // Enrol demo-security through the API, as the user would from My account.
    const { cookie, csrfToken } = await apiLogin(server.url, 'demo-security', PASSWORD);
    const headers = { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
    const setup = (await (await fetch(`${server.url}/api/v1/auth/totp/setup`, { method: 'POST', headers, body: '{}' })).json()) as { secret: string };
    const step = totpStep(new Date());
    const enable = await fetch(`${server.url}/api/v1/auth/totp/enable`, { method: 'POST', headers, body: JSON.stringify({ code: totpCode(setup.secret, step) }) });
    assert.equal(enable.status, 200);

    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-security', PASSWORD);
    await page.getByTestId('login-totp').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, '05-totp-step.png') });
    // The enrolment used this step's code; the next step's code is the next valid one.
    await page.getByTestId('login-totp').fill(totpCode(setup.secret, step + 1));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('nav').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, '06-totp-signed-in.png') });
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
    assert.deepEqual(problems, []);
  });
});

describe('the API documentation page', () => {
  test('renders the OpenAPI document without login and without CSP violations', async () => {
    const problems: string[] = [];
    const page = await newPage(problems);
    await page.goto(`${server.url}/api/docs`);
    await page.getByText('Homeward API').first().waitFor();
    await page.getByText('/api/v1/auth/login').first().waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, '07-api-docs.png') });
    assert.deepEqual(problems, []);
  });
});
