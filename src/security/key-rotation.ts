import { sql } from 'kysely';
import { recordAudit } from '../audit/trail.ts';
import type { Db, Executor } from '../db/database.ts';
import { noteSealingKey, SEALED_COLUMNS } from '../repositories/sealed-fields.ts';
import { ENVELOPE_PREFIX, FieldCryptoError, isSealed, open, seal, sealedKeyId } from './field-crypto.ts';
import type { FieldKeyring, KeyOrigin } from './field-keys.ts';

/**
 * Key rotation of the fields sealed at rest (decision 0027): `homeward keys status` counts, column by
 * column, the values each key id seals and says whether that key is at hand; `homeward keys rotate`
 * re-seals with the current key every value sealed with another one (or not sealed yet).
 *
 * - Before anything changes, every key id found must be in the keyring and one value of each column
 *   and key must open with it; otherwise the rotation refuses, naming the columns and key ids.
 * - Column by column, `batchSize` rows at a time in id order, each batch one transaction: its rows are
 *   locked (`for update`, so a concurrent writer waits, and one that committed first is what is read),
 *   opened, sealed with the current key and written only where the column still holds the value read
 *   (`where t.col = v.prev`): a write that slipped in is never overwritten with stale text.
 * - Killed mid-way, every value is sealed with the old key or the new one, and both open; a second run
 *   re-seals what is left and nothing else.
 * - At the end, under a lock on `sealing_keys` (which every writer of a sealed value takes in its own
 *   transaction), the key ids that no longer seal any value are forgotten there, so a start without
 *   them is no longer refused, and one audit event `keys.rotated` records the counts and key ids.
 *
 * Sealed values kept in the audit trail's history (the before/after of a change of security notes) are
 * counted, never re-sealed: the chain hashes them, and the database allows only their erasure.
 */

/** Where a key id found in the database stands: in the keyring (and why), or not; or the value is not sealed. */
export type KeyStanding = KeyOrigin | 'missing' | 'plaintext';

export interface KeyCount {
  /** The key id, or null for plaintext written before encryption at rest and not sealed yet. */
  readonly keyId: string | null;
  readonly values: number;
  readonly standing: KeyStanding;
  /** Whether a value of this column sealed with it opened with the key of that id (null: not tried — the key is missing, or plaintext). */
  readonly opens: boolean | null;
}

export interface ColumnKeys {
  readonly table: string;
  readonly column: string;
  readonly keys: readonly KeyCount[];
}

export interface KeysStatus {
  /** The key new values are sealed with (null: none is configured). */
  readonly current: string | null;
  /** The keyring, current first. */
  readonly keyring: readonly { readonly id: string; readonly origin: KeyOrigin }[];
  readonly columns: readonly ColumnKeys[];
  /** Sealed values in the audit trail's history, by key (null when not counted). */
  readonly audit: readonly KeyCount[] | null;
}

export const SEALED = Object.entries(SEALED_COLUMNS).flatMap(([table, columns]) => columns.map((column) => ({ table, column })));
const PLAINTEXT = 'plaintext';
const ROTATE_ACTOR = { system: 'homeward keys rotate' } as const;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';
export const DEFAULT_BATCH_SIZE = 500;

const standingOf = (keyring: FieldKeyring | null, keyId: string | null): KeyStanding =>
  keyId === null ? 'plaintext' : (keyring?.origins.get(keyId) ?? 'missing');

/** Whether one value of the column sealed with `keyId` opens with the keyring's key of that id. */
async function sampleOpens(db: Executor, keyring: FieldKeyring, table: string, column: string, keyId: string): Promise<boolean> {
  const col = sql.ref(column);
  const { rows } = await sql<{ id: string; value: string }>`
    select id, ${col} as value from ${sql.table(table)} where starts_with(${col}, ${`${ENVELOPE_PREFIX}${keyId}:`}) limit 1`.execute(db);
  const row = rows[0];
  if (!row) return true;
  try {
    open(keyring.keys, row.value, { table, column, rowId: row.id });
    return true;
  } catch (error) {
    if (error instanceof FieldCryptoError) return false;
    throw error;
  }
}

/** The values of one column by key id (null: plaintext), with where each key stands. */
async function columnKeys(db: Executor, keyring: FieldKeyring | null, table: string, column: string): Promise<KeyCount[]> {
  const col = sql.ref(column);
  const { rows } = await sql<{ key_id: string | null; n: number }>`
    select case when starts_with(${col}, ${ENVELOPE_PREFIX}) then split_part(${col}, ':', 2) end as key_id, count(*) as n
    from ${sql.table(table)} where ${col} is not null group by 1 order by 1 nulls first`.execute(db);
  const counts: KeyCount[] = [];
  for (const r of rows) {
    const standing = standingOf(keyring, r.key_id);
    const opens = r.key_id === null ? null : keyring && standing !== 'missing' ? await sampleOpens(db, keyring, table, column, r.key_id) : null;
    counts.push({ keyId: r.key_id, values: Number(r.n), standing, opens });
  }
  return counts;
}

