import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError, loadConfig, parseEncryptionKey } from '../config/env.ts';
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
 */
export interface FieldKeyring {
  /** The key new values are sealed with. */
  readonly current: FieldKey;
  /** Every key that may open a value, by id. */
  readonly keys: ReadonlyMap<string, FieldKey>;
  readonly source: 'environment' | 'key-file';
  /** The key file, when one was read or made. */
  readonly file: string | null;
}

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

/** The keyring the configuration gives; with `create`, the key file is made when there is no key at all. */
export function keyringFromConfig(config: Pick<Config, 'encryptionKey' | 'dataDir'>, options: { create: boolean }): FieldKeyring | null {
  const file = keyFilePath(config.dataDir);
  const fromFile = readKeyFile(file);
  if (config.encryptionKey) {
    const current = fieldKey(config.encryptionKey.key, config.encryptionKey.id);
    const keys = new Map<string, FieldKey>();
    if (fromFile && fromFile.id !== current.id) keys.set(fromFile.id, fromFile);
    keys.set(current.id, current);
    return { current, keys, source: 'environment', file: fromFile ? file : null };
  }
  const key = fromFile ?? (options.create ? makeKeyFile(file) : null);
  if (!key) return null;
  return { current: key, keys: new Map([[key.id, key]]), source: 'key-file', file };
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
