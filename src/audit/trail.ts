import { randomInt } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { arrayLiteral, type BulkType, unnestInsert } from '../db/bulk.ts';
import { isEmbedded, type PreparedRows, rowsBuilder, writeRows } from '../db/copy.ts';
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

/** From this many events in one call, they are written the bulk way (db/copy.ts). */
const COPY_FROM = 200;

const AUDIT_VALUE_COLUMNS = [
  ['event_id', 'bigint'],
  ['data', 'jsonb'],
] as const satisfies readonly (readonly [keyof DB['audit_values'], BulkType])[];

type EventRow = Insertable<DB['audit_events']> & { seq: number };
interface Head {
  readonly chainId: string;
  seq: number;
  hash: string;
}

/**
 * The transaction's chain, its head locked. One chain per transaction: a transaction
 * that records twice must not lock a second chain head, or two such transactions can
 * deadlock on each other's.
 */
async function lockChain(tx: Tx, now: Date): Promise<Head> {
  const chainId = chainOfTransaction.get(tx) ?? chainIdFor(now, randomInt(SHARDS));
  chainOfTransaction.set(tx, chainId);
  await tx
    .insertInto('audit_chains')
    .values({ id: chainId, head_seq: 0, head_hash: genesisHash(chainId) })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const head = await tx.selectFrom('audit_chains').select(['head_seq', 'head_hash']).where('id', '=', chainId).forUpdate().executeTakeFirstOrThrow();
  return { chainId, seq: head.head_seq, hash: head.head_hash };
}

const saveHead = (tx: Tx, head: Head) => tx.updateTable('audit_chains').set({ head_seq: head.seq, head_hash: head.hash }).where('id', '=', head.chainId).execute();