/** Envelopes in the values of audit events (the before/after of a change of security notes), by key id. */
async function auditKeys(db: Executor, keyring: FieldKeyring | null): Promise<KeyCount[]> {
  const { rows } = await sql<{ key_id: string; n: number }>`
    select m[1] as key_id, count(*) as n
    from audit_values v cross join lateral regexp_matches(v.data::text, 'hw1:([a-z0-9_-]{1,32}):', 'g') as m
    where v.data is not null and v.data::text like '%hw1:%' group by 1 order by 1`.execute(db);
  return rows.map((r) => ({ keyId: r.key_id, values: Number(r.n), standing: standingOf(keyring, r.key_id), opens: null }));
}

/** What `homeward keys status` shows: every sealed column's values by key id, and where each key stands. */
export async function keysStatus(db: Executor, keyring: FieldKeyring | null, options: { audit?: boolean } = {}): Promise<KeysStatus> {
  const columns: ColumnKeys[] = [];
  for (const { table, column } of SEALED) columns.push({ table, column, keys: await columnKeys(db, keyring, table, column) });
  return {
    current: keyring?.current.id ?? null,
    keyring: keyring ? [...keyring.origins].map(([id, origin]) => ({ id, origin })) : [],
    columns,
    audit: options.audit === false ? null : await auditKeys(db, keyring),
  };
}

/** Refused before anything changed: a key that sealed values is not at hand, or is not the key of its id. */
export class KeyRotationRefused extends Error {}

/** Why these values cannot be rotated with this keyring (null: they can). */
export function rotationProblem(status: KeysStatus): string | null {
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const c of status.columns) {
    for (const k of c.keys) {
      if (k.standing === 'missing') missing.push(`${c.table}.${c.column} (${k.values} value(s) under key ${k.keyId})`);
      else if (k.opens === false) wrong.push(`${c.table}.${c.column} (key ${k.keyId})`);
    }
  }
  if (missing.length > 0) {
    const ids = [...new Set(status.columns.flatMap((c) => c.keys.filter((k) => k.standing === 'missing').map((k) => k.keyId)))];
    return `values are sealed with encryption key ${ids.join(', ')}, which is not configured: ${missing.join('; ')}. Add it to HOMEWARD_ENCRYPTION_KEYS_PREVIOUS (\`<id>:<key>\` if its id is not the default)`;
  }
  if (wrong.length > 0) {
    return `a value does not open with the key configured under its key id: ${wrong.join('; ')}. Another key was given that id (HOMEWARD_ENCRYPTION_KEY_ID, or \`<id>:\` in HOMEWARD_ENCRYPTION_KEYS_PREVIOUS), or the value was altered`;
  }
  return null;
}

export interface ColumnRotation {
  readonly table: string;
  readonly column: string;
  /** Values re-sealed (with --dry-run: to re-seal). */
  readonly resealed: number;
  /** Of those, how many were under each key id (`plaintext`: not sealed before). */
  readonly from: Readonly<Record<string, number>>;
  /** Rows whose value changed between the read and the write: left as the other writer wrote them. */
  readonly changedMeanwhile: number;
}

export interface RotationOptions {
  readonly batchSize?: number;
  readonly dryRun?: boolean;
  /** After each batch has committed (progress; a test writes between batches here). */
  readonly afterBatch?: (progress: { readonly table: string; readonly column: string; readonly resealed: number }) => Promise<void> | void;
}

export interface RotationResult {
  readonly dryRun: boolean;
  /** The current key, which seals every value re-sealed. */
  readonly to: string;
  readonly columns: readonly ColumnRotation[];
  readonly resealed: number;
  /** The values as they stand after the run (before it, with --dry-run). */
  readonly after: KeysStatus;
  /** Keys of the keyring, other than the current one, under which no value of any column is left. */
  readonly retirable: readonly string[];
  /** Keys other than the current one still sealing values (with --dry-run: before the run), with how many. */
  readonly remaining: Readonly<Record<string, number>>;
  /** Key ids forgotten in `sealing_keys` (they seal nothing any more). */
  readonly forgotten: readonly string[];
}

export interface Resealed {
  readonly id: string;
  /** The value read (and locked). */
  readonly prev: string;
  /** The same text sealed with the current key. */
  readonly next: string;
}

/**
 * Writes re-sealed values in one statement, each only where the column still holds the value it was
 * made from; returns the ids written. A row changed meanwhile keeps what its writer wrote.
 */
