import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../domain/actor.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { today } from '../registry/as-of.ts';
import { caseVisibleTo } from './cases.ts';
import { movementVisibleTo } from './movements.ts';
import { personVisibleTo, seesEveryone } from './person-scope.ts';

/**
 * The figures behind the dashboard and the public statistics: one aggregate query each, computed
 * on the day asked for (no caching: every answer is read from the tables as they stand), and
 * scoped in the query like every other read — an embassy counts only the people it may see
 * (its country's nationals not withheld from it) and the repatriations to its own country.
 *
 * Ages are read protectively, as everywhere (DESIGN.md "Ages from uncertain dates"): a child is
 * someone who could be under 18 on the day, i.e. whose latest possible birth date is after the
 * day 18 years earlier (`couldBeUnder`), and the kinds follow `kindOf` (adult only if certainly 18,
 * child if possibly under 9, juvenile in between). A returned person's age is read on the day of
 * the handover.
 */

/** The day `years` before `date`, in SQL (2026-02-28 − 18 years = 2008-02-28, as `addYears` does). */
const yearsBefore = (date: IsoDate | RawBuilder<unknown>, years: number) => sql`(${date}::date - ${sql.raw(`interval '${years} years'`)})::date`;

/** Could be under 18 on the day: the protective reading (`couldBeUnder(range, 18, day)`). */
export const couldBeChildOn = (day: IsoDate | RawBuilder<unknown>) => sql<SqlBool>`(p.birth_latest > ${yearsBefore(day, 18)})`;

/** `kindOf` in SQL, on `p`. */
const kindOn = (asOf: IsoDate) =>
  sql<string>`(case when p.birth_latest <= ${yearsBefore(asOf, 18)} then 'adult' when p.birth_latest > ${yearsBefore(asOf, 9)} then 'child' else 'juvenile' end)`;

/** The handover's day (UTC), the day a person counts as returned. */
const handedOverOn = sql`((h.received_at at time zone 'UTC')::date)`;

/**
 * The one nationality a person is counted under: a verified one before a claimed one (the lowest
 * code first when there are several), none if all were rejected. For an embassy it is its own
 * country: it sees only people who claim or hold that nationality.
 */
function nationalityOf(actor: Actor): { readonly nat: RawBuilder<string | null>; readonly join: RawBuilder<unknown> } {
  if (actor.role === 'embassy') return { nat: sql<string | null>`${actor.countryCode ?? ''}::text`, join: sql`` };
  // One pass over the nationalities, hash-joined: a subquery per person costs a sort per row
  // (108 ms for 20,000 people, most of the dashboard's time, and it grows with the registry).
  return {
    nat: sql<string | null>`cn.nat`,
    join: sql`left join (select distinct on (pn.person_id) pn.person_id, pn.country_code::text as nat from person_nationalities pn
      where pn.status <> 'rejected' order by pn.person_id, (pn.status = 'verified') desc, pn.country_code) cn on cn.person_id = p.id`,
  };
}

/** 'kept': from the kept counts where they answer exactly (`personScope`, `returnScope`); 'live': always from the registry's tables (the tests compare the two). */
export type FiguresRead = 'kept' | 'live';

/**
 * The count scope of the people figures (migration 0015; decision 0031) where the counts answer
 * exactly: on today's date — they hold the current open custody, case membership and nationalities,
 * as the live query reads them; custody is never recorded ahead of the day — and for the roles whose
 * scope they express: everyone (''), or an embassy's nationals not withheld from it (its country).
 * Any other day or role reads the registry's tables themselves (null).
 */
function personScope(actor: Actor, asOf: IsoDate): string | null {
  if (asOf !== today()) return null;
  if (seesEveryone(actor)) return '';
  if (actor.role === 'embassy' && actor.countryCode) return actor.countryCode;
  return null;
}

const KINDS = ['adult', 'child', 'juvenile'] as const;
const STATUS_CODES: readonly PersonStatus[] = ['held', 'on_case', 'other', 'returned'];

interface CountedCell {
  readonly nat: string | null;
  readonly kind: PeopleRow['kind'];
  readonly status: PersonStatus;
  readonly held: boolean;
  readonly n: number;
}

