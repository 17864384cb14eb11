import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fsyncPath } from '../db/restore-swap.ts';

/**
 * The backup file (decision 0024):
 *
 *   bytes 0–4095   the header: `HOMEWARD-BACKUP\n`, one line of JSON, padded with spaces and a newline.
 *                  Written last (a placeholder marked `complete: false` until then), authenticated by an
 *                  HMAC-SHA256 in it with a key derived from the backup's secret.
 *   then chunks    [u32 length][AES-256-GCM ciphertext][16-byte tag] of at most 1 MiB of plaintext each;
 *                  the nonce is the chunk's number, the associated data its number and whether it is the
 *                  last: a chunk moved, dropped or cut off does not open. Nothing may follow the last.
 *
 * Keys: the secret (HOMEWARD_ENCRYPTION_KEY, or scrypt of HOMEWARD_BACKUP_PASSPHRASE) and a random
 * 16-byte stream id through HKDF-SHA256: one data key and one header key per backup file.
 * The header also holds the SHA-256 of the plaintext, checked after every chunk has opened.
 */
export const HEADER_BYTES = 4096;
const MAGIC = 'HOMEWARD-BACKUP\n';
export const FORMAT_VERSION = 1;
const CHUNK = 1024 * 1024;
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;

export class BackupError extends Error {}

const Kdf = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('key'), keyId: z.string().regex(/^[a-z0-9_-]{1,32}$/) }),
  z.strictObject({ kind: z.literal('scrypt'), salt: z.string().regex(/^[A-Za-z0-9_-]{22}$/), N: z.number().int().min(2 ** 14).max(2 ** 20), r: z.number().int().min(1).max(32), p: z.number().int().min(1).max(16) }),
]);