export async function writeResealed(db: Executor, table: string, column: string, values: readonly Resealed[]): Promise<Set<string>> {
  if (values.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    update ${sql.table(table)} as t set ${sql.ref(column)} = v.next
    from unnest(${values.map((v) => v.id)}::uuid[], ${values.map((v) => v.prev)}::text[], ${values.map((v) => v.next)}::text[]) as v(id, prev, next)
    where t.id = v.id and ${sql.ref(`t.${column}`)} = v.prev
    returning t.id`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/** Values not sealed with the current key, by key id (`plaintext`: not sealed), across the columns. */
export function notCurrent(status: KeysStatus): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of status.columns) for (const k of c.keys) if (k.keyId !== status.current) out[k.keyId ?? PLAINTEXT] = (out[k.keyId ?? PLAINTEXT] ?? 0) + k.values;
  return out;
}

/** One column, a batch per transaction. */
async function rotateColumn(db: Db, keyring: FieldKeyring, table: string, column: string, options: RotationOptions): Promise<ColumnRotation> {
  const size = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const col = sql.ref(column);
  const current = `${ENVELOPE_PREFIX}${keyring.current.id}:`;
  const from: Record<string, number> = {};
  let resealed = 0;
  let changedMeanwhile = 0;
  let after = FIRST_ID;
  for (;;) {
    const batch = await db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ id: string; value: string }>`
        select id, ${col} as value from ${sql.table(table)}
        where id > ${after}::uuid and ${col} is not null and not starts_with(${col}, ${current})
        order by id limit ${size} for update`.execute(tx);
      const values = rows.map((r) => {
        const context = { table, column, rowId: r.id };
        const text = isSealed(r.value) ? open(keyring.keys, r.value, context) : r.value;
        return { id: r.id, prev: r.value, next: seal(keyring.current, text, context) };
      });
      const written = await writeResealed(tx, table, column, values);
      if (written.size > 0) await noteSealingKey(tx, keyring.current.id);
      return { values, written };
    });
    for (const v of batch.values) {
      if (!batch.written.has(v.id)) {
        changedMeanwhile++;
        continue;
      }
      const key = sealedKeyId(v.prev) ?? PLAINTEXT;
      from[key] = (from[key] ?? 0) + 1;
      resealed++;
    }
    const last = batch.values.at(-1);
    if (!last) break;
    after = last.id;
    await options.afterBatch?.({ table, column, resealed });
    if (batch.values.length < size) break;
  }
  return { table, column, resealed, from, changedMeanwhile };
}

/**
 * `homeward keys rotate [--dry-run] [--batch-size N]`: every value sealed with another key than the
 * current one (or not sealed yet) sealed again with the current one. Throws KeyRotationRefused, having
 * changed nothing, when a key that sealed values is not in the keyring or is not the key of its id.
 */
export async function rotateKeys(db: Db, keyring: FieldKeyring, options: RotationOptions = {}): Promise<RotationResult> {
  const before = await keysStatus(db, keyring, { audit: false });
  const problem = rotationProblem(before);
  if (problem) throw new KeyRotationRefused(`${problem}; nothing was changed`);
  const to = keyring.current.id;
  if (options.dryRun) {
    const columns = before.columns.map(({ table, column, keys }) => {
      const others = keys.filter((k) => k.keyId !== to);
      return { table, column, resealed: others.reduce((n, k) => n + k.values, 0), from: Object.fromEntries(others.map((k) => [k.keyId ?? PLAINTEXT, k.values])), changedMeanwhile: 0 };
    });
    return { dryRun: true, to, columns, resealed: columns.reduce((n, c) => n + c.resealed, 0), after: before, retirable: [], remaining: notCurrent(before), forgotten: [] };
  }

  const columns: ColumnRotation[] = [];
  for (const { table, column } of SEALED) columns.push(await rotateColumn(db, keyring, table, column, options));
  const resealed = columns.reduce((n, c) => n + c.resealed, 0);

  // The key ids that seal nothing any more are forgotten, under a lock every writer of a sealed value
  // takes too (noteSealingKey): one that sealed with such a key meanwhile has committed, and is counted.
  const { after, forgotten } = await db.transaction().execute(async (tx) => {
    await sql`lock table sealing_keys in share row exclusive mode`.execute(tx);
    const status = await keysStatus(tx, keyring, { audit: false });
    const live = new Set(status.columns.flatMap((c) => c.keys.map((k) => k.keyId)));
    const recorded = (await sql<{ key_id: string }>`select key_id from sealing_keys order by key_id`.execute(tx)).rows.map((r) => r.key_id);
    const forget = recorded.filter((id) => id !== to && !live.has(id));
    if (forget.length > 0) await sql`delete from sealing_keys where key_id = any(${forget}::text[])`.execute(tx);
    if (resealed > 0 || forget.length > 0) {
      await recordAudit(tx, {
        action: 'keys.rotated',
        entityType: 'database',
        actor: ROTATE_ACTOR,
        after: {
          to,
          from: [...new Set(columns.flatMap((c) => Object.keys(c.from)))].sort(),
          resealed,
          columns: Object.fromEntries(columns.filter((c) => c.resealed > 0 || c.changedMeanwhile > 0).map((c) => [`${c.table}.${c.column}`, { resealed: c.resealed, from: c.from, changedMeanwhile: c.changedMeanwhile }])),
          remaining: notCurrent(status),
          forgotten: forget,
        },
      });
    }
    return { after: status, forgotten: forget };
  });
  const remaining = notCurrent(after);
  const retirable = [...keyring.origins.keys()].filter((id) => id !== to && !(id in remaining));
  return { dryRun: false, to, columns, resealed, after: { ...after, audit: await auditKeys(db, keyring) }, retirable, remaining, forgotten };
}
