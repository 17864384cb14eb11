import { sql } from 'kysely';
import { type AuditEntry, recordAudit } from '../audit/trail.ts';
import { arrayLiteral } from '../db/bulk.ts';
import type { Db, Executor, Tx } from '../db/database.ts';
import { addDays, type IsoDate } from '../domain/birth-date.ts';
import { FINAL_STATES } from '../domain/case-machine.ts';

/**
 * Retention (issue 8, decision 0025): a case in a final state (`closed`, `rejected`, `withdrawn`) for
 * longer than the retention period is anonymised with its members, unless one of them is still
 * somewhere in the process — a member on another case that is not itself final for longer than the
 * period, in custody on the day, or on a movement not yet completed (or cancelled). The case is then
 * held back whole (a family is kept together here too) and looked at again on the next run.
 *
 * Anonymising a person erases what names or describes them and keeps what the figures count:
 * - erased or a fixed token: names (one primary name "Anonymised" is left, the page needs one), the
 *   display name, the search index (keys and text), the external reference, document numbers, the
 *   name in a document's machine-readable zone, document dates and scans, photos (rows and files),
 *   free text everywhere it concerns them (welfare, security and non-refoulement notes, custody
 *   notes, charge text, evidence summaries and sources, the mission's evidence, medical notes,
 *   consent notes and witness names, exemption notes, guardians' names and contact details,
 *   best-interests assessments and determinations, clearance reasons and conditions, assurance notes),
 *   the tracing request that found them (names sought, parents, place, notes, enquirer), handover
 *   receipts, match candidates (their explanations compare names), the values of their audit events;
 * - coarsened: the birth date to the year (January 1 of the earliest year to December 31 of the latest),
 *   never so far that someone who was an adult on the day of a handover would now read as a child; a
 *   date of death to its year;
 * - kept: sex, nationalities (with when they were confirmed), vital status, kind flags, family links
 *   (ids only), custody periods, proceedings' charge codes, verdicts and sentences, the case, its
 *   states, transitions and dates, movements and handovers: every figure of src/repositories/figures.ts.
 *
 * A sent manifest (a PDF naming every passenger) is erased once all its passengers are anonymised.
 * Each batch of cases is one transaction: its cases and people locked, checked again under the lock,
 * anonymised, its audit events recorded. Idempotent: a person or case carries `anonymised_at` and is
 * never chosen twice, so a second run (or a second delivery of the job) finds nothing more to do.
 */

export const ANONYMISED = 'Anonymised';
export const RETENTION_ACTOR = { system: 'retention' } as const;
const DEFAULT_BATCH = 100;

export interface RetentionOptions {
  /** The day the period is counted back from (today for the job). */
  readonly asOf: IsoDate;
  readonly retentionDays: number;
  /** Cases per transaction. */
  readonly batchSize?: number;
}

export type HoldReason = 'member_on_open_case' | 'member_in_custody' | 'member_on_movement';

export interface HeldBackCase {
  readonly caseId: string;
  readonly reasons: readonly HoldReason[];
}

export interface RetentionPlan {
  /** Cases that entered their final state before this day (UTC) are past the period. */
  readonly cutoff: IsoDate;
  readonly cases: readonly string[];
  readonly people: readonly string[];
  /** Past the period but held back, with why. */
  readonly heldBack: readonly HeldBackCase[];
}

export interface RetentionResult extends RetentionPlan {
  readonly filesDeleted: number;
  readonly auditValuesErased: number;
}

/** The first day a case closed on is still inside the period: closed before it, it is past. */
export const retentionCutoff = (asOf: IsoDate, retentionDays: number): IsoDate => addDays(asOf, -retentionDays);

const uuids = (ids: readonly string[]) => sql`${arrayLiteral(ids)}::uuid[]`;
const texts = (ids: readonly string[]) => sql`${arrayLiteral(ids)}::text[]`;
const finalStates = sql`(${sql.join(FINAL_STATES.map((s) => sql.lit(s)))})`;

