import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Sealing one field at rest (decision 0024): AES-256-GCM, a random 12-byte IV per value, in a
 * versioned text envelope that names the key that sealed it:
 *
 *   hw1:<key id>:<iv>:<tag>:<ciphertext>     (iv, tag and ciphertext in base64url)
 *
 * The associated data binds the value to its table, column and row: a ciphertext copied to
 * another row, or to another column, does not open. The key id is in the associated data too.
 */
export const ENVELOPE_PREFIX = 'hw1:';

export interface FieldKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Where a sealed value lives: what its associated data names. */
export interface FieldContext {
  readonly table: string;
  readonly column: string;
  readonly rowId: string;
}

/** A value that cannot be opened: tampered with, moved, or sealed with a key that is not here. */
export class FieldCryptoError extends Error {}

const KEY_ID = /^[a-z0-9_-]{1,32}$/;

/** The default id of a key: the first 8 hex digits of its SHA-256 (names it without revealing it). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

export function fieldKey(key: Buffer, id: string = keyIdOf(key)): FieldKey {
  if (key.length !== 32) throw new FieldCryptoError('an encryption key is 32 bytes');
  if (!KEY_ID.test(id)) throw new FieldCryptoError(`key id ${JSON.stringify(id)} is not 1-32 characters a-z, 0-9, _ or -`);
  return { id, key };
}

function associatedData(keyId: string, context: FieldContext): Buffer {
  return Buffer.from(`hw1|${keyId}|${context.table}.${context.column}|${context.rowId}`, 'utf8');
}

export function isSealed(value: string): boolean {
  return value.startsWith(ENVELOPE_PREFIX);
}

/** The id of the key that sealed a value, or null for a value that is not sealed. */
export function sealedKeyId(value: string): string | null {
  if (!isSealed(value)) return null;
  return value.split(':', 3)[1] ?? null;
}

export function seal(key: FieldKey, plaintext: string, context: FieldContext): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(associatedData(key.id, context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${ENVELOPE_PREFIX}${key.id}:${iv.toString('base64url')}:${tag.toString('base64url')}:${ciphertext.toString('base64url')}`;
}

/** Opens a sealed value with the key it names (found in `keys`); throws FieldCryptoError otherwise. */
export function open(keys: ReadonlyMap<string, FieldKey>, envelope: string, context: FieldContext): string {
  const parts = envelope.split(':');
  const where = `${context.table}.${context.column} of ${context.rowId}`;
  if (parts.length !== 5 || parts[0] !== 'hw1') throw new FieldCryptoError(`${where} is not a sealed value this version can read`);
  const [, keyId, ivText, tagText, dataText] = parts as [string, string, string, string, string];
  const key = keys.get(keyId);
  if (!key) {
    throw new FieldCryptoError(
      `${where} was sealed with encryption key ${keyId}, which is not configured${keys.size ? ` (the keys configured: ${[...keys.keys()].join(', ')})` : ''}: set HOMEWARD_ENCRYPTION_KEY to that key, or add it to HOMEWARD_ENCRYPTION_KEYS_PREVIOUS`,
    );
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== 12 || tag.length !== 16) throw new FieldCryptoError(`${where} is damaged: its envelope is malformed`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv);
    decipher.setAAD(associatedData(keyId, context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new FieldCryptoError(`${where} does not open with key ${keyId}: it was altered, or it belongs to another record`);
  }
}
