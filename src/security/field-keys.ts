import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError, loadConfig, ordinal, parseEncryptionKey } from '../config/env.ts';
import { type FieldKey, fieldKey } from './field-crypto.ts';

/**
 * Which keys seal and open the sensitive fields (decision 0024).
 *
 * - `HOMEWARD_ENCRYPTION_KEY` set: it seals; it is what a deployment uses (several instances share it).
 * - Unset: the key file `<HOMEWARD_DATA_DIR>/encryption.key` (made, random, readable only by its owner,
 *   the first time a command that writes sealed fields runs on a database that holds none yet), so that
 *   `npm start` works on a fresh machine. A key beside the data is no protection against a stolen
 *   laptop; `homeward serve` says so when it starts that way.
 * - Both: the key of the environment seals; the file's key still opens what it sealed before.
 * - `HOMEWARD_ENCRYPTION_KEYS_PREVIOUS`: retired keys, which open what they sealed and never seal
 *   (`homeward keys rotate` re-seals those values with the current key, decision 0027).
 */
export interface FieldKeyring {
  /** The key new values are sealed with. */
  readonly current: FieldKey;
  /** Every key that may open a value, by id. */
  readonly keys: ReadonlyMap<string, FieldKey>;
  /** Where each key of `keys` comes from (the current one is `current`, wherever it was read). */
  readonly origins: ReadonlyMap<string, KeyOrigin>;
  readonly source: 'environment' | 'key-file';
  /** The key file, when one was read or made. */
  readonly file: string | null;
}

/** Why a key is in the keyring: it seals (`current`), it was retired (`previous`), or it is the key file's beside the environment's. */
export type KeyOrigin = 'current' | 'previous' | 'key-file';

type KeyConfig = Pick<Config, 'encryptionKey' | 'dataDir'> & Partial<Pick<Config, 'previousEncryptionKeys'>>;

/** No key to seal or open sensitive fields with. */
export class FieldKeyMissingError extends Error {}

export const KEY_FILE = 'encryption.key';

export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, KEY_FILE);
}

function readKeyFile(file: string): FieldKey | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = parseEncryptionKey(text);
  if (!key) throw new ConfigError(`the key file ${file} does not hold a 32-byte key (64 hexadecimal characters)`);
  return fieldKey(key);
}

function makeKeyFile(file: string): FieldKey {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${key.toString('hex')}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    // Made by another process at the same instant: use that one.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file) as FieldKey;
    throw error;
  }
  return fieldKey(key);
}

const PREVIOUS = 'environment variable HOMEWARD_ENCRYPTION_KEYS_PREVIOUS';

/**
 * The keyring: the current key first, then the key file's (beside the environment's), then the retired
 * ones. A key given twice is one key; two different keys under one id are refused (a value names its key
 * by id alone), naming the entries, never the keys.
 */
function keyring(current: FieldKey, source: FieldKeyring['source'], file: string | null, others: readonly { key: FieldKey; origin: KeyOrigin; name: string }[]): FieldKeyring {
  const keys = new Map<string, FieldKey>([[current.id, current]]);
  const origins = new Map<string, KeyOrigin>([[current.id, 'current']]);
  const names = new Map<string, string>([[current.id, source === 'environment' ? 'HOMEWARD_ENCRYPTION_KEY' : `the key file ${file}`]]);
  for (const { key, origin, name } of others) {
    const known = keys.get(key.id);
    // (The key file under the current key's id: as before rotation existed, the environment's key wins.)
    if (known && !known.key.equals(key.key) && origin === 'previous') {
      throw new ConfigError(`${PREVIOUS}: ${name} is another key under the id ${key.id} of ${names.get(key.id)}: give it its own id (\`<id>:<key>\`)`);
    }
    if (known) continue;
    keys.set(key.id, key);
    origins.set(key.id, origin);
    names.set(key.id, name);
  }
  return { current, keys, origins, source, file };
}

/** The retired keys of HOMEWARD_ENCRYPTION_KEYS_PREVIOUS, with their ids and which entry each is. */
function previousKeys(config: KeyConfig): { key: FieldKey; origin: KeyOrigin; name: string }[] {
  return (config.previousEncryptionKeys ?? []).map((entry, index) => {
    try {
      return { key: fieldKey(entry.key, entry.id), origin: 'previous', name: `its ${ordinal(index + 1)} entry` };
    } catch (error) {
      throw new ConfigError(`${PREVIOUS}: the ${ordinal(index + 1)} entry: ${(error as Error).message}`);
    }
  });
}

/** The keyring the configuration gives; with `create`, the key file is made when there is no key at all. */
export function keyringFromConfig(config: KeyConfig, options: { create: boolean }): FieldKeyring | null {
  const file = keyFilePath(config.dataDir);
  const fromFile = readKeyFile(file);
  const previous = previousKeys(config);
  if (config.encryptionKey) {
    const current = fieldKey(config.encryptionKey.key, config.encryptionKey.id);
    const others = fromFile ? [{ key: fromFile, origin: 'key-file' as const, name: `the key file ${file}` }, ...previous] : previous;
    return keyring(current, 'environment', fromFile ? file : null, others);
  }
  const key = fromFile ?? (options.create ? makeKeyFile(file) : null);
  if (!key) return null;
  return keyring(key, 'key-file', file, previous);
}

let active: FieldKeyring | null = null;

/** Sets the keyring the process uses (a command sets it once it has checked it against the database). */
export function useFieldKeyring(keyring: FieldKeyring | null): void {
  active = keyring;
}

/**
 * The process's keyring: the one set, else the environment's (or an existing key file) as read now.
 * Throws FieldKeyMissingError when there is none.
 */
export function fieldKeyring(): FieldKeyring {
  if (active) return active;
  const keyring = keyringFromConfig(loadConfig(), { create: false });
  if (!keyring) throw new FieldKeyMissingError('no encryption key for the sensitive fields: set HOMEWARD_ENCRYPTION_KEY (32 bytes, base64 or 64 hex characters)');
  active = keyring;
  return keyring;
}
