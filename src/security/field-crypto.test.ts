import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { loadConfig } from '../config/env.ts';
import { FieldCryptoError, fieldKey, isSealed, keyIdOf, open, seal, sealedKeyId } from './field-crypto.ts';

const key = fieldKey(randomBytes(32));
const keys = new Map([[key.id, key]]);
const here = { table: 'persons', column: 'security_notes', rowId: '0b5c2f5e-1111-4c3a-9d55-000000000001' };
const NOTES = 'Named by two witnesses; held apart from the others — «пример» مثال';

test('a sealed value opens to the same text, and shows none of it', () => {
  const sealed = seal(key, NOTES, here);
  assert.ok(isSealed(sealed));
  assert.equal(sealedKeyId(sealed), key.id);
  assert.match(sealed, /^hw1:[0-9a-f]{8}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
  assert.ok(!sealed.includes('witnesses'));
  assert.equal(open(keys, sealed, here), NOTES);
  assert.equal(open(keys, seal(key, '', here), here), '');
  // A fresh IV every time: the same text never seals the same way twice.
  assert.notEqual(seal(key, NOTES, here), sealed);
});

test('a value altered anywhere does not open', () => {
  const sealed = seal(key, NOTES, here);
  const parts = sealed.split(':');
  for (const index of [2, 3, 4]) {
    const part = parts[index] as string;
    const flipped = Buffer.from(part, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    const altered = [...parts];
    altered[index] = flipped.toString('base64url');
    assert.throws(() => open(keys, altered.join(':'), here), FieldCryptoError, `part ${index}`);
  }
  assert.throws(() => open(keys, `${sealed}AA`, here), FieldCryptoError);
  assert.throws(() => open(keys, 'hw1:garbage', here), /not a sealed value/);
});

test('moved to another row or column, a value does not open', () => {
  const sealed = seal(key, NOTES, here);
  assert.throws(() => open(keys, sealed, { ...here, rowId: '0b5c2f5e-1111-4c3a-9d55-000000000002' }), /belongs to another record/);
  assert.throws(() => open(keys, sealed, { ...here, column: 'welfare_notes' }), FieldCryptoError);
  assert.throws(() => open(keys, sealed, { ...here, table: 'best_interests_assessments' }), FieldCryptoError);
});

test('the wrong key is refused clearly, naming the key that sealed it', () => {
  const sealed = seal(key, NOTES, here);
  const other = fieldKey(randomBytes(32));
  assert.throws(() => open(new Map([[other.id, other]]), sealed, here), new RegExp(`sealed with encryption key ${key.id}, which is not configured`));
  // A different key under the same id (a key replaced without a new id) fails authentication.
  const impostor = fieldKey(randomBytes(32), key.id);
  assert.throws(() => open(new Map([[key.id, impostor]]), sealed, here), /does not open with key/);
});

test('HOMEWARD_ENCRYPTION_KEY: 64 hex digits or base64 of 32 bytes; anything else names the variable', () => {
  const raw = randomBytes(32);
  for (const text of [raw.toString('hex'), raw.toString('base64'), raw.toString('base64url')]) {
    const config = loadConfig({ HOMEWARD_ENCRYPTION_KEY: text });
    assert.deepEqual(config.encryptionKey?.key, raw);
    assert.equal(keyIdOf(raw), keyIdOf(config.encryptionKey?.key as Buffer));
  }
  assert.equal(loadConfig({ HOMEWARD_ENCRYPTION_KEY: raw.toString('hex'), HOMEWARD_ENCRYPTION_KEY_ID: 'k2026' }).encryptionKey?.id, 'k2026');
  for (const bad of ['short', randomBytes(16).toString('hex'), randomBytes(31).toString('base64'), `${raw.toString('hex')}00`]) {
    assert.throws(() => loadConfig({ HOMEWARD_ENCRYPTION_KEY: bad }), (error: Error) => error.message.startsWith('environment variable HOMEWARD_ENCRYPTION_KEY: must be 32 bytes') && !error.message.includes(bad));
  }
  assert.throws(() => loadConfig({ HOMEWARD_ENCRYPTION_KEY_ID: 'Bad Id' }), /HOMEWARD_ENCRYPTION_KEY_ID/);
  assert.throws(() => loadConfig({ HOMEWARD_BACKUP_PASSPHRASE: 'short' }), /HOMEWARD_BACKUP_PASSPHRASE: must be at least 12/);
  assert.equal(loadConfig({}).encryptionKey, null);
});
