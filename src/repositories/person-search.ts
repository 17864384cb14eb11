import { type RawBuilder, sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { PersonTable } from '../db/schema.ts';
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

/** Every word of a query, in any of its spellings: a GIN lookup per word, ANDed in a bitmap. */
function everyWordOf(tokenKeys: readonly string[][], keys: RawBuilder<unknown> | ReturnType<typeof sql.ref>) {
  return sql<boolean>`(${sql.join(tokenKeys.map((k) => sql`${keys} && ${k}::text[]`), sql` and `)})`;
}

/** A candidate of a ranked search: the person's row, and whether one of their names is exactly the query. */
type Row = Selectable<PersonTable> & { exact_name: boolean };

/**
 * How many matches of each tier a ranked search scores and sorts at most (see searchPersons): the
 * scoring is ~25–40 µs a person among a million (the trigram similarity over all of a person's names), so
 * 1,000 cost a Cyrillic name 40–55 ms; with the exact namesakes a source of their own, 500 of the others
 * are plenty to choose a page from (decision 0034).
 */
export const RANKED_CANDIDATES = 500;
/** How many typo matches (trigram word similarity) a ranked search adds at most. */
export const TYPO_CANDIDATES = 200;

/** `asOf` minus a number of years, as SQL. */
const yearsBefore = (asOf: IsoDate, years: number) => sql<string>`(${asOf}::date - make_interval(years => ${years}))::date`;

/** Claims or holds the nationality (not rejected), on `p`. */
const nationalityCondition = (code: string) =>
  sql<boolean>`exists (select 1 from person_nationalities pn where pn.person_id = p.id and pn.country_code = ${code} and pn.status <> 'rejected')`;

/** The filters on the person's own row and proceedings, on `p`: sex, kind and ages on the day, legal status. */
function personConditions(search: PersonSearch, asOf: IsoDate): RawBuilder<boolean>[] {
  const out: RawBuilder<boolean>[] = [];
  if (search.sex) out.push(sql<boolean>`p.sex = ${search.sex}`);
  if (search.kind === 'adult') out.push(sql<boolean>`p.birth_latest <= ${yearsBefore(asOf, 18)}`);
  if (search.kind === 'child') out.push(sql<boolean>`p.birth_latest > ${yearsBefore(asOf, 9)}`);
  if (search.kind === 'juvenile') out.push(sql<boolean>`(p.birth_latest > ${yearsBefore(asOf, 18)} and p.birth_latest <= ${yearsBefore(asOf, 9)})`);
  // Someone whose possible ages overlap [ageMin, ageMax].
  if (search.ageMin !== undefined) out.push(sql<boolean>`p.birth_earliest <= ${yearsBefore(asOf, search.ageMin)}`);
  if (search.ageMax !== undefined) out.push(sql<boolean>`p.birth_latest > ${yearsBefore(asOf, search.ageMax + 1)}`);
  if (search.legalStatus === 'none') out.push(sql<boolean>`not exists (select 1 from proceedings pr where pr.person_id = p.id)`);
  if (search.legalStatus === 'pending') out.push(sql<boolean>`exists (select 1 from proceedings pr where pr.person_id = p.id and (pr.verdict = 'pending' or pr.stage <> 'final'))`);
  if (search.legalStatus === 'convicted' || search.legalStatus === 'acquitted') {
    out.push(sql<boolean>`exists (select 1 from proceedings pr where pr.person_id = p.id and pr.verdict = ${search.legalStatus})`);
  }
  return out;
}

/**
 * The registry search: scoped to what the caller may see, filtered, and — with
 * `q` — matched on script-independent name keys (GIN) or trigram word
 * similarity of the normalised and romanised names (GIN), best match first.
 */
export function searchPersons(
  db: Executor,
  actor: Actor,
  asOf: IsoDate,
  search: PersonSearch,
  options: { readonly typos?: boolean; readonly tier?: 'exact' | undefined; readonly page?: { readonly offset: number; readonly limit: number } } = {},
) {
  let query = db
    .selectFrom('persons as p')
    .leftJoin('custody_episodes as ce', (join) => join.onRef('ce.person_id', '=', 'p.id').on('ce.released_on', 'is', null))
    .leftJoin('facilities as f', 'f.id', 'ce.facility_id')
    .selectAll('p')
    .select(['ce.facility_id', 'f.name as facility_name'])
    .where(personVisibleTo(actor, asOf))
    // A record merged into another is history: the survivor answers for it.
    .where('p.merged_into', 'is', null);

  // A list of one nationality (asked for, or an embassy's own) is read in name order from that
  // nationality's index (country, name, person; the name kept by triggers, migration 0010): the
  // registry's name order walks one script after another, so probing each name for a nationality
  // read 25,848 people for the first 50 children of Tajikistan among 200,000.
  const listedNationality = search.nationality ?? (actor.role === 'embassy' && !search.q ? actor.countryCode : undefined);
  if (listedNationality && !search.q) {
    query = query.innerJoin('person_nationalities as pn', (join) =>
      join.onRef('pn.person_id', '=', 'p.id').on('pn.country_code', '=', listedNationality).on('pn.status', '<>', 'rejected'),
    ) as unknown as typeof query;
  } else if (search.nationality) {
    query = query.where(nationalityCondition(search.nationality));
  }
  if (search.facilityId) query = query.where('ce.facility_id', '=', search.facilityId);
  for (const condition of personConditions(search, asOf)) query = query.where(condition);

  if (!search.q) {
    // The order (and the keyset a cursor resumes after): the nationality's copy of the name when
    // the list is read from it, the person's own otherwise — the same values either way.
    const order = listedNationality ? { name: sql.ref<string>('pn.display_name'), id: sql.ref<string>('pn.person_id') } : { name: sql.ref<string>('p.display_name'), id: sql.ref<string>('p.id') };
    return { query: query.orderBy(order.name).orderBy(order.id), ranked: false as const, order };
  }
  const { text, latin, keys, tokenKeys } = indexQuery(search.q);
  const terms = [...new Set([text, latin].filter((t) => t.length > 0))];
  if (terms.length === 0) return { query: query.where(sql<boolean>`false`).orderBy('p.id'), ranked: true as const };
  const keyArray = sql`${keys}::text[]`;
  // An exact name: one of the person's names (normalised, or its Latin rendering) is the query or its
  // Latin rendering — the person's search_text split into its names, read from their own index
  // (migration 0019; the expression must stay the index's).
  const exactName = (searchText: 'p.search_text') => sql<boolean>`string_to_array(${sql.ref(searchText)}, ' | ') && ${terms}::text[]`;
  // The share of the query's keys the person has.
  const keysShare = sql<number>`coalesce(cardinality(array(select unnest(p.search_keys) intersect select unnest(${keyArray}))), 0)::float8 / greatest(${keys.length}, 1)`;
  // Two tiers. The exact namesakes first: 3 + the share of keys (a whole name's trigram word
  // similarity to itself is 1, and an exact name is worth 2 more) — above anyone else's score, the
  // share of keys plus the trigram word similarity of the query's Latin rendering to the names, at
  // most 2. (Every name in search_text has its Latin rendering beside it, so one similarity serves
  // every script: a second, of the query as typed, doubled the cost and changed no recall.)
  const exactScore = sql<number>`(3 + ${keysShare})`;
  const score = sql<number>`(${keysShare} + word_similarity(${latin || text}, p.search_text))`;
  // Who is a match: every word of the query in any of its spellings (a GIN lookup per word, ANDed
  // in a bitmap — one common word alone, Muhammad or Ali, would bring in a tenth of a large
  // registry), or the Latin rendering close by trigrams (typos; GIN too). The keys bridge the scripts.
  const everyWord = everyWordOf(tokenKeys, sql.ref('p.search_keys'));
  const similar = sql<boolean>`${latin || text} <% p.search_text`;
  // Each source is the people the caller may see and the filters keep, limited only then: an
  // embassy, a custody officer or a filtered search chooses among its own matches (limited first, a
  // national among a thousand namesakes of other countries could be left out of every page).
  const scoped = () => {
    let qb = db.selectFrom('persons as p').where(personVisibleTo(actor, asOf)).where('p.merged_into', 'is', null);
    if (search.facilityId) {
      qb = qb.where(sql<boolean>`exists (select 1 from custody_episodes ce where ce.person_id = p.id and ce.released_on is null and ce.facility_id = ${search.facilityId})`);
    }
    if (search.nationality) qb = qb.where(nationalityCondition(search.nationality));
    for (const condition of personConditions(search, asOf)) qb = qb.where(condition);
    return qb;
  };
  // The people to rank: the exact namesakes (at most RANKED_CANDIDATES), and of the others those
  // matching every word (at most RANKED_CANDIDATES) and, when typos are looked for, at most
  // TYPO_CANDIDATES close by trigrams — each source limited on its own, so the exact matches are never
  // crowded out, and a search for one very common name (محمد alone) costs the same in a registry of a
  // million as in one of a thousand. The sources hand over whole rows where they can (1,000 index
  // probes of a million-row table by id were most of a cold search), marked exact or not.
  const exactRows = scoped().selectAll('p').select(sql<boolean>`true`.as('exact_name')).where(exactName('p.search_text')).limit(RANKED_CANDIDATES);
  const typos = options.typos ?? true;
  const notExact = sql<boolean>`not (${exactName('p.search_text')})`;
  const wordMatches = scoped().where(everyWord).where(notExact).limit(RANKED_CANDIDATES);
  const typoIds = scoped().select('p.id').where(similar).where(notExact).limit(TYPO_CANDIDATES);
  const otherRows =
    tokenKeys.length > 0 && !typos
      ? wordMatches.selectAll('p').select(sql<boolean>`false`.as('exact_name'))
      : // One semi-join on the union (two `in` tests or-ed would scan the table to test each row).
        db
          .selectFrom('persons as p')
          .selectAll('p')
          .select(sql<boolean>`false`.as('exact_name'))
          .where(sql<boolean>`p.id in (select u.id from (${sql.join([...(tokenKeys.length > 0 ? [wordMatches.select('p.id')] : []), typoIds].map((q) => sql`(${q})`), sql` union `)}) as u)`);
  // The exact tier alone (inSearchPlan's first try when many match every word), or both.
  const rows = options.tier === 'exact' ? sql<Row>`(${exactRows})` : sql<Row>`((${exactRows}) union all (${otherRows}))`;
  // Ranked on the candidates' own rows (their keys and names), and only the page asked for
  // (`options.page`) is then read whole with its custody: joining the custody and the facility of
  // every candidate, up to 1,200 random reads of a cold table, was most of a common name's search in
  // a large registry.
  let ranking = db
    .selectFrom(rows.as('p'))
    .select(['p.id as ranked_id', sql<number>`case when p.exact_name then ${exactScore} else ${score} end`.as('score')])
    .orderBy(sql`score`, 'desc')
    .orderBy('p.id');
  if (options.page) ranking = ranking.offset(options.page.offset).limit(options.page.limit);
  const ranked = db
    .selectFrom(ranking.as('r'))
    .innerJoin('persons as p', 'p.id', 'r.ranked_id')
    .leftJoin('custody_episodes as ce', (join) => join.onRef('ce.person_id', '=', 'p.id').on('ce.released_on', 'is', null))
    .leftJoin('facilities as f', 'f.id', 'ce.facility_id')
    .selectAll('p')
    .select(['ce.facility_id', 'f.name as facility_name', 'r.score'])
    .orderBy('r.score', 'desc')
    .orderBy('p.id');
  return { query: ranked, ranked: true as const };
}

/**
 * With this many people matching every word of a name, the typo matches are not looked for: the
 * trigram index is the expensive part of a search in a large registry (166 ms of 250 for a
 * three-word name among 1,000,000 people, against 9 ms for the words' keys), so it is the fallback
 * for a name nobody matches word for word — a typo the keys do not absorb.
 */
export const ENOUGH_EXACT = 1;
/**
 * With this many people matching every word, the exact namesakes are looked for alone first: ranking
 * hundreds of candidates by trigram similarity is most of a common name's search among a million
 * people (20 of 25 ms), while in a small registry a third query would cost more than it saves.
 */
export const MANY_WORD_MATCHES = 200;

/** How a search is run (inSearchPlan decides): whether typo matches are looked for, which tier, the page. */
export interface SearchRun {
  readonly typos: boolean;
  /** 'exact': the exact namesakes only (the first tier); otherwise both tiers. */
  readonly tier?: 'exact' | undefined;
  readonly page: { readonly offset: number; readonly limit: number };
}

/**
 * Runs a search with a name in it the way it stays fast in a large registry:
 * 1. the words' keys first — a cheap GIN bitmap, counted up to MANY_WORD_MATCHES;
 * 2. with that many, the exact namesakes alone (their own index, migration 0019): they rank above
 *    everyone else, so when they fill the page (`page.limit` rows) that is the page, and nobody else
 *    is scored;
 * 3. when someone matches every word (ENOUGH_EXACT), both tiers are ranked and the trigram match
 *    (typos) is skipped;
 * 4. otherwise the trigram match joins in, in a transaction that steers the
 *    planner away from sequential scans: it costs the trigram operator (`<%`) like
 *    a cheap comparison and scans the table instead of the GIN index — measured on
 *    20,000 generated people, 185 ms for the scan, 12 ms through the index, and
 *    the scan grows with the registry. Inside a caller's transaction the setting
 *    is put back afterwards.
 * Filtered lists without a name plan as they like. (The count in step 1 is of the whole
 * registry, not of what the caller may see: it decides only how the search is run.)
 */
export async function inSearchPlan<T extends readonly unknown[]>(
  db: Executor,
  search: PersonSearch,
  page: SearchRun['page'],
  fn: (db: Executor, run: SearchRun) => Promise<T>,
): Promise<T> {
  if (!search.q) return fn(db, { typos: false, page });
  const { tokenKeys } = indexQuery(search.q);
  if (tokenKeys.length > 0) {
    const everyWord = everyWordOf(tokenKeys, sql.ref('search_keys'));
    const found = await sql<{ n: number }>`select count(*)::int as n from (select 1 from persons where ${everyWord} and merged_into is null limit ${MANY_WORD_MATCHES}) as x`.execute(db);
    const n = found.rows[0]?.n ?? 0;
    if (n >= MANY_WORD_MATCHES) {
      const exact = await fn(db, { typos: false, tier: 'exact', page });
      if (exact.length >= page.limit) return exact;
    }
    if (n >= ENOUGH_EXACT) return fn(db, { typos: false, page });
  }
  const run = async (tx: Executor) => {
    await sql`set local enable_seqscan = off`.execute(tx);
    const result = await fn(tx, { typos: true, page });
    await sql`set local enable_seqscan = on`.execute(tx);
    return result;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
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
