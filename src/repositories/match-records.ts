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
 * the parts of the primary name, every other name, sex, birth range,
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
      'n.given_name',
      'n.father_name',
      'n.family_name',
      'n.full_name',
      sql<string | null>`(select string_agg(o.full_name, ' | ' order by o.created_at) from person_names o where o.person_id = p.id and o.kind <> 'primary')`.as('other_names'),
      sql<string | null>`(select string_agg(pn.country_code, ' ' order by pn.country_code) from person_nationalities pn where pn.person_id = p.id and pn.status <> 'rejected')`.as('nationality'),
      // A parent by their given name only: a shared family name would make every cousin's parents alike.
      sql<string | null>`(select coalesce(rn.given_name, split_part(rn.full_name, ' ', 1)) from family_links fl join person_names rn on rn.person_id = fl.relative_id and rn.kind = 'primary' where fl.person_id = p.id and fl.relation = 'mother' limit 1)`.as('mother_name'),
      sql<string | null>`(select coalesce(rn.given_name, split_part(rn.full_name, ' ', 1)) from family_links fl join person_names rn on rn.person_id = fl.relative_id and rn.kind = 'primary' where fl.person_id = p.id and fl.relation = 'father' limit 1)`.as('father_name_link'),
    ])
    .where('p.duplicate_of', 'is', null)
    .where('p.merged_into', 'is', null)
    .orderBy('p.created_at')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    ref: { kind: 'person' as const, id: r.id, createdAt: r.created_at },
    record: {
      // Parts where the clerk recorded them (a sibling differs by the given name alone), else the whole name.
      given_name: r.given_name,
      family_name: r.family_name,
      full_name: r.given_name || r.family_name ? null : r.full_name,
      other_names: r.other_names,
      // The father's name as recorded with the child's (the Arabic nasab), else the linked father's given name.
      father_name: r.father_name ?? r.father_name_link,
      mother_name: r.mother_name,
      sex: r.sex === 'unknown' ? null : r.sex,
      birth_date: birthText(r.birth_precision, r.birth_earliest, r.birth_latest),
      nationality: r.nationality,
    },
  }));
}

/**
 * A name as a family gives it, in parts the registry's can be compared with: the
 * first word as the given name, the last as the family name (the engine also
 * compares them swapped, for "Family Given" order); a single word is a given name.
 */
export function nameParts(full: string): { given_name: string | null; family_name: string | null } {
  const words = full.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { given_name: null, family_name: null };
  if (words.length === 1) return { given_name: words[0] ?? null, family_name: null };
  return { given_name: words[0] ?? null, family_name: words[words.length - 1] ?? null };
}

/** Open tracing requests as engine records: the sought person as the family describes them. */
export async function tracingRecords(db: Executor): Promise<SubjectRecord[]> {
  const rows = await db.selectFrom('tracing_requests').selectAll().where('status', '=', 'open').orderBy('created_at').orderBy('id').execute();
  return rows.map((t) => ({
    ref: { kind: 'tracing' as const, id: t.id },
    record: {
      ...nameParts(t.sought_names[0] ?? ''),
      // Every name the family gives, also as "other names": a registration may hold the same rendering as an alias.
      other_names: t.sought_names.join(' | ') || null,
      father_name: t.father_name,
      mother_name: t.mother_name,
      sex: t.sought_sex === 'unknown' ? null : t.sought_sex,
      birth_date: t.sought_birth_earliest ? birthText('estimated', t.sought_birth_earliest, t.sought_birth_latest) : null,
      nationality: t.country_code,
    },
  }));
}

/**
 * Pairs of people the registry records as different people: linked to each other
 * (mother and child, siblings, …) or children of the same registered parent.
 * Keys are `${a}:${b}` with a < b.
 */
export async function recordedRelatives(db: Executor): Promise<Set<string>> {
  const rows = await sql<{ a: string; b: string }>`
    select least(fl.person_id, fl.relative_id)::text as a, greatest(fl.person_id, fl.relative_id)::text as b from family_links fl
    union
    select least(x.person_id, y.person_id)::text, greatest(x.person_id, y.person_id)::text
    from family_links x join family_links y on y.relative_id = x.relative_id and y.relation = x.relation and y.person_id <> x.person_id
    where x.relation in ('mother', 'father')`.execute(db);
  return new Set(rows.rows.map((r) => `${r.a}:${r.b}`));
}
