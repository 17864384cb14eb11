import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { anchorHash, canonicalJson, eventHash, genesisHash, sha256 } from './canonical.ts';

export interface VerifyResult {
  readonly ok: boolean;
  readonly chains: number;
  readonly eventsChecked: number;
  readonly anchorsChecked: number;
  /** The first problem found, in words that name the event. */
  readonly problem: string | null;
}

const PAGE = 5000;

/**
 * Walks every chain from its genesis, recomputing each event's hash, the link
 * to the event before it, the hash of its values (unless erased) and the chain
 * head; then checks that every anchor still matches the chains it recorded.
 *
 * In one REPEATABLE READ transaction: the heads, events and anchors are read as of one instant,
 * so events that instances append while the walk runs (after the heads were read) are not
 * taken for events inserted behind a chain's head.
 */
export async function verifyAuditTrail(db: Executor): Promise<VerifyResult> {
  // Inside a transaction already (a test that tampers and verifies, then rolls back): in that one.
  if (db.isTransaction) return walk(db);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((tx) => walk(tx));
}

async function walk(db: Executor): Promise<VerifyResult> {
  const chains = await db.selectFrom('audit_chains').selectAll().orderBy('id').execute();
  let eventsChecked = 0;
  const fail = (problem: string): VerifyResult => ({
    ok: false,
    chains: chains.length,
    eventsChecked,
    anchorsChecked: 0,
    problem,
  });
  const knownChains = new Set(chains.map((c) => c.id));
  const orphan = await db
    .selectFrom('audit_events')
    .select(['id', 'chain_id', 'seq'])
    .where('chain_id', 'not in', chains.length ? chains.map((c) => c.id) : ['-'])
    .limit(1)
    .executeTakeFirst();
  if (orphan) return fail(`event #${orphan.id} (chain ${orphan.chain_id}, seq ${orphan.seq}) belongs to no known chain: inserted`);
  // The walk below starts each chain at seq 1: an event numbered before that would never be seen.
  const early = await db.selectFrom('audit_events').select(['id', 'chain_id', 'seq']).where('seq', '<', 1).orderBy('id').limit(1).executeTakeFirst();
  if (early) return fail(`event #${early.id} (chain ${early.chain_id}, seq ${early.seq}) lies before the start of its chain: inserted`);

  for (const chain of chains) {
    let expectedSeq = 1;
    let prevHash = genesisHash(chain.id);
    let lastSeq = 0;
    let lastId = 0;
    for (;;) {
      const rows = await db
        .selectFrom('audit_events as e')
        .leftJoin('audit_values as v', 'v.event_id', 'e.id')
        .select([
          'e.id',
          'e.seq',
          'e.prev_hash',
          'e.hash',
          'e.occurred_at',
          'e.actor_user_id',
          'e.actor_role',
          'e.actor_agency_id',
          'e.action',
          'e.entity_type',
          'e.entity_id',
          'e.values_hash',
          'v.data',
          'v.erased_at',
          'v.event_id as values_event_id',
        ])
        .where('e.chain_id', '=', chain.id)
        // Page by (seq, id): a duplicated seq at a page boundary is still read.
        .where(sql<boolean>`(e.seq, e.id) > (${lastSeq}, ${lastId})`)
        .orderBy('e.seq')
        .orderBy('e.id')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        const where = `event #${row.id} (chain ${chain.id}, seq ${row.seq})`;
        if (row.seq < expectedSeq) return fail(`${where} repeats a sequence number: inserted`);
        if (row.seq > expectedSeq) {
          return fail(`chain ${chain.id}: event seq ${expectedSeq}${row.seq - 1 > expectedSeq ? `–${row.seq - 1}` : ''} removed (the chain jumps to ${where})`);
        }
        const recomputed = eventHash({
          chainId: chain.id,
          seq: row.seq,
          prevHash: row.prev_hash,
          occurredAt: row.occurred_at,
          actorUserId: row.actor_user_id,
          actorRole: row.actor_role,
          actorAgencyId: row.actor_agency_id,
          action: row.action,
          entityType: row.entity_type,
          entityId: row.entity_id,
          valuesHash: row.values_hash,
        });
        if (recomputed !== row.hash) return fail(`${where} was altered: its contents no longer match its hash`);
        if (row.prev_hash !== prevHash) {
          return fail(`${where} does not follow the event before it: inserted, or the chain was rewritten`);
        }
        if (row.values_hash !== null) {
          if (row.values_event_id === null) return fail(`${where}: its recorded values were removed`);
          if (row.erased_at === null && sha256(canonicalJson(row.data)) !== row.values_hash) {
            return fail(`${where}: its recorded values were altered`);
          }
        } else if (row.values_event_id !== null) {
          return fail(`${where}: values were attached after the fact`);
        }
        prevHash = row.hash;
        lastSeq = row.seq;
        lastId = row.id;
        expectedSeq = row.seq + 1;
        eventsChecked += 1;
      }
      if (rows.length < PAGE) break;
    }
    if (lastSeq < chain.head_seq) {
      return fail(`chain ${chain.id}: events after seq ${lastSeq} removed (the chain head records seq ${chain.head_seq})`);
    }
    if (lastSeq > chain.head_seq || prevHash !== chain.head_hash) {
      return fail(`chain ${chain.id}: its head does not match its last event (seq ${lastSeq}): inserted or altered`);
    }
  }

  const anchors = await db.selectFrom('audit_anchors').selectAll().orderBy('id').execute();
  let prevAnchor = genesisHash('anchors');
  for (const anchor of anchors) {
    const where = `anchor #${anchor.id}`;
    if (anchor.prev_hash !== prevAnchor) return fail(`${where} does not follow the anchor before it`);
    if (anchorHash(anchor.heads, anchor.prev_hash, anchor.created_at) !== anchor.hash) {
      return fail(`${where} was altered`);
    }
    for (const head of anchor.heads as { chainId: string; seq: number; hash: string }[]) {
      if (!knownChains.has(head.chainId)) return fail(`${where} records chain ${head.chainId}, which is gone`);
      const event = await db
        .selectFrom('audit_events')
        .select('hash')
        .where('chain_id', '=', head.chainId)
        .where('seq', '=', head.seq)
        .executeTakeFirst();
      if (!event || event.hash !== head.hash) {
        return fail(`${where} records chain ${head.chainId} at seq ${head.seq}, which no longer matches`);
      }
    }
    prevAnchor = anchor.hash;
  }
  return { ok: true, chains: chains.length, eventsChecked, anchorsChecked: anchors.length, problem: null };
}