/** What the header says: the format, what the backup holds and how it is sealed. */
export const HeaderSchema = z.strictObject({
  format: z.number().int(),
  complete: z.boolean(),
  createdAt: z.string(),
  database: z.enum(['pglite', 'postgres']),
  payload: z.enum(['pglite-datadir.tar.gz', 'pg_dump.sql.gz']),
  migration: z.string().regex(/^\d{4}_[a-z0-9_]+$/),
  migrations: z.number().int().min(0),
  plaintext: z.strictObject({ bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  chunks: z.number().int().min(1),
  cipher: z.literal('aes-256-gcm'),
  stream: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  kdf: Kdf,
  mac: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BackupHeader = z.infer<typeof HeaderSchema>;
type Unsealed = Omit<BackupHeader, 'mac' | 'complete' | 'chunks' | 'plaintext' | 'cipher' | 'stream' | 'kdf' | 'format'>;

/** What opens a backup: the key (by id) or the passphrase. */
export interface BackupSecrets {
  readonly keys: ReadonlyMap<string, Buffer>;
  readonly current: { readonly id: string; readonly key: Buffer } | null;
  readonly passphrase: string | null;
}

interface StreamKeys {
  readonly data: Buffer;
  readonly mac: Buffer;
}

function streamKeys(master: Buffer, stream: Buffer): StreamKeys {
  return {
    data: Buffer.from(hkdfSync('sha256', master, stream, 'homeward-backup-1 data', 32)),
    mac: Buffer.from(hkdfSync('sha256', master, stream, 'homeward-backup-1 header', 32)),
  };
}

function nonce(index: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeBigUInt64BE(BigInt(index), 4);
  return iv;
}

const aad = (index: number, last: boolean) => Buffer.from(`hwbk1:${index}:${last ? 1 : 0}`);

function macOf(keys: StreamKeys, header: Omit<BackupHeader, 'mac'>): string {
  return createHmac('sha256', keys.mac).update(JSON.stringify(header)).digest('hex');
}

function headerBytes(header: Record<string, unknown>): Buffer {
  const text = `${MAGIC}${JSON.stringify(header)}\n`;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > HEADER_BYTES) throw new BackupError('the backup header is too long');
  const out = Buffer.alloc(HEADER_BYTES, 0x20);
  bytes.copy(out);
  out[HEADER_BYTES - 1] = 0x0a;
  return out;
}

/**
 * Writes a backup to `<file>.partial`, then fsync and rename: a process killed before the end
 * leaves no file under the final name, and the partial one says `complete: false`.
 */
export class BackupWriter {
  readonly partial: string;
  private readonly fd: number;
  private readonly keys: StreamKeys;
  private readonly stream: Buffer;
  private readonly kdf: BackupHeader['kdf'];
  private readonly hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private index = 0;
  private bytes = 0;
  private position = HEADER_BYTES;

  constructor(
    readonly file: string,
    secrets: BackupSecrets,
  ) {
    this.stream = randomBytes(16);
    if (secrets.passphrase) {
      const salt = randomBytes(16);
      const master = scryptSync(secrets.passphrase, salt, 32, { ...SCRYPT, maxmem: 128 * SCRYPT.N * SCRYPT.r * 2 });
      this.kdf = { kind: 'scrypt', salt: salt.toString('base64url'), ...SCRYPT };
      this.keys = streamKeys(master, this.stream);
    } else if (secrets.current) {
      this.kdf = { kind: 'key', keyId: secrets.current.id };
      this.keys = streamKeys(secrets.current.key, this.stream);
    } else {
      throw new BackupError('no secret to seal the backup with: set HOMEWARD_ENCRYPTION_KEY or HOMEWARD_BACKUP_PASSPHRASE');
    }
    this.partial = `${file}.partial`;
    this.fd = fs.openSync(this.partial, 'w', 0o600);
    fs.writeSync(this.fd, headerBytes({ format: FORMAT_VERSION, complete: false, note: 'incomplete: the backup was interrupted before it finished' }), 0, HEADER_BYTES, 0);
  }

  write(data: Buffer): void {
    this.hash.update(data);
    this.bytes += data.length;
    this.pending.push(data);
    this.pendingBytes += data.length;
    while (this.pendingBytes > CHUNK) {
      const all = Buffer.concat(this.pending);
      this.writeChunk(all.subarray(0, CHUNK), false);
      const rest = all.subarray(CHUNK);
      this.pending = [rest];
      this.pendingBytes = rest.length;
    }
  }

  private writeChunk(plain: Buffer, last: boolean): void {
    const cipher = createCipheriv('aes-256-gcm', this.keys.data, nonce(this.index));
    cipher.setAAD(aad(this.index, last));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const out = Buffer.concat([length, body, cipher.getAuthTag()]);
    fs.writeSync(this.fd, out, 0, out.length, this.position);
    this.position += out.length;
    this.index++;
  }

  /** Seals the last chunk, writes the header, flushes and gives the file its final name. */
  finish(about: Unsealed): BackupHeader {
    this.writeChunk(Buffer.concat(this.pending), true);
    this.pending = [];
    const unsealed: Omit<BackupHeader, 'mac'> = {
      format: FORMAT_VERSION,
      complete: true,
      ...about,
      plaintext: { bytes: this.bytes, sha256: this.hash.digest('hex') },
      chunks: this.index,
      cipher: 'aes-256-gcm',
      stream: this.stream.toString('base64url'),
      kdf: this.kdf,
    };
    const header: BackupHeader = { ...unsealed, mac: macOf(this.keys, unsealed) };
    fs.writeSync(this.fd, headerBytes(header), 0, HEADER_BYTES, 0);
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    fs.renameSync(this.partial, this.file);
    fsyncPath(path.dirname(path.resolve(this.file)));
    return header;
  }

  /** Gives up: the partial file is removed. */
  abort(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // closed already
    }
    fs.rmSync(this.partial, { force: true });
  }
}

/** Reads the header of a backup file and checks its form (not yet its seal). */
export function readHeader(file: string): BackupHeader {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code})`);
  }
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const read = fs.readSync(fd, buffer, 0, HEADER_BYTES, 0);
    const text = buffer.subarray(0, read).toString('utf8');
    if (!text.startsWith(MAGIC)) throw new BackupError(`${file} is not a Homeward backup`);
    if (read < HEADER_BYTES) throw new BackupError(`${file} is cut short: its header is incomplete`);
    let json: unknown;
    try {
      json = JSON.parse(text.slice(MAGIC.length, text.indexOf('\n', MAGIC.length)));
    } catch {
      throw new BackupError(`${file}: its header is damaged`);
    }
    const format = (json as { format?: unknown })?.format;
    if (format !== FORMAT_VERSION) throw new BackupError(`${file} is in backup format ${String(format)}; this version of Homeward reads format ${FORMAT_VERSION}`);
    if ((json as { complete?: unknown }).complete === false) throw new BackupError(`${file} is incomplete: the backup that wrote it was interrupted`);
    const parsed = HeaderSchema.safeParse(json);
    if (!parsed.success) throw new BackupError(`${file}: its header is damaged (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
    return parsed.data;
  } finally {
    fs.closeSync(fd);
  }
}

