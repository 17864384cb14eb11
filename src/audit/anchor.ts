import { sql } from 'kysely';
import type { Tx } from '../db/database.ts';
import { anchorHash, canonicalJson, genesisHash } from './canonical.ts';

/**
 * Records the head of every chain in one hash-chained anchor row: the chains
 * are tied together so that cutting one short, or dropping one, is noticed.
 * Idempotent: an anchor identical to the last one is not written again.
 */
export async function anchorAuditChains(tx: Tx, now = new Date()): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(7305550001)`.execute(tx);
  const chains = await tx.selectFrom('audit_chains').select(['id', 'head_seq', 'head_hash']).where('head_seq', '>', 0).orderBy('id').execute();
  const heads = chains.map((c) => ({ chainId: c.id, seq: c.head_seq, hash: c.head_hash }));
  const last = await tx.selectFrom('audit_anchors').select(['hash', 'heads']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (last && canonicalJson(last.heads) === canonicalJson(heads)) return false;
  const prevHash = last?.hash ?? genesisHash('anchors');
  const createdAt = new Date(Math.floor(now.getTime()));
  await tx
    .insertInto('audit_anchors')
    .values({ created_at: createdAt, heads: JSON.stringify(heads), prev_hash: prevHash, hash: anchorHash(heads, prevHash, createdAt) })
    .execute();
  return true;
}
