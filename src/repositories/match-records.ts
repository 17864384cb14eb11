import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { MatchRecord } from '../matching/fields.ts';

/** A record for the matching engine, with what it stands for in the registry. */
export interface SubjectRecord {
  readonly ref: { readonly kind: 'person'; readonly id: string; readonly createdAt: Date } | { readonly kind: 'tracing'; readonly id: string };
  readonly record: MatchRecord;
}

/** A birth range as the engine reads it: a day, a month, a year, or first..last day. */
export function birthText(precision: string, earliest: string | null, latest: string | null): string | null {
  if (!earliest || !latest || precision === 'unknown') return null;
  if (earliest === latest) return earliest;
  if (precision === 'month') return earliest.slice(0, 7);
  if (precision === 'year') return earliest.slice(0, 4);
  return `${earliest}..${latest}`;
}

/**
 * Everyone in the registry (confirmed duplicates left out) as engine records:
 * the primary name whole, every other name, sex, birth range,
 * nationalities, and the names of the mother and father from family links.
 */
export async function registryRecords(db: Executor): Promise<SubjectRecord[]> {
  const rows = await db
    .selectFrom('persons as p')
    .leftJoin('person_names as n', (join) => join.onRef('n.person_id', '=', 'p.id').on('n.kind', '=', 'primary'))
    .select([
      'p.id',
      'p.created_at',
      'p.sex',
      'p.birth_precision',
      'p.birth_earliest',
      'p.birth_latest',
      'n.father_name',
      'n.full_name',
      sql<string | null>`(select string_agg(o.full_name, ' | ' order by o.created_at) from person_names o where o.person_id = p.id and o.kind <> 'primary')`.as('other_names'),
      sql<string | null>`(select string_agg(pn.country_code, ' ' order by pn.country_code) from person_nationalities pn where pn.person_id = p.id and pn.status <> 'rejected')`.as('nationality'),
      sql<string | null>`(select r.display_name from family_links fl join persons r on r.id = fl.relative_id where fl.person_id = p.id and fl.relation = 'mother' limit 1)`.as('mother_name'),
      sql<string | null>`(select r.display_name from family_links fl join persons r on r.id = fl.relative_id where fl.person_id = p.id and fl.relation = 'father' limit 1)`.as('father_name_link'),
    ])
    .where('p.duplicate_of', 'is', null)
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    ref: { kind: 'person' as const, id: r.id, createdAt: r.created_at },
    record: {
      // The whole name, as a tracing request gives it too: parts are compared within it, in any order and script.
      full_name: r.full_name,
      other_names: r.other_names,
      father_name: r.father_name_link ?? r.father_name,
      mother_name: r.mother_name,
      sex: r.sex === 'unknown' ? null : r.sex,
      birth_date: birthText(r.birth_precision, r.birth_earliest, r.birth_latest),
      nationality: r.nationality,
    },
  }));
}

/** Open tracing requests as engine records: the sought person as the family describes them. */
export async function tracingRecords(db: Executor): Promise<SubjectRecord[]> {
  const rows = await db.selectFrom('tracing_requests').selectAll().where('status', '=', 'open').orderBy('created_at').orderBy('id').execute();
  return rows.map((t) => ({
    ref: { kind: 'tracing' as const, id: t.id },
    record: {
      full_name: t.sought_names[0] ?? null,
      other_names: t.sought_names.slice(1).join(' | ') || null,
      father_name: t.father_name,
      mother_name: t.mother_name,
      sex: t.sought_sex === 'unknown' ? null : t.sought_sex,
      birth_date: t.sought_birth_earliest ? birthText('estimated', t.sought_birth_earliest, t.sought_birth_latest) : null,
      nationality: t.country_code,
    },
  }));
}