function keysFor(header: BackupHeader, secrets: BackupSecrets, file: string): StreamKeys {
  const stream = Buffer.from(header.stream, 'base64url');
  if (header.kdf.kind === 'scrypt') {
    if (!secrets.passphrase) throw new BackupError(`${file} is sealed with a passphrase: set HOMEWARD_BACKUP_PASSPHRASE`);
    const { salt, N, r, p } = header.kdf;
    return streamKeys(scryptSync(secrets.passphrase, Buffer.from(salt, 'base64url'), 32, { N, r, p, maxmem: 128 * N * r * 2 }), stream);
  }
  const key = secrets.keys.get(header.kdf.keyId);
  if (!key) {
    const have = secrets.current ? ` (HOMEWARD_ENCRYPTION_KEY is key ${secrets.current.id})` : ' (no HOMEWARD_ENCRYPTION_KEY is set)';
    throw new BackupError(`${file} is sealed with encryption key ${header.kdf.keyId}${have}: set HOMEWARD_ENCRYPTION_KEY to that key`);
  }
  return streamKeys(key, stream);
}

/**
 * Opens a backup: checks the header's seal, then yields the plaintext chunk by chunk, each
 * authenticated; after the last it checks the count, the size and the SHA-256. A damaged,
 * truncated, reordered or extended file, or the wrong secret, throws BackupError — so a caller
 * that applies chunks as they come must be able to undo them (a transaction).
 */
export async function* openBackup(file: string, secrets: BackupSecrets): AsyncGenerator<Buffer, BackupHeader> {
  const header = readHeader(file);
  const keys = keysFor(header, secrets, file);
  const { mac, ...unsealed } = header;
  const expected = Buffer.from(macOf(keys, unsealed), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(mac, 'hex'))) {
    throw new BackupError(`${file} does not open: its header was altered, or the ${header.kdf.kind === 'scrypt' ? 'passphrase' : 'key'} is not the one that sealed it`);
  }
  const handle = await fs.promises.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const hash = createHash('sha256');
    let position = HEADER_BYTES;
    let bytes = 0;
    for (let index = 0; index < header.chunks; index++) {
      const last = index === header.chunks - 1;
      const lengthBuffer = Buffer.alloc(4);
      if ((await handle.read(lengthBuffer, 0, 4, position)).bytesRead !== 4) throw new BackupError(`${file} is cut short at chunk ${index + 1} of ${header.chunks}`);
      const length = lengthBuffer.readUInt32BE();
      if (length > CHUNK + 16 || position + 4 + length + 16 > size) throw new BackupError(`${file} is damaged at chunk ${index + 1} of ${header.chunks}`);
      const body = Buffer.alloc(length + 16);
      await handle.read(body, 0, body.length, position + 4);
      position += 4 + body.length;
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', keys.data, nonce(index));
        decipher.setAAD(aad(index, last));
        decipher.setAuthTag(body.subarray(length));
        plain = Buffer.concat([decipher.update(body.subarray(0, length)), decipher.final()]);
      } catch {
        throw new BackupError(`${file} is damaged: chunk ${index + 1} of ${header.chunks} does not open (altered, moved or cut)`);
      }
      hash.update(plain);
      bytes += plain.length;
      yield plain;
    }
    if (position !== size) throw new BackupError(`${file} is damaged: ${size - position} bytes follow its last chunk`);
    if (bytes !== header.plaintext.bytes || hash.digest('hex') !== header.plaintext.sha256) throw new BackupError(`${file} is damaged: its content does not match the SHA-256 in its header`);
    return header;
  } finally {
    await handle.close();
  }
}

/** Opens every chunk and checks the whole backup without keeping it; returns its header. */
export async function verifyBackup(file: string, secrets: BackupSecrets): Promise<BackupHeader> {
  const chunks = openBackup(file, secrets);
  for (;;) {
    const next = await chunks.next();
    if (next.done) return next.value;
  }
}
