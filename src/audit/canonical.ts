import { hash } from 'node:crypto';

/** JSON with keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 in hex, one shot (no Hash object per call: an import hashes two texts per person). */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** The fields of an event that its hash covers: everything but its own hash and row id. */
export interface ChainedFields {
  chainId: string;
  seq: number;
  prevHash: string;
  occurredAt: Date;
  actorUserId: string | null;
  actorRole: string | null;
  actorAgencyId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  valuesHash: string | null;
}

export function eventHash(fields: ChainedFields): string {
  // canonicalJson of the fields, spelled out: the keys in sorted order, every value a string, number or null.
  return sha256(
    JSON.stringify({
      action: fields.action,
      actorAgencyId: fields.actorAgencyId,
      actorRole: fields.actorRole,
      actorUserId: fields.actorUserId,
      chainId: fields.chainId,
      entityId: fields.entityId,
      entityType: fields.entityType,
      occurredAt: fields.occurredAt.toISOString(),
      prevHash: fields.prevHash,
      seq: fields.seq,
      valuesHash: fields.valuesHash,
    }),
  );
}

export function genesisHash(chainId: string): string {
  return sha256(`homeward-audit-genesis:${chainId}`);
}

export function anchorHash(heads: unknown, prevHash: string, createdAt: Date): string {
  return sha256(canonicalJson({ heads, prevHash, createdAt: createdAt.toISOString() }));
}
