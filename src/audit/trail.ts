import { randomInt } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { arrayLiteral, type BulkType, unnestInsert } from '../db/bulk.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import { canonicalJson, eventHash, genesisHash, sha256 } from './canonical.ts';

/**
 * One thing that happened. `before`, `after`, `reason` and `context` are the
 * personal values: they are stored beside the chain, which keeps only their hash.
 */
export interface AuditEntry {
  readonly action: string;
  readonly entityType: string;
  readonly entityId?: string | null;
  readonly actor: Actor | SystemActor | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason?: string;
  readonly context?: Record<string, unknown>;
}

/** Work the system does on its own (jobs, start-up). */
export interface SystemActor {
  readonly system: string;
}

/**
 * Chains are per day and per shard: a transaction locks one of SHARDS chain
 * heads at random, so audited traffic from many requests and several server
 * instances never queues behind a single lock. Anchors tie the chains together.
 */
export const SHARDS = 8;

export function chainIdFor(at: Date, shard: number): string {
  return `${at.toISOString().slice(0, 10)}.${shard}`;
}

const chainOfTransaction = new WeakMap<Tx, string>();

/** Events per statement (their values travel as one array literal per column). */
const EVENTS_PER_INSERT = 2000;

const EVENT_COLUMNS = [
  ['chain_id', 'text'],
  ['seq', 'bigint'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
  ['occurred_at', 'timestamptz'],
  ['actor_user_id', 'uuid'],
  ['actor_role', 'text'],
  ['actor_agency_id', 'uuid'],
  ['action', 'text'],
  ['entity_type', 'text'],
  ['entity_id', 'text'],
  ['values_hash', 'text'],
] as const satisfies readonly (readonly [keyof DB['audit_events'], BulkType])[];

/** Appends events to the audit chain inside the caller's transaction. */
export async function recordAudit(tx: Tx, entries: AuditEntry | readonly AuditEntry[], now = new Date()): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntry];
  if (list.length === 0) return;
  // One chain per transaction: a transaction that records twice must not lock a
  // second chain head, or two such transactions can deadlock on each other's.
  const chainId = chainOfTransaction.get(tx) ?? chainIdFor(now, randomInt(SHARDS));
  chainOfTransaction.set(tx, chainId);
  await tx
    .insertInto('audit_chains')
    .values({ id: chainId, head_seq: 0, head_hash: genesisHash(chainId) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const head = await tx
    .selectFrom('audit_chains')
    .select(['head_seq', 'head_hash'])
    .where('id', '=', chainId)
    .forUpdate()
    .executeTakeFirstOrThrow();

  // The hashes are computed here, in order; the rows are then written a few
  // hundred at a time, so an import of thousands of people costs a few queries, not thousands.
  let seq = head.head_seq;
  let prevHash = head.head_hash;
  const events: (Insertable<DB['audit_events']> & { seq: number })[] = [];
  const valuesBySeq = new Map<number, string>();
  for (const entry of list) {
    seq += 1;
    const valuesJson = valuesOf(entry);
    const valuesHash = valuesJson === null ? null : sha256(valuesJson);
    const actor = entry.actor && 'userId' in entry.actor ? entry.actor : null;
    const fields = {
      chainId,
      seq,
      prevHash,
      occurredAt: now,
      actorUserId: actor?.userId ?? null,
      actorRole: actor?.role ?? null,
      actorAgencyId: actor?.agencyId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      valuesHash,
    };
    const hash = eventHash(fields);
    events.push({
      chain_id: chainId,
      seq,
      prev_hash: prevHash,
      hash,
      occurred_at: now,
      actor_user_id: fields.actorUserId,
      actor_role: fields.actorRole,
      actor_agency_id: fields.actorAgencyId,
      action: fields.action,
      entity_type: fields.entityType,
      entity_id: fields.entityId,
      values_hash: valuesHash,
    });
    if (valuesJson !== null) valuesBySeq.set(seq, valuesJson);
    prevHash = hash;
  }
  // Each event with its values in one statement: the values are joined to the new rows by seq.
  for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
    const chunk = events.slice(i, i + EVENTS_PER_INSERT);
    const values = chunk.flatMap((e) => (valuesBySeq.has(e.seq) ? [{ seq: e.seq, data: valuesBySeq.get(e.seq) as string }] : []));
    await sql`with e as (${unnestInsert('audit_events', EVENT_COLUMNS, chunk, sql`returning id, seq`)})
      insert into audit_values (event_id, data)
      select e.id, v.data::jsonb from e join unnest((${arrayLiteral(values.map((v) => v.seq))}::text)::bigint[], (${arrayLiteral(values.map((v) => v.data))}::text)::text[]) as v(seq, data) on v.seq = e.seq`.execute(tx);
  }
  await tx.updateTable('audit_chains').set({ head_seq: seq, head_hash: prevHash }).where('id', '=', chainId).execute();
}

/** The personal values of an entry as canonical JSON (what is stored and hashed), or null. */
function valuesOf(entry: AuditEntry): string | null {
  const values: Record<string, unknown> = {};
  if (entry.before !== undefined) values.before = entry.before;
  if (entry.after !== undefined) values.after = entry.after;
  if (entry.reason !== undefined) values.reason = entry.reason;
  if (entry.context !== undefined) values.context = entry.context;
  if (entry.actor && 'system' in entry.actor) values.system = entry.actor.system;
  return Object.keys(values).length === 0 ? null : canonicalJson(values);
}
