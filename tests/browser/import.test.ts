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

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `import-${name}.png`), fullPage: true });

const HEADER = 'external_ref,sex,birth_date,given_name,family_name,other_name,nationality,mother_ref';
const GOOD = [
  'BRW-IMP-1,female,1991,زينب,كريموفا,Зейнаб Каримова,TJK,',
  'BRW-IMP-2,male,about 2017,يوسف,كريموف,Юсуф Каримов,TJK,BRW-IMP-1',
  'BRW-IMP-3,female,2019-05,Madina,Karimova,,TJK,BRW-IMP-1',
];
const BAD_ROW = 'BRW-IMP-4,female,sometime,Nigora,Karimova,,TJK,';

async function chooseFile(page: Page, name: string, lines: readonly string[]) {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(`${HEADER}\n${lines.join('\n')}\n`) });
  await page.getByTestId('import-file-name').waitFor();
}

describe('the import wizard in Chromium', () => {
  test('a coordinator imports a file: the bad row is reported and nothing is written, then the corrected file imports', async () => {
    const problems: string[] = [];
    const page = await openPage(browser, problems);
    await signInAs(page, server.url, 'demo-coordinator', PASSWORD);
    await page.getByTestId('nav-registry').click();
    await page.getByTestId('registry-import').click();
    await page.getByTestId('import-page').waitFor();
    assert.equal(await page.getByTestId('import-check').isDisabled(), true, 'nothing to check before a file is chosen');

    // A file with one bad row (line 5 of the file): the dry run lists it by row and column.
    await chooseFile(page, 'people-with-a-bad-row.csv', [...GOOD, BAD_ROW]);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-report').waitFor({ timeout: 30_000 });
    await page.getByTestId('import-problems-alert').waitFor();
    const rows = await page.getByTestId('import-problem').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-row')}:${e.getAttribute('data-column')}`));
    assert.deepEqual(rows, ['5:birth_date']);
    assert.match((await page.getByTestId('import-problem').first().textContent()) ?? '', /sometime/);
    assert.equal(await page.getByTestId('import-commit').count(), 0, 'a file with problems cannot be imported');
    const download = page.waitForEvent('download');
    await page.getByTestId('import-problems-download').click();
    const report = fs.readFileSync((await (await download).path()) as string, 'utf8');
    assert.match(report, /^\uFEFFrow,column,message\n5,birth_date,/);
    await shot(page, '01-bad-row');

    const { cookie } = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const lookup = async (q: string) => {
      const response = await fetch(`${server.url}/api/v1/persons?q=${encodeURIComponent(q)}&limit=50`, { headers: { cookie } });
      return ((await response.json()) as { data: { displayName: string }[] }).data.map((p) => p.displayName);
    };
    assert.ok(!(await lookup('Юсуф Каримов')).includes('يوسف كريموف'), 'nothing was imported');

    // The corrected file: the dry run is clean, then the import registers everyone, with progress shown.
    await chooseFile(page, 'people.csv', GOOD);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-ready').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('import-created').textContent(), '3');
    assert.equal(await page.getByTestId('import-links').textContent(), '2');
    await shot(page, '02-checked');
    const phases: string[] = [];
    await page.exposeFunction('notePhase', (phase: string) => phases.push(phase));
    await page.evaluate(() => {
      const seen = (window as unknown as { notePhase: (p: string) => void }).notePhase;
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="import-progress"]');
        if (bar) seen(bar.getAttribute('data-phase') ?? '');
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor({ timeout: 30_000 });
    assert.ok(phases.length > 0, 'a progress bar was shown while importing');
    assert.equal(await page.getByTestId('import-created').textContent(), '3');
    await shot(page, '03-imported');
    assert.ok((await lookup('Юсуф Каримов')).includes('يوسف كريموف'), 'the imported child is found by the Cyrillic name');

    // The same file again changes nothing.
    await chooseFile(page, 'people-again.csv', GOOD);
    await page.getByTestId('import-check').click();
    await page.getByTestId('import-ready').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('import-already').textContent(), '3');
    assert.equal(await page.getByTestId('import-commit').count(), 0);

    // In Arabic the wizard and its report are laid out right to left.
    await page.getByTestId('language-select').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.getByText('الاستيراد من ملف').first().waitFor();
    await shot(page, '04-arabic');
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});