/**
 * The people of the caller's scope today, counted by nationality, kind, status and whether held,
 * from the count tables (migration 0015, kept from \`person_figures\` in the writing transaction;
 * decision 0031), where \`personScope\` says they answer exactly. The counts are by month of
 * the latest possible birth date: a month wholly before the one in which people turn 18 today is
 * adults', wholly after the one in which they turn 9 children's, in between juveniles'; those two
 * months are read by day (\`person_day_counts\`, a range of its index), so the kinds are exactly the
 * live query's. Appended counts not yet folded are summed with the folded ones.
 */
async function keptCounts(db: Executor, actor: Actor, asOf: IsoDate): Promise<CountedCell[] | null> {
  const scope = personScope(actor, asOf);
  if (scope === null) return null;
  const m18 = sql`date_trunc('month', ${yearsBefore(asOf, 18)})::date`;
  const m9 = sql`date_trunc('month', ${yearsBefore(asOf, 9)})::date`;
  const inMonth = (m: RawBuilder<unknown>) => sql`(d.birth_latest >= ${m} and d.birth_latest < (${m} + interval '1 month')::date)`;
  const { rows } = await sql<{ nat: string | null; kind: number; status: number; held: boolean; n: string | number }>`
    select ${scope === '' ? sql`nullif(c.nat, '')` : sql`${scope}::text`} as nat,
      (case when c.birth_month < ${m18} then 0 when c.birth_month > ${m9} then 1 else 2 end) as kind, c.status, c.held, sum(c.n) as n
    from person_counts c
    where c.scope = ${scope} and c.birth_month <> ${m18} and c.birth_month <> ${m9}
    group by 1, 2, 3, 4
    union all
    select ${scope === '' ? sql`nullif(d.nat, '')` : sql`${scope}::text`} as nat,
      (case when d.birth_latest <= ${yearsBefore(asOf, 18)} then 0 when d.birth_latest > ${yearsBefore(asOf, 9)} then 1 else 2 end) as kind, d.status, d.held, sum(d.n) as n
    from person_day_counts d
    where d.scope = ${scope} and (${inMonth(m18)} or ${inMonth(m9)})
    group by 1, 2, 3, 4`.execute(db);
  return rows.map((r) => ({ nat: r.nat, kind: KINDS[r.kind] as PeopleRow['kind'], status: STATUS_CODES[r.status] as PersonStatus, held: r.held === true, n: Number(r.n) }));
}

/** Repatriation handovers the caller may see, up to and including the day: alias h (handover), m (movement), p (person). */
const visibleReturns = (actor: Actor, asOf: IsoDate): Expression<SqlBool> =>
  sql<SqlBool>`(m.kind = 'repatriation' and ${movementVisibleTo(actor)} and ${personVisibleTo(actor, asOf)} and ${handedOverOn} <= ${asOf}::date)`;

/**
 * The count scope of the returns figures (migration 0015; decision 0031) where it answers exactly:
 * today, for the coordinator (every movement and person) or an embassy (returns to its country of
 * its nationals not withheld from it). Other roles read the registry's tables.
 */
function returnScope(actor: Actor, asOf: IsoDate): string | null {
  if (asOf !== today()) return null;
  if (actor.role === 'coordinator') return '';
  if (actor.role === 'embassy' && actor.countryCode) return actor.countryCode;
  return null;
}

/** percentile_cont over a histogram: `bins` sorted by value, `total` their counts' sum. */
function percentileOf(bins: ReadonlyArray<{ readonly days: number; readonly n: number }>, total: number, fraction: number): number {
  const position = fraction * (total - 1);
  const lower = Math.floor(position);
  const valueAt = (index: number) => {
    let seen = 0;
    for (const b of bins) {
      seen += b.n;
      if (index < seen) return b.days;
    }
    return bins[bins.length - 1]?.days ?? 0;
  };
  const a = valueAt(lower);
  const b = valueAt(Math.min(lower + 1, total - 1));
  return a + (b - a) * (position - lower);
}