/** Chains entries after `head` (which moves on), in memory: their rows, and their values as canonical JSON by seq. */
function chainEntries(head: Head, list: readonly AuditEntry[], now: Date): { events: EventRow[]; valuesBySeq: Map<number, string> } {
  const events: EventRow[] = [];
  const valuesBySeq = new Map<number, string>();
  for (const entry of list) {
    const seq = head.seq + 1;
    const prevHash = head.hash;
    const valuesJson = valuesOf(entry);
    const valuesHash = valuesJson === null ? null : sha256(valuesJson);
    const actor = entry.actor && 'userId' in entry.actor ? entry.actor : null;
    const fields = {
      chainId: head.chainId,
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
      chain_id: head.chainId,
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
    head.seq = seq;
    head.hash = hash;
  }
  return { events, valuesBySeq };
}

/** Ids for `count` new events, drawn from their sequence in one statement, ascending. */
async function reserveIds(tx: Tx, count: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`select nextval(pg_get_serial_sequence('audit_events', 'id')) as id from generate_series(1, ${count}::int)`.execute(tx);
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

interface EventsBuilder {
  /** Encodes chained events, with their ids, and their values. */
  add(events: readonly EventRow[], valuesBySeq: ReadonlyMap<number, string>, ids: readonly number[]): void;
  /** What was added since the last take, prepared to be written (events first: the values refer to them). */
  take(): PreparedRows[];
}

/** Events and their values, encoded as they come (db/copy.ts: rowsBuilder). */
function eventsBuilder(tx: Tx): EventsBuilder {
  const events = rowsBuilder(tx, 'audit_events', [['id', 'bigint'], ...EVENT_COLUMNS]);
  // PGlite: the values as one JSON document of [id, values] pairs, parsed once — a fifth
  // cheaper than a text[] literal of JSON (escaped twice) cast to jsonb a row at a time.
  const values = isEmbedded(tx) ? null : rowsBuilder(tx, 'audit_values', AUDIT_VALUE_COLUMNS);
  let pairs: string[] = [];
  return {
    add(chained, valuesBySeq, ids) {
      events.add(chained.map((e, i) => ({ ...e, id: ids[i] as number })));
      chained.forEach((e, i) => {
        const data = valuesBySeq.get(e.seq);
        if (data === undefined) return;
        if (values) values.add([{ event_id: ids[i] as number, data }]);
        else pairs.push(`[${ids[i] as number},${data}]`);
      });
    },
    take() {
      if (values) return [events.take(), values.take()];
      const document = `[${pairs.join(',')}]`;
      const rows = pairs.length;
      pairs = [];
      const inserts = rows === 0 ? [] : [sql`insert into audit_values (event_id, data) select (x.pair->>0)::bigint, x.pair->1 from jsonb_array_elements(${document}::jsonb) as x(pair)`];
      return [events.take(), { table: 'audit_values', rows, inserts }];
    },
  };
}

/** Appends events to the audit chain inside the caller's transaction. */
export async function recordAudit(tx: Tx, entries: AuditEntry | readonly AuditEntry[], now = new Date()): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntry];
  if (list.length === 0) return;
  const head = await lockChain(tx, now);
  // The hashes are computed here, in order; the rows are then written in a few
  // statements, so an import of thousands of people costs a few queries, not thousands.
  const { events, valuesBySeq } = chainEntries(head, list, now);
  if (events.length >= COPY_FROM) {
    // Many events (an import's) go the bulk way (COPY on PostgreSQL, which spares the server
    // a megabyte-sized array literal of JSON, escaped twice, per 2,000 events); their ids
    // are drawn first, so that each event's values can name it.
    const builder = eventsBuilder(tx);
    builder.add(events, valuesBySeq, await reserveIds(tx, events.length));
    for (const data of builder.take()) await writeRows(tx, data);
  } else {
    // Each event with its values in one statement: the values are joined to the new rows by seq.
    for (let i = 0; i < events.length; i += EVENTS_PER_INSERT) {
      const chunk = events.slice(i, i + EVENTS_PER_INSERT);
      const values = chunk.flatMap((e) => (valuesBySeq.has(e.seq) ? [{ seq: e.seq, data: valuesBySeq.get(e.seq) as string }] : []));
      await sql`with e as (${unnestInsert('audit_events', EVENT_COLUMNS, chunk, sql`returning id, seq`)})
        insert into audit_values (event_id, data)
        select e.id, v.data::jsonb from e join unnest((${arrayLiteral(values.map((v) => v.seq))}::text)::bigint[], (${arrayLiteral(values.map((v) => v.data))}::text)::text[]) as v(seq, data) on v.seq = e.seq`.execute(tx);
    }
  }
  await saveHead(tx, head);
}

/**
 * Recording many events a batch at a time, for a caller that writes its own rows a
 * batch at a time (registerPeople): the chain is locked and ids for up to `expected`
 * events drawn once; entries are chained and encoded as they come (`add`, no I/O — so
 * the next batch is built while the database writes this one); `take` gives a batch's
 * events and values, for the caller to write (writeRows) in order with its batch; and
 * `finish` records the chain's head. The same events, hashes and values as recordAudit
 * of all the entries at once.
 */
export interface AuditBatches {
  add(entries: readonly AuditEntry[]): void;
  take(): PreparedRows[];
  finish(): Promise<void>;
}

export async function openAuditBatches(tx: Tx, expected: number, now = new Date()): Promise<AuditBatches> {
  const head = await lockChain(tx, now);
  const ids = expected > 0 ? await reserveIds(tx, expected) : [];
  const builder = eventsBuilder(tx);
  let used = 0;
  return {
    add(entries) {
      if (used + entries.length > ids.length) throw new Error(`openAuditBatches: ${used + entries.length} events, ${ids.length} expected`);
      const { events, valuesBySeq } = chainEntries(head, entries, now);
      builder.add(events, valuesBySeq, ids.slice(used, used + events.length));
      used += events.length;
    },
    take: () => builder.take(),
    finish: async () => {
      await saveHead(tx, head);
    },
  };
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
