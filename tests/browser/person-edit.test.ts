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

interface ListItem {
  readonly id: string;
  readonly displayName: string;
  readonly vitalStatus: string;
  readonly sex: string;
  readonly version: number;
}

async function api<T>(session: { cookie: string; csrfToken?: string }, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(`${server.url}/api/v1${url}`, {
    method,
    headers: { cookie: session.cookie, ...(body ? { 'content-type': 'application/json' } : {}), ...(session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(response.ok, `${method} ${url}: ${response.status} ${await response.clone().text()}`);
  return (await response.json()) as T;
}
/** People of one kind who are alive, as the caller sees them. */
async function alive(session: { cookie: string }, kind: string, limit = 20): Promise<ListItem[]> {
  const page = await api<{ data: ListItem[] }>(session, 'GET', `/persons?kind=${kind}&limit=${limit}`);
  return page.data.filter((p) => p.vitalStatus === 'alive');
}

const newPage = (problems: string[]): Promise<Page> => openPage(browser, problems);

const signIn = (page: Page, username: string): Promise<void> => signInAs(page, server.url, username, PASSWORD);

async function openPerson(page: Page, id: string) {
  await page.goto(`${server.url}/registry/${id}`);
  await page.getByTestId('person-page').waitFor();
  await page.getByTestId('person-title').waitFor();
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `person-edit-${name}.png`), fullPage: true });

describe('editing a person in Chromium', () => {
  test('a coordinator edits a fact and adds a name in Cyrillic; a client-side message shows first', async () => {
    const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const person = (await alive(coordinator, 'adult'))[0];
    assert.ok(person, 'the demo has a living adult');
    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-coordinator');
    await openPerson(page, person.id);
    await page.getByTestId('person-edit-bar').waitFor();
    // The coordinator may not record proceedings (the judiciary does): the server says so, and no button shows.
    assert.equal(await page.getByTestId('edit-open-proceeding').count(), 0);
    await shot(page, '01-person');

    // Vital status and its date.
    await page.getByTestId('edit-open-facts').click();
    await page.getByTestId('edit-facts-form').waitFor();
    await page.getByTestId('edit-facts-vital-status').selectOption('deceased');
    await page.getByTestId('edit-facts-vital-date').fill('2024-05-01');
    await page.getByTestId('edit-facts-reason').fill('Death certificate from the camp clinic');
    await shot(page, '02-facts-form');
    await page.getByTestId('edit-submit').click();
    await page.getByTestId('edit-facts-form').waitFor({ state: 'detached' });
    await page.getByTestId('person-vital-status').getByText(/Deceased/).waitFor();
    assert.match((await page.getByTestId('person-vital-status').textContent()) ?? '', /Deceased.*2024/);
    const saved = await api<{ vitalStatus: string; vitalDate: string; version: number }>(coordinator, 'GET', `/persons/${person.id}`);
    assert.equal(saved.vitalStatus, 'deceased');
    assert.equal(saved.vitalDate, '2024-05-01');
    assert.equal(saved.version, person.version + 1);
    await shot(page, '03-fact-saved');

    // A name in Cyrillic: an empty form is refused by the client first, in the user's language.
    await page.getByTestId('edit-open-addName').click();
    await page.getByTestId('edit-name-form').waitFor();
    await page.getByTestId('edit-submit').click();
    await page.getByText('Give at least a given name, a family name or the whole name.').waitFor();
    await page.getByTestId('edit-name-givenName').fill('Мариям');
    await page.getByTestId('edit-name-familyName').fill('Хасанова');
    await page.getByTestId('edit-submit').click();
    await page.getByTestId('edit-name-form').waitFor({ state: 'detached' });
    const row = page.locator('[data-testid="person-name-row"][data-script="cyrillic"]', { hasText: 'Мариям Хасанова' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Mariyam|Mariam/i, 'the Latin rendering is shown beside it');
    await shot(page, '04-cyrillic-name');
    assert.deepEqual(problems, []);
  });

  test('the judiciary records a proceeding that breaks the law’s limit and reads why it is refused', async () => {
    const judiciary = await apiLogin(server.url, 'demo-judiciary', PASSWORD);
    const juvenile = (await alive(judiciary, 'juvenile'))[0];
    assert.ok(juvenile, 'the demo has a juvenile');
    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-judiciary');
    await openPerson(page, juvenile.id);
    // The judiciary sees no identity forms: only the proceeding.
    assert.equal(await page.getByTestId('edit-open-facts').count(), 0);
    await page.getByTestId('edit-open-proceeding').click();
    await page.getByTestId('edit-proceeding-form').waitFor();
    await page.getByTestId('edit-proceeding-stage').selectOption('final');
    await page.getByTestId('edit-proceeding-verdict').selectOption('convicted');
    await page.getByTestId('edit-proceeding-sentence-kind').selectOption('term');
    await page.getByTestId('edit-proceeding-years').fill('20');
    // A conviction without the date of the act: the form says what is missing before asking the server.
    await page.getByTestId('edit-submit').click();
    await page.getByText('A conviction needs the date of the act, to check the age at the act.').waitFor();

    const actDate = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('edit-proceeding-actDate').fill(actDate);
    await page.getByTestId('edit-submit').click();
    const refusal = page.getByTestId('edit-error');
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /cannot be sentenced to more than 15 years; the sentence is 20 years/);
    // …and next to the field to correct.
    await page.getByTestId('edit-proceeding-term').getByText(/more than 15 years/).waitFor();
    await shot(page, '05-proceeding-refused');

    // Within the limit it is recorded, with its release date.
    await page.getByTestId('edit-proceeding-years').fill('10');
    await page.getByTestId('edit-submit').click();
    await page.getByTestId('edit-proceeding-form').waitFor({ state: 'detached' });
    await page.getByTestId('person-proceeding').getByTestId('proceeding-sentence').first().waitFor();
    await shot(page, '06-proceeding-recorded');
    assert.deepEqual(problems, []);
  });

  test('a stale edit shows who changed the record, and a reload lets the clerk save', async () => {
    const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const childProtection = await apiLogin(server.url, 'demo-child-protection', PASSWORD);
    const visibleToBoth = new Set((await alive(childProtection, 'child', 50)).map((p) => p.id));
    const child = (await alive(coordinator, 'child', 100)).find((p) => visibleToBoth.has(p.id) && p.sex !== 'unknown');
    assert.ok(child, 'a demo child both roles see');
    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-coordinator');
    await openPerson(page, child.id);
    await page.getByTestId('edit-open-facts').click();
    await page.getByTestId('edit-facts-form').waitFor();

    // Meanwhile child protection records a welfare note through the API.
    const current = await api<{ version: number }>(childProtection, 'GET', `/persons/${child.id}`);
    await api(childProtection, 'PATCH', `/persons/${child.id}`, { vulnerability: { notes: 'Needs glasses' } }, { 'if-match': `"${current.version}"` });

    await page.getByTestId('edit-facts-sex').selectOption('unknown');
    await page.getByTestId('edit-submit').click();
    const stale = page.getByTestId('edit-stale');
    await stale.waitFor();
    const message = (await page.getByTestId('edit-stale-message').textContent()) ?? '';
    assert.match(message, /was changed by .+ \(person\.updated\) at .+: you sent version \d+, it is now version \d+/);
    await shot(page, '07-stale');

    // Reload: the form starts again from the record as it is now, and the change goes through.
    await page.getByTestId('edit-reload').click();
    await stale.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('edit-facts-notes').inputValue(), 'Needs glasses');
    await page.getByTestId('edit-facts-sex').selectOption('unknown');
    await page.getByTestId('edit-submit').click();
    await page.getByTestId('edit-facts-form').waitFor({ state: 'detached' });
    await page.getByTestId('person-sex').getByText('Unknown').waitFor();
    assert.equal((await api<{ sex: string }>(coordinator, 'GET', `/persons/${child.id}`)).sex, 'unknown');
    assert.deepEqual(problems, []);
  });

  test('a coordinator records a nationality, a document, a photo, a relative, a transfer and a release', async () => {
    const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const candidates = await alive(coordinator, 'adult', 40);
    let person: { id: string; nationalities: { countryCode: string }[]; currentFacility: unknown; family: unknown[] } | undefined;
    for (const c of candidates.slice(2)) {
      const detail = await api<NonNullable<typeof person>>(coordinator, 'GET', `/persons/${c.id}`);
      if (detail.currentFacility && !detail.nationalities.some((n) => n.countryCode === 'KAZ')) {
        person = detail;
        break;
      }
    }
    assert.ok(person, 'a demo adult in custody without a Kazakh nationality');
    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-coordinator');
    await openPerson(page, person.id);
    const submit = async (form: string) => {
      await page.getByTestId('edit-submit').click();
      await page.getByTestId(form).waitFor({ state: 'detached' });
    };

    await page.getByTestId('edit-open-nationality').click();
    await page.getByTestId('edit-nationality-country').selectOption('KAZ');
    await submit('edit-nationality-form');
    await page.getByTestId('person-nationality').filter({ hasText: 'Kazakhstan' }).waitFor();

    await page.getByTestId('edit-open-document').click();
    await page.getByTestId('edit-document-country').selectOption('KAZ');
    await page.getByTestId('edit-document-number').fill('N 0123456');
    await submit('edit-document-form');
    await page.getByTestId('person-documents').getByText('N 0123456').waitFor();

    await page.getByTestId('edit-open-photo').click();
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await page.getByTestId('edit-photo-form').locator('input[type=file]').setInputFiles({ name: 'face.png', mimeType: 'image/png', buffer: png });
    await submit('edit-photo-form');
    await page.getByTestId('person-photo').first().waitFor();

    const relatives = await page.getByTestId('person-relative').count();
    await page.getByTestId('edit-open-family').click();
    await page.getByTestId('edit-submit').click();
    await page.getByText('Choose the relative from the results.').waitFor();
    await page.getByTestId('edit-family-search').fill('Amina');
    await page.locator('[data-testid="edit-family-candidate"]:not([disabled])').first().check();
    await page.getByTestId('edit-family-relation').selectOption('sibling');
    await submit('edit-family-form');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="person-relative"]').length > n, relatives);
    await shot(page, '09-identity-family');

    const episodes = await page.getByTestId('person-custody-episode').count();
    await page.getByTestId('edit-open-admit').click();
    await page.getByTestId('edit-admit-current').waitFor(); // already held: this is a transfer
    await page.getByTestId('edit-admit-facility').selectOption({ index: 1 });
    await submit('edit-admit-form');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="person-custody-episode"]').length > n, episodes);
    await page.getByTestId('edit-open-release').click();
    await page.getByTestId('edit-release-reason').selectOption('repatriated');
    await submit('edit-release-form');
    await page.getByTestId('person-current-facility').getByText('Not in custody now.').waitFor();
    await shot(page, '10-custody');
    assert.deepEqual(problems, []);
  });

  test('identity evidence: a document and a DNA match confirm the identity; the DNA result reaches the embassy only as “kinship confirmed”', async () => {
    const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const children = await api<{ data: ListItem[] }>(coordinator, 'GET', '/persons?nationality=TJK&kind=child&limit=30');
    const child = children.data[5];
    assert.ok(child, 'a Tajik demo child');
    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-coordinator');
    await openPerson(page, child.id);
    const confidence = () => page.getByTestId('identity-confidence').getAttribute('data-level');
    const record = async (kind: string, fill: () => Promise<void>) => {
      await page.getByTestId('edit-open-evidence').click();
      await page.getByTestId('edit-evidence-kind').selectOption(kind);
      await fill();
      await page.getByTestId('edit-submit').click();
      await page.getByTestId('edit-evidence-form').waitFor({ state: 'detached' });
    };
    await page.getByTestId('edit-open-evidence').click();
    await page.getByTestId('edit-submit').click();
    await page.getByText('This is required.').first().waitFor();
    await page.getByTestId('edit-cancel').click();
    const before = await confidence();
    await record('document', () => page.getByTestId('edit-evidence-date').fill('2026-03-01'));
    await record('dna', async () => {
      await page.getByTestId('edit-evidence-date').fill('2026-04-01');
      await page.getByTestId('edit-evidence-laboratory').fill('Central Forensic Laboratory');
      await page.getByTestId('edit-evidence-relationship').fill('maternal grandmother');
    });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="evidence-row"]').length >= 2);
    assert.equal(await confidence(), 'confirmed', `from ${before}`);
    await page.getByTestId('person-evidence').getByText('Central Forensic Laboratory').waitFor();
    await shot(page, '12-evidence');

    const embassy = await newPage(problems);
    await signIn(embassy, 'demo-embassy-tjk');
    await openPerson(embassy, child.id);
    await embassy.getByTestId('evidence-row').getByText('Kinship confirmed by DNA').waitFor();
    assert.equal(await embassy.getByTestId('person-evidence').getByText('Central Forensic Laboratory').count(), 0);
    await shot(embassy, '13-evidence-embassy');
    assert.deepEqual(problems, []);
  });

  test('in Arabic the forms read right to left and the required-field messages are Arabic', async () => {
    const coordinator = await apiLogin(server.url, 'demo-coordinator', PASSWORD);
    const person = (await alive(coordinator, 'adult'))[1];
    assert.ok(person);
    const problems: string[] = [];
    const page = await newPage(problems);
    await signIn(page, 'demo-coordinator');
    await page.getByTestId('language-select').selectOption('ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await openPerson(page, person.id);
    await page.getByTestId('edit-open-addName').click();
    await page.getByTestId('edit-name-form').waitFor();
    await page.getByTestId('edit-submit').click();
    await page.getByText('أدخل على الأقل الاسم الأول أو اسم العائلة أو الاسم كاملاً.').waitFor();
    assert.ok(await page.getByTestId('edit-name-form').evaluate((form) => form.matches(':dir(rtl)')), 'the form is laid out right to left');
    await shot(page, '08-arabic-add-name');
    await page.getByTestId('edit-cancel').click();
    await page.getByTestId('language-select').selectOption('en'); // the language is remembered per user
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    assert.deepEqual(problems, []);
  });
});