export const PERSON_STATUSES = ['held', 'on_case', 'returned', 'other'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export interface PeopleRow {
  readonly countryCode: string | null;
  readonly kind: 'child' | 'juvenile' | 'adult';
  readonly status: PersonStatus;
  readonly count: number;
}

/**
 * Everyone in the registry the caller may see (merged duplicates not counted twice), by nationality,
 * kind on the day and status: returned (handed over to the home country), else on an open case,
 * else held (in custody on the day), else other (released, deceased…).
 */
export async function peopleFigures(db: Executor, actor: Actor, asOf: IsoDate, read: FiguresRead = 'kept'): Promise<PeopleRow[]> {
  const counted = read === 'kept' ? await keptCounts(db, actor, asOf) : null;
  if (counted) {
    const cells = new Map<string, { countryCode: string | null; kind: PeopleRow['kind']; status: PersonStatus; count: number }>();
    for (const c of counted) {
      const key = `${c.nat ?? ''}|${c.kind}|${c.status}`;
      const cell = cells.get(key);
      if (cell) cell.count += c.n;
      else cells.set(key, { countryCode: c.nat, kind: c.kind, status: c.status, count: c.n });
    }
    // The live query's order: nationality (no nationality last), kind, status.
    const key = (v: string | null) => (v === null ? '\uffff' : v);
    return [...cells.values()]
      .filter((c) => c.count > 0)
      .sort((a, b) => (key(a.countryCode) < key(b.countryCode) ? -1 : key(a.countryCode) > key(b.countryCode) ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.status < b.status ? -1 : a.status > b.status ? 1 : 0));
  }
  const nationality = nationalityOf(actor);
  const { rows } = await sql<{ country_code: string | null; kind: PeopleRow['kind']; status: PersonStatus; n: string | number }>`
    select nat as country_code, kind, status, count(*) as n from (
      select ${nationality.nat} as nat, ${kindOn(asOf)} as kind,
        -- Joined set-wise (hash joins that may spill), not tested per person: \`in (…)\` of a million ids
        -- does not fit work_mem as a hash and is re-read for every person (over five minutes at
        -- 1,000,000 people); \`exists\` per person is an index probe each (29 s).
        case when ret.person_id is not null then 'returned' when oc.person_id is not null then 'on_case' when held.person_id is not null then 'held' else 'other' end as status
      from persons p ${nationality.join}
      left join (select distinct h.person_id from handovers h join movements m on m.id = h.movement_id where m.kind = 'repatriation' and ${handedOverOn} <= ${asOf}::date) ret on ret.person_id = p.id
      left join (select cm.person_id from case_members cm where cm.current) oc on oc.person_id = p.id
      left join (select distinct ce.person_id from custody_episodes ce where ce.admitted_on <= ${asOf}::date and (ce.released_on is null or ce.released_on > ${asOf}::date)) held on held.person_id = p.id
      where p.merged_into is null and ${personVisibleTo(actor, asOf)}
    ) s
    group by nat, kind, status
    order by nat, kind, status`.execute(db);
  return rows.map((r) => ({ countryCode: r.country_code, kind: r.kind, status: r.status, count: Number(r.n) }));
}

/** The cases an embassy sees, by the flag kept on each case (migration 0018): the condition of `caseVisibleTo` for an embassy. */
function embassyCases(actor: Actor): Expression<SqlBool> {
  return sql<SqlBool>`(c.country_code = ${actor.countryCode ?? ''} and c.embassy_sees)`;
}

export interface CaseStateRow {
  readonly state: string;
  readonly countryCode: string;
  readonly count: number;
}

/**
 * Cases the caller may see, per state and country (index cases_country_state_idx). An embassy's
 * are read from the cases' kept flag (migration 0018, index cases_embassy_state_idx; decision
 * 0033) — the same condition as `caseVisibleTo`, kept by triggers — unless `read` is 'live'.
 */
export async function caseFigures(db: Executor, actor: Actor, asOf: IsoDate, read: FiguresRead = 'kept'): Promise<CaseStateRow[]> {
  const kept = read === 'kept' && actor.role === 'embassy';
  const rows = await db
    .selectFrom('cases as c')
    .select(['c.state', 'c.country_code'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(kept ? embassyCases(actor) : caseVisibleTo(actor, asOf))
    .groupBy(['c.state', 'c.country_code'])
    .orderBy('c.state')
    .orderBy('c.country_code')
    .execute();
  return rows.map((r) => ({ state: r.state, countryCode: r.country_code, count: Number(r.n) }));
}

export interface ReturnMonthRow {
  /** YYYY-MM of the handover (UTC). */
  readonly month: string;
  readonly countryCode: string;
  readonly people: number;
  /** Of whom could be under 18 on the day of the handover. */
  readonly children: number;
}

/** People handed over to their home country, per month of the handover and country. */
export async function returnsByMonth(db: Executor, actor: Actor, asOf: IsoDate, read: FiguresRead = 'kept'): Promise<ReturnMonthRow[]> {
  const scope = read === 'kept' ? returnScope(actor, asOf) : null;
  if (scope !== null) {
    const { rows } = await sql<{ month: string; country_code: string; people: string | number; children: string | number }>`
      select to_char(month, 'YYYY-MM') as month, country_code, sum(n) as people, coalesce(sum(n) filter (where child), 0) as children
      from return_month_counts where scope = ${scope}
      group by month, country_code having sum(n) > 0
      order by 1, 2`.execute(db);
    return rows.map((r) => ({ month: r.month, countryCode: r.country_code, people: Number(r.people), children: Number(r.children) }));
  }
  const { rows } = await sql<{ month: string; country_code: string; people: string | number; children: string | number }>`
    select to_char(h.received_at at time zone 'UTC', 'YYYY-MM') as month, m.country_code::text as country_code,
      count(*) as people, count(*) filter (where ${couldBeChildOn(handedOverOn)}) as children
    from handovers h join movements m on m.id = h.movement_id join persons p on p.id = h.person_id
    where ${visibleReturns(actor, asOf)}
    group by 1, 2
    order by 1, 2`.execute(db);
  return rows.map((r) => ({ month: r.month, countryCode: r.country_code, people: Number(r.people), children: Number(r.children) }));
}

export interface OccupancyRow {
  readonly facilityId: string;
  readonly name: string;
  readonly countryCode: string;
  readonly capacity: number;
  /** People held there now, as far as the caller may see them. */
  readonly held: number;
}

/**
 * Every facility with its capacity and the people held there now (open custody episodes, index
 * custody_facility_open_idx). An embassy counts only its nationals, and sees only the facilities
 * that hold some.
 */
export async function occupancyFigures(db: Executor, actor: Actor, asOf: IsoDate, read: FiguresRead = 'kept'): Promise<OccupancyRow[]> {
  const everyone = seesEveryone(actor);
  // Occupancy is always today's: the people scope of today.
  const scope = read === 'kept' ? personScope(actor, today()) : null;
  if (scope !== null) {
    // The people held now by facility, from the counts kept per scope (migration 0015; decision
    // 0031): a few hundred rows, not a million open episodes — nor, for an embassy, its scope tested
    // for each of them. Occupancy is always today's. Who sees everyone sees every facility, empty
    // ones too; an embassy only those that hold some of its nationals.
    const { rows } = await sql<{ id: string; name: string; country_code: string; capacity: number; held: string | number | null }>`
      select f.id, f.name, f.country_code::text as country_code, f.capacity, coalesce(c.held, 0) as held
      from facilities f
      ${everyone ? sql`left join` : sql`join`} (
        select facility_id, sum(n) as held from custody_counts where scope = ${scope} group by facility_id ${everyone ? sql`` : sql`having sum(n) > 0`}
      ) c on c.facility_id = f.id
      order by f.name`.execute(db);
    return rows.map((r) => ({ facilityId: r.id, name: r.name, countryCode: r.country_code, capacity: r.capacity, held: Number(r.held) }));
  }
  const { rows } = await sql<{ id: string; name: string; country_code: string; capacity: number; held: string | number }>`
    select f.id, f.name, f.country_code::text as country_code, f.capacity, ${everyone ? sql`count(ce.person_id)` : sql`count(p.id)`} as held
    from facilities f
    left join custody_episodes ce on ce.facility_id = f.id and ce.released_on is null
    ${everyone ? sql`` : sql`left join persons p on p.id = ce.person_id and ${personVisibleTo(actor, asOf)}`}
    group by f.id, f.name, f.country_code, f.capacity
    ${actor.role === 'embassy' ? sql`having count(p.id) > 0` : sql``}
    order by f.name`.execute(db);
  return rows.map((r) => ({ facilityId: r.id, name: r.name, countryCode: r.country_code, capacity: r.capacity, held: Number(r.held) }));
}

export const CLEARING_AGENCIES = ['coordinator', 'judiciary', 'custody', 'security'] as const;

export interface PendingClearanceRow {
  readonly agency: (typeof CLEARING_AGENCIES)[number];
  readonly countryCode: string;
  /** Members of cases in `clearance` without a current approval from the agency. */
  readonly members: number;
}

/**
 * For each clearing agency, the members of cases in the `clearance` state whose latest decision
 * from that agency (up to the day) is missing, a denial or expired — the same reading as the
 * eligibility engine's `effectiveClearance`. Index clearances_case_person_idx.
 */
export async function pendingClearances(db: Executor, actor: Actor, asOf: IsoDate, read: FiguresRead = 'kept'): Promise<PendingClearanceRow[]> {
  if (read === 'kept' && asOf === today() && seesEveryone(actor)) {
    // Who sees every case: from the counts of the members' standing with each agency, by the day an
    // approval runs out (migration 0015; decision 0031). Decisions are never dated ahead of the day.
    const { rows } = await sql<{ agency: PendingClearanceRow['agency']; country_code: string; n: string | number }>`
      select agency, country_code, sum(n) as n from clearance_counts
      where scope = '' and (standing < 2 or valid_until < ${asOf}::date)
      group by agency, country_code having sum(n) > 0
      order by agency, country_code`.execute(db);
    return rows.map((r) => ({ agency: r.agency, countryCode: r.country_code, members: Number(r.n) }));
  }
  if (read === 'kept' && asOf === today() && actor.role === 'embassy') {
    // An embassy: its cases in clearance from the flag kept on each case (decision 0033), their members'
    // standing from the rows kept per member and agency (migration 0015) — a narrow row each, not the
    // members' wide rows (they hold the verdicts) and a search for each one's latest decision. Each
    // member is tested once for the embassy's sight of them, then counted for each agency.
    const { rows } = await sql<{ agency: PendingClearanceRow['agency']; country_code: string; n: string | number }>`
      with pending as (
        select cf.case_id, cf.person_id, cf.agency, c.country_code::text as country_code
        from cases c join clearance_figures cf on cf.case_id = c.id
        where c.state = 'clearance' and ${embassyCases(actor)}
          and (cf.decision is null or cf.decision = 'deny' or (cf.valid_until is not null and cf.valid_until < ${asOf}::date))
      ),
      seen as (
        select m.person_id from (select distinct person_id from pending) m
        join persons p on p.id = m.person_id where ${personVisibleTo(actor, asOf)}
      )
      select pending.agency, pending.country_code, count(*) as n
      from pending join seen on seen.person_id = pending.person_id
      group by pending.agency, pending.country_code
      order by pending.agency, pending.country_code`.execute(db);
    return rows.map((r) => ({ agency: r.agency, countryCode: r.country_code, members: Number(r.n) }));
  }
  // Set-wise: the latest decision of each (case, member, agency) up to the day, read once for the
  // cases in clearance (distinct on, one sort), then joined to the members × agencies; a probe per
  // member and agency with a second probe for a later decision cost 0.45 s at 200,000 people.
  const cases = caseVisibleTo(actor, asOf);
  const { rows } = await sql<{ agency: PendingClearanceRow['agency']; country_code: string; n: string | number }>`
    with cc as (
      select c.id, c.country_code::text as country_code from cases c where c.state = 'clearance' and ${cases}
    ),
    -- Each case's members and clearances by the case's index (lateral, fenced by offset 0: a probe per
    -- case in clearance, not a pass over every member's wide row and every clearance of the registry).
    members as (
      select cc.id as case_id, cc.country_code, cm.person_id from cc
      cross join lateral (select cm.person_id from case_members cm where cm.case_id = cc.id and cm.current offset 0) cm
      ${seesEveryone(actor) ? sql`` : sql`join persons p on p.id = cm.person_id where ${personVisibleTo(actor, asOf)}`}
    ),
    latest as (
      select cc.id as case_id, l.person_id, l.agency, l.decision, l.valid_until from cc
      cross join lateral (
        select distinct on (cl.person_id, cl.agency) cl.person_id, cl.agency, cl.decision, cl.valid_until
        from clearances cl
        where cl.case_id = cc.id and cl.decided_on <= ${asOf}::date
        order by cl.person_id, cl.agency, cl.decided_on desc, cl.created_at desc
      ) l
    )
    select a.agency, m.country_code, count(*) as n
    from members m
    cross join (values ${sql.join(CLEARING_AGENCIES.map((a) => sql`(${a}::text)`))}) as a (agency)
    left join latest l on l.case_id = m.case_id and l.person_id = m.person_id and l.agency = a.agency
    where l.case_id is null or l.decision = 'deny' or (l.valid_until is not null and l.valid_until < ${asOf}::date)
    group by a.agency, m.country_code
    order by a.agency, m.country_code`.execute(db);
  return rows.map((r) => ({ agency: r.agency, countryCode: r.country_code, members: Number(r.n) }));
}

export interface DaysToReturnRow {
  /** null: every country together. */
  readonly countryCode: string | null;
  /** Returned people whose identification date is known. */
  readonly people: number;
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Days from identification — the home country's confirmation of the nationality (the verified
 * nationality's decision, or a mission's "confirmed" answer, whichever came first) — to the handover,
 * per country and for all: median and 90th percentile.
 */
export async function daysToReturn(db: Executor, actor: Actor, asOf: IsoDate, read: FiguresRead = 'kept'): Promise<DaysToReturnRow[]> {
  const scope = read === 'kept' ? returnScope(actor, asOf) : null;
  if (scope !== null) {
    // The histogram of days per country (a few thousand rows); the percentiles as percentile_cont reads them.
    const { rows } = await sql<{ country_code: string; days: number; n: string | number }>`
      select country_code, days, sum(n) as n from return_day_counts where scope = ${scope}
      group by country_code, days having sum(n) > 0`.execute(db);
    // Sorted here, by number: tens of thousands of bins at national scale, sorted faster than by the server's collation.
    rows.sort((a, b) => (a.country_code < b.country_code ? -1 : a.country_code > b.country_code ? 1 : a.days - b.days));
    const byCountry = new Map<string | null, Array<{ days: number; n: number }>>();
    const all = new Map<number, number>();
    for (const r of rows) {
      const bins = byCountry.get(r.country_code) ?? [];
      bins.push({ days: r.days, n: Number(r.n) });
      byCountry.set(r.country_code, bins);
      all.set(r.days, (all.get(r.days) ?? 0) + Number(r.n));
    }
    if (rows.length === 0) return [];
    const summary = (countryCode: string | null, bins: ReadonlyArray<{ days: number; n: number }>): DaysToReturnRow => {
      const total = bins.reduce((sum, b) => sum + b.n, 0);
      const round = (v: number) => Math.round(v * 10) / 10;
      return { countryCode, people: total, median: round(percentileOf(bins, total, 0.5)), p90: round(percentileOf(bins, total, 0.9)), min: bins[0]?.days ?? 0, max: bins[bins.length - 1]?.days ?? 0 };
    };
    const everyone = [...all.entries()].sort((a, b) => a[0] - b[0]).map(([days, n]) => ({ days, n }));
    return [summary(null, everyone), ...[...byCountry.entries()].map(([code, bins]) => summary(code, bins))];
  }
  const { rows } = await sql<{ country_code: string | null; n: string | number; median: string | number; p90: string | number; min: number; max: number }>`
    with r as (
      select h.person_id, m.country_code::text as country_code, ${handedOverOn} as returned_on
      from handovers h join movements m on m.id = h.movement_id ${seesEveryone(actor) ? sql`` : sql`join persons p on p.id = h.person_id`}
      where ${visibleReturns(actor, asOf)}
    ),
    -- The confirmations of the returned people, joined set-wise (a subquery per handover costs two
    -- index lookups each, and a national registry holds a hundred thousand handovers).
    confirmed as (
      select pn.person_id, pn.country_code::text as country_code, (pn.decided_at at time zone 'UTC')::date as d
      from person_nationalities pn join (select distinct person_id, country_code from r) rr on rr.person_id = pn.person_id and rr.country_code = pn.country_code
      where pn.status = 'verified' and pn.decided_at is not null
      union all
      select vi.person_id, vr.country_code::text, (vi.answered_at at time zone 'UTC')::date
      from verification_items vi join verification_requests vr on vr.id = vi.request_id
        join (select distinct person_id, country_code from r) rr on rr.person_id = vi.person_id and rr.country_code = vr.country_code
      where vi.answer = 'confirmed'
    ),
    identified as (select person_id, country_code, min(d) as identified_on from confirmed group by person_id, country_code),
    joined as (select r.country_code, r.returned_on, i.identified_on from r join identified i on i.person_id = r.person_id and i.country_code = r.country_code)
    select country_code, count(*) as n,
      percentile_cont(0.5) within group (order by returned_on - identified_on) as median,
      percentile_cont(0.9) within group (order by returned_on - identified_on) as p90,
      min(returned_on - identified_on) as min, max(returned_on - identified_on) as max
    from joined
    where identified_on is not null and identified_on <= returned_on
    group by grouping sets ((country_code), ())
    order by country_code nulls first`.execute(db);
  return rows.map((r) => ({ countryCode: r.country_code, people: Number(r.n), median: Math.round(Number(r.median) * 10) / 10, p90: Math.round(Number(r.p90) * 10) / 10, min: Number(r.min), max: Number(r.max) }));
}

export interface NationalityCount {
  readonly countryCode: string | null;
  readonly children: number;
  readonly adults: number;
}

/** The returns table of the public statistics: people handed over up to the day, by country, children (on the day of return) and adults. */
export async function returnsByNationality(db: Executor, actor: Actor, asOf: IsoDate, read: FiguresRead = 'kept'): Promise<NationalityCount[]> {
  const scope = read === 'kept' ? returnScope(actor, asOf) : null;
  if (scope !== null) {
    const { rows } = await sql<{ country_code: string; children: string | number; adults: string | number }>`
      select country_code, coalesce(sum(n) filter (where child), 0) as children, coalesce(sum(n) filter (where not child), 0) as adults
      from return_month_counts where scope = ${scope}
      group by country_code having sum(n) > 0
      order by 1`.execute(db);
    return rows.map((r) => ({ countryCode: r.country_code, children: Number(r.children), adults: Number(r.adults) }));
  }
  const { rows } = await sql<{ country_code: string; children: string | number; adults: string | number }>`
    select m.country_code::text as country_code,
      count(*) filter (where ${couldBeChildOn(handedOverOn)}) as children,
      count(*) filter (where not ${couldBeChildOn(handedOverOn)}) as adults
    from handovers h join movements m on m.id = h.movement_id join persons p on p.id = h.person_id
    where ${visibleReturns(actor, asOf)}
    group by 1
    order by 1`.execute(db);
  return rows.map((r) => ({ countryCode: r.country_code, children: Number(r.children), adults: Number(r.adults) }));
}

/** The held table of the public statistics: people in custody on the day, by nationality, children and adults on that day. */
export async function heldByNationality(db: Executor, actor: Actor, asOf: IsoDate, read: FiguresRead = 'kept'): Promise<NationalityCount[]> {
  const counted = read === 'kept' ? await keptCounts(db, actor, asOf) : null;
  if (counted) {
    const byNat = new Map<string | null, { countryCode: string | null; children: number; adults: number }>();
    for (const c of counted) {
      if (!c.held) continue;
      const row = byNat.get(c.nat) ?? { countryCode: c.nat, children: 0, adults: 0 };
      if (c.kind === 'adult') row.adults += c.n;
      else row.children += c.n;
      byNat.set(c.nat, row);
    }
    const key = (v: string | null) => (v === null ? '\uffff' : v);
    return [...byNat.values()].filter((r) => r.children + r.adults > 0).sort((a, b) => (key(a.countryCode) < key(b.countryCode) ? -1 : key(a.countryCode) > key(b.countryCode) ? 1 : 0));
  }
  const nationality = nationalityOf(actor);
  const { rows } = await sql<{ country_code: string | null; children: string | number; adults: string | number }>`
    select nat as country_code, count(*) filter (where child) as children, count(*) filter (where not child) as adults
    from (
      select ${nationality.nat} as nat, ${couldBeChildOn(asOf)} as child
      from persons p ${nationality.join}
      join (select distinct ce.person_id from custody_episodes ce where ce.admitted_on <= ${asOf}::date and (ce.released_on is null or ce.released_on > ${asOf}::date)) held on held.person_id = p.id
      where p.merged_into is null and ${personVisibleTo(actor, asOf)}
    ) s
    group by nat
    order by nat nulls last`.execute(db);
  return rows.map((r) => ({ countryCode: r.country_code, children: Number(r.children), adults: Number(r.adults) }));
}

export interface CountryNames {
  readonly en: string;
  readonly ar: string;
  readonly ru: string;
  readonly fr: string;
}

/** The names of the countries in the figures, in the four languages. */
export async function countryNames(db: Executor, codes: readonly string[]): Promise<Map<string, CountryNames>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('countries').select(['code', 'name_en', 'name_ar', 'name_ru', 'name_fr']).where('code', 'in', [...codes]).execute();
  return new Map(rows.map((r) => [r.code, { en: r.name_en, ar: r.name_ar, ru: r.name_ru, fr: r.name_fr }]));
}
