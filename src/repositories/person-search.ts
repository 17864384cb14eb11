import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate, PersonKind } from '../domain/birth-date.ts';
import { indexQuery } from '../registry/search-index.ts';
import { personVisibleTo } from './person-scope.ts';

export interface PersonSearch {
  readonly q?: string | undefined;
  readonly nationality?: string | undefined;
  readonly facilityId?: string | undefined;
  readonly kind?: PersonKind | undefined;
  readonly sex?: string | undefined;
  readonly ageMin?: number | undefined;
  readonly ageMax?: number | undefined;
  readonly legalStatus?: 'none' | 'pending' | 'convicted' | 'acquitted' | undefined;
}

/** `asOf` minus a number of years, as SQL. */
const yearsBefore = (asOf: IsoDate, years: number) => sql<string>`(${asOf}::date - make_interval(years => ${years}))::date`;

/**
 * The registry search: scoped to what the caller may see, filtered, and — with
 * `q` — matched on script-independent name keys (GIN) or trigram word
 * similarity of the normalised and romanised names (GIN), best match first.
 */
export function searchPersons(db: Executor, actor: Actor, asOf: IsoDate, search: PersonSearch) {
  let query = db
    .selectFrom('persons as p')
    .leftJoin('custody_episodes as ce', (join) => join.onRef('ce.person_id', '=', 'p.id').on('ce.released_on', 'is', null))
    .leftJoin('facilities as f', 'f.id', 'ce.facility_id')
    .selectAll('p')
    .select(['ce.facility_id', 'f.name as facility_name'])
    .where(personVisibleTo(actor, asOf))
    // A record merged into another is history: the survivor answers for it.
    .where('p.merged_into', 'is', null);

  if (search.nationality) {
    query = query.where(sql<boolean>`exists (select 1 from person_nationalities pn where pn.person_id = p.id and pn.country_code = ${search.nationality} and pn.status <> 'rejected')`);
  }
  if (search.facilityId) query = query.where('ce.facility_id', '=', search.facilityId);
  if (search.sex) query = query.where('p.sex', '=', search.sex);
  if (search.kind === 'adult') query = query.where('p.birth_latest', '<=', yearsBefore(asOf, 18));
  if (search.kind === 'child') query = query.where('p.birth_latest', '>', yearsBefore(asOf, 9));
  if (search.kind === 'juvenile') query = query.where('p.birth_latest', '>', yearsBefore(asOf, 18)).where('p.birth_latest', '<=', yearsBefore(asOf, 9));
  // Someone whose possible ages overlap [ageMin, ageMax].
  if (search.ageMin !== undefined) query = query.where('p.birth_earliest', '<=', yearsBefore(asOf, search.ageMin));
  if (search.ageMax !== undefined) query = query.where('p.birth_latest', '>', yearsBefore(asOf, search.ageMax + 1));
  if (search.legalStatus === 'none') query = query.where(sql<boolean>`not exists (select 1 from proceedings pr where pr.person_id = p.id)`);
  if (search.legalStatus === 'pending') {
    query = query.where(sql<boolean>`exists (select 1 from proceedings pr where pr.person_id = p.id and (pr.verdict = 'pending' or pr.stage <> 'final'))`);
  }
  if (search.legalStatus === 'convicted' || search.legalStatus === 'acquitted') {
    query = query.where(sql<boolean>`exists (select 1 from proceedings pr where pr.person_id = p.id and pr.verdict = ${search.legalStatus})`);
  }

  if (!search.q) return { query: query.orderBy('p.display_name').orderBy('p.id'), ranked: false as const };
  const { text, latin, keys } = indexQuery(search.q);
  const terms = [...new Set([text, latin].filter((t) => t.length > 0))];
  if (terms.length === 0) return { query: query.where(sql<boolean>`false`).orderBy('p.id'), ranked: true as const };
  const keyArray = sql`${keys}::text[]`;
  // Trigram matching (typos) on the Latin rendering only: the keys already bridge the scripts.
  const similar = [sql<boolean>`${latin || text} <% p.search_text`];
  // Keys in common, trigram word similarity, and a bonus when one of the person's names is exactly the query.
  const exact = sql.join(terms.map((t) => sql`position(${` | ${t} | `} in ' | ' || p.search_text || ' | ') > 0`), sql` or `);
  const score = sql<number>`(
    coalesce(cardinality(array(select unnest(p.search_keys) intersect select unnest(${keyArray}))), 0)::float8 / greatest(${keys.length}, 1)
    + greatest(${sql.join(terms.map((t) => sql`word_similarity(${t}, p.search_text)`))})
    + case when ${exact} then 1 else 0 end)`;
  const matches = keys.length > 0 ? [sql<boolean>`p.search_keys && ${keyArray}`, ...similar] : similar;
  const ranked = query
    .select(score.as('score'))
    .where(sql<boolean>`(${sql.join(matches, sql` or `)})`)
    .orderBy(sql`score`, 'desc')
    .orderBy('p.id');
  return { query: ranked, ranked: true as const };
}

/**
 * Adds what a list row shows beyond the person's own row — the Latin name and the
 * nationalities — for one page of results only (two queries, not two per candidate).
 */
export async function withListDetails<R extends { id: string }>(db: Executor, rows: R[]) {
  const names: { person_id: string; latin: string; kind: string }[] = [];
  const nationalities: { person_id: string; country_code: string }[] = [];
  for (let i = 0; i < rows.length; i += 5000) {
    const ids = rows.slice(i, i + 5000).map((r) => r.id);
    names.push(...(await db.selectFrom('person_names').select(['person_id', 'latin', 'kind']).where('person_id', 'in', ids).orderBy('created_at').execute()));
    nationalities.push(
      ...(await db.selectFrom('person_nationalities').select(['person_id', 'country_code']).where('person_id', 'in', ids).where('status', '<>', 'rejected').orderBy('country_code').execute()),
    );
  }
  const latin = new Map<string, string>();
  for (const n of names) if (n.kind === 'primary' || !latin.has(n.person_id)) latin.set(n.person_id, n.latin);
  const codes = new Map<string, string[]>();
  for (const n of nationalities) codes.set(n.person_id, [...(codes.get(n.person_id) ?? []), n.country_code]);
  return rows.map((r) => ({ ...r, latin_name: latin.get(r.id) ?? null, nationality_codes: codes.get(r.id) ?? null }));
}
