import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { renderNationalsList } from './nationals-list.ts';
import { PdfReport, visualRuns } from './pdf.ts';

const OUT = 'test-results/pdf';
mkdirSync(OUT, { recursive: true });

const person = (displayName: string, latinName: string, extra: Partial<Parameters<typeof renderNationalsList>[0]['people'][number]> = {}) => ({
  id: displayName,
  displayName,
  latinName,
  otherNames: [],
  sex: 'male',
  birthPrecision: 'year',
  birthEarliest: '2016-01-01',
  birthLatest: '2016-12-31',
  birthText: null,
  facility: 'Al-Amal Camp',
  child: true,
  ...extra,
});

/** A PGM (P5) page from pdftoppm -gray: width, height and one byte per pixel. */
function readPgm(path: string) {
  const data = readFileSync(path);
  const header = data.subarray(0, 50).toString('latin1');
  const match = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(header);
  assert.ok(match, 'a PGM file');
  const [width, height] = [Number(match[1]), Number(match[2])];
  return { width, height, pixels: data.subarray(match[0].length) };
}

/** Runs of columns with ink in a band of rows: a joined word is one run, letters drawn apart are several. */
function inkIslands(page: ReturnType<typeof readPgm>, top: number, bottom: number): { islands: number; left: number; right: number } {
  const columns: boolean[] = [];
  for (let x = 0; x < page.width; x++) {
    let ink = false;
    for (let y = top; y < bottom && !ink; y++) ink = (page.pixels[y * page.width + x] ?? 255) < 128;
    columns.push(ink);
  }
  let islands = 0;
  columns.forEach((ink, x) => {
    if (ink && !columns[x - 1]) islands += 1;
  });
  return { islands, left: columns.indexOf(true), right: columns.lastIndexOf(true) };
}

describe('bidi runs', () => {
  test('an Arabic string is one right-to-left run in logical order (fontkit shapes and reverses it)', () => {
    assert.deepEqual(visualRuns('محمد بن علي'), { runs: [{ text: 'محمد بن علي', rtl: true, font: 'arabic' }], rtl: true });
  });
  test('a mixed line puts its runs in visual order: digits inside Arabic stay left to right', () => {
    const { runs, rtl } = visualRuns('فاطمة 12 عبد الله');
    assert.equal(rtl, true);
    assert.deepEqual(runs.map((r) => [r.text.trim(), r.rtl]), [['عبد الله', true], ['12', false], ['فاطمة', true]]);
    const latin = visualRuns('Camp — مخيم الأمل');
    assert.equal(latin.rtl, false);
    assert.deepEqual(latin.runs.map((r) => r.font), ['latin', 'arabic']);
  });
  test('brackets and dashes between Arabic words are drawn in a font that has them, mirrored', () => {
    const { runs } = visualRuns('محمد (علي) — ابن حسن');
    // Noto Naskh Arabic has no "(", ")" or "—": every run holding one is in Noto Sans.
    for (const r of runs) if (/[()—]/.test(r.text)) assert.equal(r.font, 'latin', JSON.stringify(runs));
    assert.ok(runs.some((r) => r.font === 'arabic' && r.text.includes('علي')));
  });
});

describe('the notification PDF', () => {
  test('names come out in their scripts: Latin and Cyrillic as text, Arabic present and shaped', async () => {
    const pdf = await renderNationalsList({
      countryCode: 'TJK',
      countryName: { en: 'Tajikistan', ar: 'طاجيكستان' },
      sentOn: '2026-03-01',
      people: [
        person('محمد عبد الرحيم', 'Muhammad Abd al-Rahim'),
        person('Зарина Каримова', 'Zarina Karimova', { sex: 'female', birthPrecision: 'exact', birthEarliest: '1994-05-03', birthLatest: '1994-05-03', child: false, facility: 'Women’s Correctional Facility No. 1' }),
        person('Farida Rahimova', 'Farida Rahimova', { sex: 'female', otherNames: ['فريدة رحيموفا', 'Фарида Рахимова'], birthPrecision: 'estimated', birthEarliest: '2014-01-01', birthLatest: '2016-12-31' }),
      ],
    });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const file = `${OUT}/notification.pdf`;
    writeFileSync(file, pdf);
    // Embedded fonts: the file carries its own Noto subsets.
    assert.match(pdf.toString('latin1'), /FontFile2/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const expected of ['Muhammad Abd al-Rahim', 'Зарина Каримова', 'Zarina Karimova', 'Фарида Рахимова', 'about 2014–2016', '1994-05-03', 'Women’s Correctional Facility No. 1', 'People', 'Of whom children']) {
      assert.ok(text.includes(expected), `${expected} in the text:\n${text}`);
    }
    // pdftotext reorders right-to-left text itself: the Arabic name reads in logical order.
    assert.ok(text.includes('محمد عبد الرحيم') || text.includes('ميحرلا دبع دمحم'), `the Arabic name in the text:\n${text}`);
    assert.match(text, /Of whom children\s+2 /);
    execFileSync('pdftoppm', ['-r', '110', '-png', '-f', '1', '-l', '1', '-singlefile', file, `${OUT}/notification`]);
  });

  test('Arabic letters join: a shaped word is one stroke, the same letters drawn alone are separate', async () => {
    const report = new PdfReport({ title: 'shaping' });
    const word = 'محمد';
    const size = 36;
    report.line(word, 60, 60, 400, size, { align: 'left' });
    let x = 60;
    for (const letter of word) {
      // Each letter on its own: fontkit gives it its isolated form.
      report.line(letter, x, 160, 100, size, { align: 'left' });
      x += report.measure(letter, size);
    }
    writeFileSync(`${OUT}/shaping.pdf`, await report.finish());
    execFileSync('pdftoppm', ['-r', '100', '-gray', '-f', '1', '-l', '1', '-singlefile', `${OUT}/shaping.pdf`, `${OUT}/shaping`]);
    execFileSync('pdftoppm', ['-r', '100', '-png', '-f', '1', '-l', '1', '-singlefile', `${OUT}/shaping.pdf`, `${OUT}/shaping`]);
    const page = readPgm(`${OUT}/shaping.pgm`);
    const px = (pt: number) => Math.round((pt * 100) / 72);
    const joined = inkIslands(page, px(55), px(55 + size * 1.6));
    const isolated = inkIslands(page, px(155), px(155 + size * 1.6));
    assert.equal(joined.islands, 1, `the shaped word is one connected stroke (${JSON.stringify(joined)})`);
    assert.ok(isolated.islands >= 3, `isolated forms stand apart (${JSON.stringify(isolated)})`);
    // Isolated forms carry their full tails: the same letters take more room apart than joined.
    assert.ok(isolated.right - isolated.left > joined.right - joined.left, `joined ${JSON.stringify(joined)}, isolated ${JSON.stringify(isolated)}`);
  });
});
