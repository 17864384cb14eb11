import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { BackupError, type BackupSecrets, BackupWriter, HEADER_BYTES, openBackup, readHeader, verifyBackup } from './envelope.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-envelope-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const key = { id: 'k1', key: randomBytes(32) };
const byKey: BackupSecrets = { keys: new Map([[key.id, key.key]]), current: key, passphrase: null };
const ABOUT = { createdAt: new Date().toISOString(), database: 'postgres', payload: 'pg_dump.sql.gz', migration: '0011_encryption', migrations: 11 } as const;
let n = 0;

function write(secrets: BackupSecrets, data: Buffer): string {
  const file = path.join(dir, `b${n++}.hwb`);
  const writer = new BackupWriter(file, secrets);
  for (let at = 0; at < data.length; at += 300_000) writer.write(data.subarray(at, at + 300_000));
  writer.finish(ABOUT);
  return file;
}

async function read(file: string, secrets: BackupSecrets): Promise<Buffer> {
  const parts: Buffer[] = [];
  const chunks = openBackup(file, secrets);
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) parts.push(next.value);
  return Buffer.concat(parts);
}

const data = randomBytes(2_500_000); // three chunks

test('a backup opens to what was written, with the right key or passphrase', async () => {
  const file = write(byKey, data);
  assert.deepEqual(await read(file, byKey), data);
  const header = readHeader(file);
  assert.equal(header.chunks, 3);
  assert.equal(header.plaintext.bytes, data.length);
  assert.deepEqual(header.kdf, { kind: 'key', keyId: 'k1' });
  assert.ok(!fs.readFileSync(file).includes(data.subarray(1000, 1032)), 'no plaintext in the file');

  const phrase: BackupSecrets = { keys: new Map(), current: null, passphrase: 'a long shared passphrase' };
  const sealed = write(phrase, data);
  assert.equal(readHeader(sealed).kdf.kind, 'scrypt');
  assert.deepEqual(await read(sealed, phrase), data);
  await assert.rejects(verifyBackup(sealed, { ...phrase, passphrase: 'another long passphrase' }), /does not open: its header was altered, or the passphrase/);
  await assert.rejects(verifyBackup(sealed, byKey), /sealed with a passphrase: set HOMEWARD_BACKUP_PASSPHRASE/);
});

test('the wrong key is refused before anything is read', async () => {
  const file = write(byKey, data);
  const other = { id: 'k2', key: randomBytes(32) };
  await assert.rejects(verifyBackup(file, { keys: new Map([[other.id, other.key]]), current: other, passphrase: null }), /sealed with encryption key k1 \(HOMEWARD_ENCRYPTION_KEY is key k2\)/);
  await assert.rejects(verifyBackup(file, { keys: new Map([['k1', randomBytes(32)]]), current: null, passphrase: null }), /does not open: its header was altered, or the key/);
});

test('one changed byte anywhere, a cut, an extension or chunks swapped: refused', async () => {
  const file = write(byKey, data);
  const bytes = fs.readFileSync(file);
  const variant = (name: string, content: Buffer) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, content);
    return f;
  };
  for (const offset of [HEADER_BYTES + 2, HEADER_BYTES + 100, bytes.length - 5, Math.floor(bytes.length / 2)]) {
    const damaged = Buffer.from(bytes);
    damaged[offset] = (damaged[offset] as number) ^ 0x01;
    await assert.rejects(verifyBackup(variant(`flip${offset}`, damaged), byKey), BackupError, `byte ${offset}`);
  }
  // The header: its JSON altered (the size), then re-padded.
  const text = bytes.subarray(0, HEADER_BYTES).toString('utf8').replace('"migrations":11', '"migrations":12');
  await assert.rejects(verifyBackup(variant('header', Buffer.concat([Buffer.from(text), bytes.subarray(HEADER_BYTES)])), byKey), /header was altered/);
  await assert.rejects(verifyBackup(variant('cut', bytes.subarray(0, bytes.length - 1000)), byKey), /cut short|damaged/);
  await assert.rejects(verifyBackup(variant('long', Buffer.concat([bytes, Buffer.from('extra')])), byKey), /follow its last chunk/);
  // The first two chunks swapped (each is 4 + 1 MiB + 16 bytes).
  const size = 4 + 1024 * 1024 + 16;
  const one = bytes.subarray(HEADER_BYTES, HEADER_BYTES + size);
  const two = bytes.subarray(HEADER_BYTES + size, HEADER_BYTES + 2 * size);
  await assert.rejects(verifyBackup(variant('swap', Buffer.concat([bytes.subarray(0, HEADER_BYTES), two, one, bytes.subarray(HEADER_BYTES + 2 * size)])), byKey), /chunk 1 of 3 does not open/);
});

test('an interrupted backup leaves only <file>.partial, which says it is incomplete', async () => {
  const file = path.join(dir, 'interrupted.hwb');
  const writer = new BackupWriter(file, byKey);
  writer.write(data);
  // (the process dies here)
  assert.equal(fs.existsSync(file), false);
  assert.throws(() => readHeader(writer.partial), /is incomplete: the backup that wrote it was interrupted/);
  writer.abort();
  assert.equal(fs.existsSync(writer.partial), false);
  assert.throws(() => readHeader(path.join(dir, 'none.hwb')), /no such file/);
  fs.writeFileSync(path.join(dir, 'not.hwb'), 'hello');
  assert.throws(() => readHeader(path.join(dir, 'not.hwb')), /is not a Homeward backup/);
});
