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

async function api<T>(session: { cookie: string }, url: string): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${url}`, { headers: { cookie: session.cookie } });
  const text = await response.text();
  assert.ok(response.ok, `GET ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `figures-${name}.png`), fullPage: true });
const CHARTS = ['chart-nationality-kind', 'chart-nationality-status', 'chart-pipeline', 'chart-returns', 'chart-occupancy', 'chart-clearances', 'chart-days'];

async function chartsRendered(page: Page) {
  for (const id of CHARTS) {
    await page.locator(`[data-testid="${id}"] svg`).first().waitFor({ timeout: 20_000 });
    // The SVG renderer draws real text: axis labels, legends.
    assert.ok((await page.locator(`[data-testid="${id}"] svg text`).count()) > 0, `${id} has no text`);
  }
}

type Dashboard = { people: { status: string; count: number; countryCode: string | null }[] };

describe('figures', () => {
  test('the coordinator opens the dashboard: every chart renders as SVG, in English and in Arabic (mirrored)', async () => {
    const problems: string[] = [];
    const page = await openPage(browser, problems, { width: 1400, height: 1000 });
    await signInAs(page, server.url, 'demo-coordinator', PASSWORD);
    await page.goto(`${server.url}/figures`);
    await page.getByTestId('figures-dashboard').waitFor();
    await chartsRendered(page);

    const session = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const d = await api<Dashboard>(session, '/figures/dashboard');
    const returned = d.people.filter((p) => p.status === 'returned').reduce((s, p) => s + p.count, 0);
    assert.equal(await page.getByTestId('figures-returned').textContent(), String(returned), 'the headline is the API figure');
    // The demo gains past flights (33 and 27 children to Russia and elsewhere); with them, returns show.
    if (returned > 0) {
      assert.ok((await page.locator('[data-testid="chart-returns"] svg path').count()) > 0, 'returns are drawn');
    }
    console.log(`# demo: ${returned} people returned`);
    await shot(page, 'dashboard-en');

    await page.getByTestId('language-select').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.waitForFunction(() => /[\u0600-\u06FF]/.test(document.querySelector('[data-testid="chart-nationality-status"] svg')?.textContent ?? ''), undefined, { timeout: 20_000 });
    await chartsRendered(page);
    // Mirrored: the value axis of a column chart stands on the right, its labels right of the plot.
    const mirrored = await page.evaluate(() => {
      const svg = document.querySelector('[data-testid="chart-pipeline"] svg');
      if (!svg) return null;
      const box = svg.getBoundingClientRect();
      const numbers = [...svg.querySelectorAll('text')].filter((t) => /^\d+$/.test(t.textContent ?? '') && t.getBoundingClientRect().width > 0);
      return numbers.length === 0 ? null : numbers.every((t) => t.getBoundingClientRect().left > box.left + box.width / 2);
    });
    assert.notEqual(mirrored, false, 'in Arabic the value axis is on the right');
    await shot(page, 'dashboard-ar');
    await page.getByTestId('language-select').selectOption('en');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    assert.deepEqual(problems, [], 'no Content-Security-Policy violation or page error');
    await page.context().close();
  });

  test('public statistics show the suppressed tables, export, and the statement never prints a number under 5', async () => {
    const problems: string[] = [];
    const page = await openPage(browser, problems, { width: 1400, height: 1000 });
    await signInAs(page, server.url, 'demo-coordinator', PASSWORD);
    await page.goto(`${server.url}/figures?tab=public`);
    await page.getByTestId('public-table-returns').waitFor();
    await page.getByTestId('public-table-held').waitFor();
    const session = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const published = await api<{ asOf: string; tables: { id: string; rows: { cells: string[]; total: string }[]; totals: string[]; grandTotal: string }[] }>(session, '/figures/public');
    assert.match((await page.getByTestId('public-as-of-shown').textContent()) ?? '', new RegExp(published.asOf));
    const expected = published.tables.flatMap((t) => (t.rows.length === 0 ? [] : [...t.rows.flatMap((r) => [...r.cells, r.total]), ...t.totals]));
    const shown = await page.getByTestId('public-cell').allTextContents();
    assert.deepEqual(shown, expected, 'the page shows the published strings');
    for (const v of shown) assert.ok(v === '<5' || v === 'x' || Number(v) === 0 || Number(v) >= 5, `a small number is shown: ${v}`);
    // The demo's smaller nationalities (held adults and children of 14 countries) have small cells.
    if (expected.includes('<5')) assert.ok(shown.includes('<5') && shown.includes('x'), 'small counts "<5" and their secondary "x"');
    console.log(`# public: ${expected.filter((v) => v === '<5').length} "<5", ${expected.filter((v) => v === 'x').length} "x"`);

    const download = page.waitForEvent('download');
    await page.getByTestId('public-export-csv').click();
    assert.match((await download).suggestedFilename(), /^homeward-public-figures-\d{4}-\d{2}-\d{2}\.csv$/);

    await page.getByTestId('statement-generate').click();
    const text = page.getByTestId('statement-text');
    await text.waitFor();
    const statement = (await text.textContent()) ?? '';
    const api_ = await api<{ text: string; dateText: string }>(session, `/figures/statement?asOf=${published.asOf}&language=en`);
    assert.equal(statement, api_.text);
    for (const n of statement.replace(api_.dateText, '').match(/\d+/g) ?? []) assert.ok(Number(n) >= 5, `the statement prints ${n}: ${statement}`);
    console.log(`# statement: ${statement}`);
    await page.getByTestId('statement-language').selectOption('ar');
    await page.getByTestId('statement-generate').click();
    await page.waitForFunction(() => /[\u0600-\u06FF]/.test(document.querySelector('[data-testid="statement-text"]')?.textContent ?? ''));
    assert.equal(await page.getByTestId('statement-text').getAttribute('dir'), 'rtl');
    await page.getByTestId('statement-copy').waitFor();
    await shot(page, 'public');
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test('an embassy sees its own country only, and no public statistics', async () => {
    const problems: string[] = [];
    const page = await openPage(browser, problems);
    await signInAs(page, server.url, 'demo-embassy-rus', PASSWORD);
    await page.goto(`${server.url}/figures?tab=public`);
    await page.getByTestId('figures-dashboard').waitFor();
    assert.equal(await page.getByTestId('figures-tab-public').count(), 0);
    await chartsRendered(page);
    const session = await apiLogin(server.url, 'demo-embassy-rus', PASSWORD);
    const d = await api<Dashboard>(session, '/figures/dashboard');
    assert.deepEqual([...new Set(d.people.map((p) => p.countryCode))], ['RUS']);
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
