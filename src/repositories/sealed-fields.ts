import { sql } from 'kysely';
import type { Config } from '../config/env.ts';
import type { Executor } from '../db/database.ts';
import { isSealed, open, seal } from '../security/field-crypto.ts';
import { type FieldKeyring, fieldKeyring, keyringFromConfig, useFieldKeyring } from '../security/field-keys.ts';

/**
 * The sensitive fields sealed at rest (decision 0024), sealed on the way in and opened on the way
 * out here, in the repository layer: the API, the presenters and the use cases see plaintext.
 * A value's associated data is its table, column and row id: copied to another row it does not open.
 * A value without the envelope is plaintext written before migration 0011 and not yet sealed
 * (`sealing_pending`); it is read as it is.
 */
export const SEALED_COLUMNS = {
  persons: ['security_notes'],
  best_interests_assessments: ['summary', 'recommendation'],
  best_interests_determinations: ['recommendation', 'reasoning', 'dissent'],
  users: ['totp_secret', 'totp_pending_secret'],
} as const;

type SealedTable = keyof typeof SEALED_COLUMNS;
type SealedColumn<T extends SealedTable> = (typeof SEALED_COLUMNS)[T][number];

export function sealValue<T extends SealedTable>(table: T, column: SealedColumn<T>, rowId: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return seal(fieldKeyring().current, value, { table, column, rowId });
}

export function openValue<T extends SealedTable>(table: T, column: SealedColumn<T>, rowId: string, value: string | null): string | null {
  if (value === null || !isSealed(value)) return value;
  return open(fieldKeyring().keys, value, { table, column, rowId });
}

/** A row of `table` with its sealed columns opened. */
export function openRow<T extends SealedTable, R extends { id: string }>(table: T, row: R): R {
  const opened: Record<string, unknown> = { ...row };
  for (const column of SEALED_COLUMNS[table] as readonly string[]) {
    const value = opened[column];
    if (typeof value === 'string') opened[column] = openValue(table, column as SealedColumn<T>, row.id, value);
  }
  return opened as R;
}

/** A row of `table` with its sealed columns sealed (rows of bulk writes, which carry their id). */
export function sealRow<T extends SealedTable, R extends Record<string, unknown>>(table: T, row: R): R {
  const sealed: Record<string, unknown> = { ...row };
  for (const column of SEALED_COLUMNS[table] as readonly string[]) {
    const value = sealed[column];
    if (typeof value === 'string') sealed[column] = sealValue(table, column as SealedColumn<T>, String(row.id), value);
  }
  return sealed as R;
}

/**
 * Records, in the writer's transaction, that the current key (or `keyId`) seals values in this database
 * (one row per key, until `homeward keys rotate` finds none left under it, decision 0027): a later start
 * without that key is refused instead of failing on read.
 */
export async function noteSealingKey(db: Executor, keyId: string = fieldKeyring().current.id): Promise<void> {
  await sql`insert into sealing_keys (key_id) values (${keyId}) on conflict (key_id) do nothing`.execute(db);
}

export interface FieldKeysStatus {
  readonly keyring: FieldKeyring | null;
  /** Why sealed fields cannot be used with this configuration (null: they can). */
  readonly problem: string | null;
  /** Plaintext values sealed now (written before migration 0011). */
  readonly sealedNow: number;
}

/**
 * Checks the configured keys against the database once it is migrated: every key that has sealed a
 * value here must be at hand. With `create`, the key file is made when no key is configured and the
 * database holds no sealed value. Sets the process's keyring and seals plaintext still pending.
 */
export async function prepareFieldKeys(db: Executor, config: Pick<Config, 'encryptionKey' | 'dataDir'> & Partial<Pick<Config, 'previousEncryptionKeys'>>, options: { create: boolean }): Promise<FieldKeysStatus> {
  const recorded = (await sql<{ key_id: string }>`select key_id from sealing_keys order by first_sealed_at, key_id`.execute(db)).rows.map((r) => r.key_id);
  let keyring = keyringFromConfig(config, { create: false });
  if (!keyring && recorded.length > 0) {
    return { keyring: null, sealedNow: 0, problem: `the database holds fields sealed with encryption key ${recorded.join(', ')} and no key is set: set HOMEWARD_ENCRYPTION_KEY to that key (32 bytes, base64 or 64 hex characters)` };
  }
  if (!keyring && options.create) keyring = keyringFromConfig(config, { create: true });
  if (!keyring) return { keyring: null, sealedNow: 0, problem: 'no encryption key is set: set HOMEWARD_ENCRYPTION_KEY (32 bytes, base64 or 64 hex characters)' };
  const missing = recorded.filter((id) => !keyring.keys.has(id));
  if (missing.length > 0) {
    return {
      keyring: null,
      sealedNow: 0,
      problem: `the database holds fields sealed with encryption key ${missing.join(', ')}, but the key configured is ${keyring.current.id}${keyring.source === 'key-file' ? ` (the key file ${keyring.file})` : ' (HOMEWARD_ENCRYPTION_KEY)'}: set HOMEWARD_ENCRYPTION_KEY to the key that sealed them, or add it to HOMEWARD_ENCRYPTION_KEYS_PREVIOUS`,
    };
  }
  useFieldKeyring(keyring);
  const sealedNow = await sealPendingPlaintext(db);
  return { keyring, problem: null, sealedNow };
}

/** Seals the plaintext migration 0011 found, column by column, each in one transaction. */
async function sealPendingPlaintext(db: Executor): Promise<number> {
  const pending = (await sql<{ table_name: string; column_name: string }>`select table_name, column_name from sealing_pending order by 1, 2`.execute(db)).rows;
  let sealed = 0;
  for (const { table_name: table, column_name: column } of pending) {
    if (!(table in SEALED_COLUMNS) || !(SEALED_COLUMNS[table as SealedTable] as readonly string[]).includes(column)) continue;
    const work = async (tx: Executor) => {
      const rows = (
        await sql<{ id: string; value: string }>`select id, ${sql.ref(column)} as value from ${sql.table(table)} where ${sql.ref(column)} is not null and ${sql.ref(column)} not like 'hw1:%' for update`.execute(tx)
      ).rows;
      if (rows.length > 0) {
        const ids = rows.map((r) => r.id);
        const values = rows.map((r) => sealValue(table as SealedTable, column as never, r.id, r.value) as string);
        await sql`update ${sql.table(table)} t set ${sql.ref(column)} = v.value from unnest(${ids}::uuid[], ${values}::text[]) as v(id, value) where t.id = v.id`.execute(tx);
        await noteSealingKey(tx);
      }
      await sql`delete from sealing_pending where table_name = ${table} and column_name = ${column}`.execute(tx);
      sealed += rows.length;
    };
    if (db.isTransaction) await work(db);
    else await db.transaction().execute(work);
  }
  return sealed;
}