/** Cases past the period, not yet anonymised, after `after` in id order (index cases_retention_idx). */
async function candidateCases(db: Executor, cutoff: IsoDate, after: string, limit: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from cases
    where state in ${finalStates} and anonymised_at is null and state_changed_at < ${cutoff}::date and id > ${after}::uuid
    order by id limit ${limit}`.execute(db);
  return rows.map((r) => r.id);
}

interface BatchPlan {
  readonly cases: string[];
  readonly people: string[];
  readonly heldBack: HeldBackCase[];
}

/**
 * Which of these cases may be anonymised now, and whom that anonymises: the members who did not leave
 * the case, and the records merged into them (a merged duplicate carries the same names). Locks the
 * cases and people first when `lock` (a transaction that will write): a case opened, a custody episode
 * or a passenger added for one of them meanwhile waits for this transaction (their foreign keys need
 * the person row), and whatever committed before the lock is seen by the checks below.
 */
async function planBatch(db: Executor, ids: readonly string[], cutoff: IsoDate, asOf: IsoDate, lock: boolean): Promise<BatchPlan> {
  if (ids.length === 0) return { cases: [], people: [], heldBack: [] };
  const forUpdate = lock ? sql`for update` : sql``;
  const { rows: cases } = await sql<{ id: string }>`
    select id from cases where id = any(${uuids(ids)}) and state in ${finalStates} and anonymised_at is null and state_changed_at < ${cutoff}::date
    order by id ${forUpdate}`.execute(db);
  if (cases.length === 0) return { cases: [], people: [], heldBack: [] };
  const caseIds = cases.map((c) => c.id);
  const { rows: members } = await sql<{ case_id: string; person_id: string }>`
    select case_id, person_id from case_members where case_id = any(${uuids(caseIds)}) and left_at is null`.execute(db);
  const memberIds = [...new Set(members.map((m) => m.person_id))].sort();
  if (lock && memberIds.length > 0) await sql`select id from persons where id = any(${uuids(memberIds)}) order by id for update`.execute(db);
  const { rows: checks } = memberIds.length === 0 ? { rows: [] } : await sql<{ id: string; anonymised: boolean; open_case: boolean; custody: boolean; movement: boolean }>`
    select p.id, p.anonymised_at is not null as anonymised,
      exists (select 1 from case_members o join cases oc on oc.id = o.case_id
        where o.person_id = p.id and not (oc.state in ${finalStates} and oc.state_changed_at < ${cutoff}::date)) as open_case,
      exists (select 1 from custody_episodes ce where ce.person_id = p.id and ce.admitted_on <= ${asOf}::date
        and (ce.released_on is null or ce.released_on > ${asOf}::date)) as custody,
      exists (select 1 from movement_passengers mp join movements mv on mv.id = mp.movement_id
        where mp.person_id = p.id and mp.active and mv.status not in ('completed', 'cancelled')) as movement
    from persons p where p.id = any(${uuids(memberIds)})`.execute(db);
  const byPerson = new Map(checks.map((c) => [c.id, c]));
  const eligible: string[] = [];
  const heldBack: HeldBackCase[] = [];
  const people = new Set<string>();
  for (const caseId of caseIds) {
    const ofCase = members.filter((m) => m.case_id === caseId).map((m) => byPerson.get(m.person_id)!);
    const reasons = new Set<HoldReason>();
    for (const c of ofCase) {
      if (c.anonymised) continue;
      if (c.open_case) reasons.add('member_on_open_case');
      if (c.custody) reasons.add('member_in_custody');
      if (c.movement) reasons.add('member_on_movement');
    }
    if (reasons.size > 0) {
      heldBack.push({ caseId, reasons: [...reasons].sort() });
      continue;
    }
    eligible.push(caseId);
    for (const c of ofCase) if (!c.anonymised) people.add(c.id);
  }
  if (people.size > 0) {
    const { rows: merged } = await sql<{ id: string }>`
      select id from persons where merged_into = any(${uuids([...people])}) and anonymised_at is null order by id ${forUpdate}`.execute(db);
    for (const m of merged) people.add(m.id);
  }
  return { cases: eligible, people: [...people].sort(), heldBack };
}

/** What a run would do on the day, without changing anything (`homeward anonymise --dry-run`). */
export async function planAnonymisation(db: Db, options: RetentionOptions): Promise<RetentionPlan> {
  const cutoff = retentionCutoff(options.asOf, options.retentionDays);
  const batch = options.batchSize ?? DEFAULT_BATCH;
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (tx) => {
      const cases: string[] = [];
      const people = new Set<string>();
      const heldBack: HeldBackCase[] = [];
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const ids = await candidateCases(tx, cutoff, after, batch);
        if (ids.length === 0) break;
        const plan = await planBatch(tx, ids, cutoff, options.asOf, false);
        cases.push(...plan.cases);
        for (const p of plan.people) people.add(p);
        heldBack.push(...plan.heldBack);
        after = ids[ids.length - 1]!;
      }
      return { cutoff, cases, people: [...people].sort(), heldBack };
    });
}

/** Anonymises every case past the period on the day, a batch per transaction. */
export async function anonymiseExpired(db: Db, options: RetentionOptions): Promise<RetentionResult> {
  const cutoff = retentionCutoff(options.asOf, options.retentionDays);
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const cases: string[] = [];
  const people: string[] = [];
  const heldBack: HeldBackCase[] = [];
  let filesDeleted = 0;
  let auditValuesErased = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const ids = await candidateCases(db, cutoff, after, batch);
    if (ids.length === 0) break;
    const done = await db.transaction().execute(async (tx) => {
      const plan = await planBatch(tx, ids, cutoff, options.asOf, true);
      if (plan.cases.length === 0) return { plan, files: 0, values: 0 };
      const { files, values } = await anonymise(tx, plan, options, cutoff);
      return { plan, files, values };
    });
    cases.push(...done.plan.cases);
    people.push(...done.plan.people);
    heldBack.push(...done.plan.heldBack);
    filesDeleted += done.files;
    auditValuesErased += done.values;
    after = ids[ids.length - 1]!;
  }
  return { cutoff, cases, people, heldBack, filesDeleted, auditValuesErased };
}

/** One batch's writes, inside its transaction. */
async function anonymise(tx: Tx, plan: BatchPlan, options: RetentionOptions, cutoff: IsoDate): Promise<{ files: number; values: number }> {
  const now = new Date();
  const P = uuids(plan.people);
  const C = uuids(plan.cases);
  const files: string[] = [];
  const collect = (rows: readonly { sha256: string | null }[]) => {
    for (const r of rows) if (r.sha256) files.push(r.sha256);
  };

  // The records that point at them, found before anything changes (their audit events are erased below).
  const { rows: consents } = await sql<{ id: string }>`
    select id from consent_records where given_by = any(${P})
    union select consent_id from consent_children where child_id = any(${P})`.execute(tx);
  const consentIds = consents.map((r) => r.id);
  const { rows: guardians } = await sql<{ id: string }>`select id from guardians where child_id = any(${P})`.execute(tx);
  const { rows: tracing } = await sql<{ id: string }>`select id from tracing_requests where found_person_id = any(${P})`.execute(tx);

  if (plan.people.length > 0) {
    // The person: names and free text gone, the birth date to the year. A person who was an adult on
    // the day of a handover stays one on that day (the returns' children and adults do not change).
    await sql`
      update persons p set
        display_name = ${ANONYMISED}, external_ref = null, birth_text = null,
        birth_earliest = x.earliest, birth_latest = x.latest,
        birth_precision = case when x.earliest = make_date(extract(year from x.earliest)::int, 1, 1) and x.latest = make_date(extract(year from x.earliest)::int, 12, 31) then 'year' else 'estimated' end,
        vital_date = case when p.vital_date is null then null else make_date(extract(year from p.vital_date)::int, 1, 1) end,
        non_refoulement_note = null, welfare_notes = null, security_notes = null,
        search_keys = '{}', search_text = '', anonymised_at = ${now}, version = p.version + 1, updated_at = ${now}
      from (
        select q.id, make_date(extract(year from q.birth_earliest)::int, 1, 1) as earliest,
          least(make_date(extract(year from q.birth_latest)::int, 12, 31), coalesce((
            select min(((h.received_at at time zone 'UTC')::date - interval '18 years')::date) from handovers h
            where h.person_id = q.id and q.birth_latest <= ((h.received_at at time zone 'UTC')::date - interval '18 years')::date), 'infinity'::date)) as latest
        from persons q where q.id = any(${P})
      ) x
      where p.id = x.id`.execute(tx);
    await sql`delete from person_names where person_id = any(${P})`.execute(tx);
    await sql`insert into person_names (person_id, kind, script, full_name, latin) select id, 'primary', 'latin', ${ANONYMISED}, ${ANONYMISED.toLowerCase()} from unnest(${P}) as u(id)`.execute(tx);
    await sql`update person_nationalities set source = null where person_id = any(${P}) and source is not null`.execute(tx);
    collect((await sql<{ sha256: string | null }>`
      update identity_documents d set number = null, holder_name_icao = null, issued_on = null, expires_on = null, file_sha256 = null, version = d.version + 1
      from identity_documents prev where prev.id = d.id and d.person_id = any(${P}) returning prev.file_sha256 as sha256`.execute(tx)).rows);
    collect((await sql<{ sha256: string | null }>`delete from photos where person_id = any(${P}) returning file_sha256 as sha256`.execute(tx)).rows);
    await sql`update custody_episodes set notes = null where person_id = any(${P}) and notes is not null`.execute(tx);
    await sql`update proceedings set charge_text = null where person_id = any(${P}) and charge_text is not null`.execute(tx);
    await sql`update identity_evidence set summary = null, source = null, laboratory = null where person_id = any(${P})`.execute(tx);
    await sql`update verification_items set evidence = null where person_id = any(${P}) and evidence is not null`.execute(tx);
    await sql`delete from match_candidates where person_id = any(${P}) or other_person_id = any(${P})`.execute(tx);
    await sql`update medical_assessments set notes = null where person_id = any(${P}) and notes is not null`.execute(tx);
    collect((await sql<{ sha256: string | null }>`
      update handovers h set receipt_sha256 = null from handovers prev
      where prev.id = h.id and h.person_id = any(${P}) and prev.receipt_sha256 is not null returning prev.receipt_sha256 as sha256`.execute(tx)).rows);
    await sql`update guardians set full_name = ${ANONYMISED}, contact = null, address = null, verified_by = null where child_id = any(${P})`.execute(tx);
    collect((await sql<{ sha256: string | null }>`
      update consent_exemptions e set note = null, file_sha256 = null from consent_exemptions prev
      where prev.id = e.id and e.child_id = any(${P}) returning prev.file_sha256 as sha256`.execute(tx)).rows);
    await sql`update best_interests_assessments set summary = null, recommendation = null where child_id = any(${P})`.execute(tx);
    await sql`update best_interests_determinations set recommendation = null, reasoning = null, dissent = null where child_id = any(${P})`.execute(tx);
    await sql`
      update clearances set reasons = null,
        conditions = case when decision = 'approve_with_conditions' then array[${ANONYMISED}]::text[] else '{}'::text[] end
      where person_id = any(${P})`.execute(tx);
    await sql`
      update tracing_requests set sought_names = array[${ANONYMISED}]::text[], sought_birth_earliest = null, sought_birth_latest = null, sought_birth_text = null,
        mother_name = null, father_name = null, last_known_place = null, notes = null,
        enquirer_name = ${ANONYMISED}, enquirer_contact = null, version = version + 1, updated_at = ${now}
      where found_person_id = any(${P})`.execute(tx);
  }
  if (consentIds.length > 0) {
    collect((await sql<{ sha256: string | null }>`
      update consent_records c set note = null, witness_name = null, file_sha256 = null,
        voided_reason = case when c.voided_at is null then null else ${ANONYMISED} end, version = c.version + 1
      from consent_records prev where prev.id = c.id and c.id = any(${uuids(consentIds)}) returning prev.file_sha256 as sha256`.execute(tx)).rows);
  }
  // The case: its title and the reasons given along the way; its states and dates stay.
  collect((await sql<{ sha256: string | null }>`
    update legal_assurances a set note = null, file_sha256 = null from legal_assurances prev
    where prev.id = a.id and (a.case_id = any(${C}) or a.person_id = any(${P})) returning prev.file_sha256 as sha256`.execute(tx)).rows);
  await sql`update case_transitions set reason = null where case_id = any(${C}) and reason is not null`.execute(tx);
  await sql`update case_members set eligibility = null where case_id = any(${C}) and eligibility is not null`.execute(tx);
  await sql`update cases set title = null, anonymised_at = ${now}, version = version + 1, updated_at = ${now} where id = any(${C})`.execute(tx);

  // A sent manifest names every passenger: erased once none of them is left to anonymise.
  if (plan.people.length > 0) {
    const { rows: movements } = await sql<{ id: string }>`
      select distinct mp.movement_id as id from movement_passengers mp where mp.person_id = any(${P})
      except select mp.movement_id from movement_passengers mp join persons p on p.id = mp.person_id where p.anonymised_at is null`.execute(tx);
    if (movements.length > 0) {
      const M = uuids(movements.map((m) => m.id));
      collect((await sql<{ sha256: string | null }>`
        update movements m set sent_manifest_sha256 = null, sent_manifest_at = null, version = m.version + 1, updated_at = ${now}
        from movements prev where prev.id = m.id and m.id = any(${M}) and prev.sent_manifest_sha256 is not null returning prev.sent_manifest_sha256 as sha256`.execute(tx)).rows);
      collect((await sql<{ sha256: string | null }>`
        update movement_events e set manifest_sha256 = null from movement_events prev
        where prev.id = e.id and e.movement_id = any(${M}) and prev.manifest_sha256 is not null returning prev.manifest_sha256 as sha256`.execute(tx)).rows);
    }
  }
  const deleted = await deleteUnreferencedFiles(tx, files);

  // The audit trail: the values of their events (names, notes, what was typed) are erased; the chained
  // fields (action, entity id, who, when) hold no names and stay, so the chains still verify.
  const erased = await sql<{ event_id: number }>`
    update audit_values v set data = null, erased_at = ${now}
    from audit_events e
    where e.id = v.event_id and v.data is not null and (
      (e.entity_type = 'person' and e.entity_id = any(${texts(plan.people)}))
      or (e.entity_type = 'case' and e.entity_id = any(${texts(plan.cases)}))
      or (e.entity_type = 'tracing_request' and e.entity_id = any(${texts(tracing.map((r) => r.id))}))
      or (e.entity_type = 'consent_record' and e.entity_id = any(${texts(consentIds)}))
      or (e.entity_type = 'guardian' and e.entity_id = any(${texts(guardians.map((r) => r.id))})))
    returning v.event_id`.execute(tx);

  const entries: AuditEntry[] = [
    ...plan.cases.map((id) => ({ action: 'case.anonymised', entityType: 'case', entityId: id, actor: RETENTION_ACTOR, context: { asOf: options.asOf, retentionDays: options.retentionDays, closedBefore: cutoff } })),
    ...plan.people.map((id) => ({ action: 'person.anonymised', entityType: 'person', entityId: id, actor: RETENTION_ACTOR, context: { asOf: options.asOf, retentionDays: options.retentionDays } })),
  ];
  await recordAudit(tx, entries, now);
  return { files: deleted, values: erased.rows.length };
}

/**
 * Deletes the files no row points at any more. The columns that point at `files` are read from the
 * catalogue (every foreign key to it), so a table added later is never forgotten: a file another
 * record still uses (the same scan attached twice) is kept.
 */
async function deleteUnreferencedFiles(tx: Tx, candidates: readonly string[]): Promise<number> {
  const shas = [...new Set(candidates)];
  if (shas.length === 0) return 0;
  const { rows: refs } = await sql<{ nsp: string; tbl: string; col: string }>`
    select n.nspname as nsp, r.relname as tbl, a.attname as col
    from pg_constraint c
    join pg_class r on r.oid = c.conrelid
    join pg_namespace n on n.oid = r.relnamespace
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
    where c.contype = 'f' and c.confrelid = 'files'::regclass
    order by 1, 2, 3`.execute(tx);
  const unused = refs.map((r) => sql`and not exists (select 1 from ${sql.id(r.nsp, r.tbl)} x where x.${sql.id(r.col)} = f.sha256)`);
  const { rows } = await sql<{ sha256: string }>`
    delete from files f where f.sha256 = any(${texts(shas)}) ${sql.join(unused, sql` `)} returning f.sha256`.execute(tx);
  return rows.length;
}
