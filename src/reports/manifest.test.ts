import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { type ManifestInput, renderManifest } from './manifest.ts';

const OUT = 'test-results/pdf';
mkdirSync(OUT, { recursive: true });

/** A small RGB PNG (a face-sized grey square with a darker disc), made here so the test needs no fixture. */
export function testPng(size = 48): Buffer {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const inside = (x - size / 2) ** 2 + (y - size / 2.4) ** 2 < (size / 4) ** 2 || (y > size * 0.7 && Math.abs(x - size / 2) < size / 3);
      const v = inside ? 90 : 200;
      raw.set([v, v, v + 20 > 255 ? 255 : v + 20], y * (size * 3 + 1) + 1 + x * 3);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function readPgm(path: string) {
  const data = readFileSync(path);
  const match = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 50).toString('latin1'));
  assert.ok(match, 'a PGM file');
  return { width: Number(match[1]), height: Number(match[2]), pixels: data.subarray(match[0].length) };
}

/** Runs of columns with ink inside a box: a joined Arabic word is one run, letters drawn apart are several. */
function islands(page: ReturnType<typeof readPgm>, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let count = 0;
  let previous = false;
  for (let x = box.x0; x <= box.x1; x++) {
    let ink = false;
    for (let y = box.y0; y <= box.y1 && !ink; y++) ink = (page.pixels[y * page.width + x] ?? 255) < 140;
    if (ink && !previous) count += 1;
    previous = ink;
  }
  return count;
}

/** Word boxes (in points) from `pdftotext -bbox`. */
function wordBoxes(file: string): { word: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' });
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ word: m[5] ?? '', xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) }));
}

const passenger = (displayName: string, latinName: string, extra: Partial<ManifestInput['passengers'][number]> = {}) => ({
  displayName,
  latinName,
  sex: 'male',
  birthDate: '2016',
  child: true,
  caseReference: 'TJK-2026-0007',
  escort: 'Dilnoza Saidova',
  photo: null,
  ...extra,
});

const INPUT: ManifestInput = {
  reference: 'MOV-2027-004',
  kind: 'repatriation',
  mode: 'air',
  status: 'manifest_locked',
  country: { code: 'TJK', en: 'Tajikistan', ar: 'طاجيكستان' },
  fromPlace: 'Baghdad',
  toPlace: 'Dushanbe',
  carrier: 'Iraqi Airways',
  flightNumber: 'IA 2710',
  departureDate: '2027-08-20',
  capacity: 40,
  passengers: [
    passenger('محمد حسن', 'Muhammad Hasan', { photo: testPng() }),
    passenger('Зарина Каримова', 'Zarina Karimova', { sex: 'female', birthDate: '2014-05-03', escort: null }),
    passenger('Farida Rahimova', 'Farida Rahimova', { sex: 'female', birthDate: 'about 2015', photo: testPng(64) }),
    passenger('Малика Назарова', 'Malika Nazarova', { sex: 'female', birthDate: '1994-02-11', child: false, caseReference: 'TJK-2026-0007', escort: null }),
  ],
  escorts: [
    { name: 'Dilnoza Saidova', role: 'official', organisation: 'Embassy of Tajikistan' },
    { name: 'Dr Karim Aziz', role: 'medical', organisation: 'Ministry of Health' },
  ],
  withPhotos: true,
  printedAt: new Date('2027-08-19T08:00:00Z'),
};

describe('the manifest PDF', () => {
  test('English and Arabic header, a row per passenger with Latin names as text, escorts, signatures; fonts embedded', async () => {
    const pdf = await renderManifest(INPUT);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const file = `${OUT}/manifest.pdf`;
    writeFileSync(file, pdf);
    assert.match(pdf.toString('latin1'), /FontFile2/, 'the Noto subsets are embedded');
    assert.match(pdf.toString('latin1'), /\/Subtype \/Image/, 'the photos are embedded');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const expected of ['MOV-2027-004', 'Baghdad — Dushanbe', 'Iraqi Airways · IA 2710', '2027-08-20', 'Muhammad Hasan', 'Zarina Karimova', 'Зарина Каримова', 'Farida Rahimova', 'Malika Nazarova', 'TJK-2026-0007', 'Dilnoza Saidova', 'Dr Karim Aziz', 'Embassy of Tajikistan', '(children 3, adults 1)', 'Latin rendering', 'Received by']) {
      assert.ok(text.includes(expected), `${expected} in the text:\n${text}`);
    }
    execFileSync('pdftoppm', ['-r', '110', '-png', '-f', '1', '-l', '1', '-singlefile', file, `${OUT}/manifest`]);
  });

  test('the Arabic name is shaped: each word one connected stroke on the rendered page', async () => {
    const file = `${OUT}/manifest.pdf`;
    writeFileSync(file, await renderManifest(INPUT));
    const dpi = 300;
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-f', '1', '-l', '1', '-singlefile', file, `${OUT}/manifest-gray`]);
    const page = readPgm(`${OUT}/manifest-gray.pgm`);
    const px = (pt: number) => Math.round((pt * dpi) / 72);
    const boxes = wordBoxes(file);
    for (const word of ['محمد', 'حسن']) {
      const reversed = [...word].reverse().join('');
      const box = boxes.find((b) => b.word === word || b.word === reversed);
      assert.ok(box, `${word} found on the page: ${boxes.map((b) => b.word).join(' ')}`);
      const count = islands(page, { x0: px(box.xMin) + 1, y0: px(box.yMin), x1: px(box.xMax) - 1, y1: px(box.yMax) });
      assert.equal(count, 1, `${word} is one joined stroke, not ${count} separate letters`);
    }
    // The same letters, if they had come out isolated, would stand apart: the check can fail.
    const isolated = boxes.filter((b) => /^[\u0621-\u064A]$/.test(b.word));
    assert.equal(isolated.length, 0, 'no Arabic letter stands alone as a word');
  });

  test('without photos (a role that does not see identity) there is no photo column', async () => {
    const pdf = await renderManifest({ ...INPUT, withPhotos: false });
    writeFileSync(`${OUT}/manifest-no-photos.pdf`, pdf);
    assert.doesNotMatch(pdf.toString('latin1'), /\/Subtype \/Image/);
    const text = execFileSync('pdftotext', ['-layout', `${OUT}/manifest-no-photos.pdf`, '-'], { encoding: 'utf8' });
    assert.ok(!text.includes('Photo'), text);
  });
});
