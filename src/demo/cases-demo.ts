import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit, type SystemActor } from '../audit/trail.ts';
import { refreshCaseEligibility } from '../commands/caseEligibility.ts';
import type { Tx } from '../db/database.ts';
import { addDays, type IsoDate } from '../domain/birth-date.ts';
import type { CaseState } from '../domain/case-machine.ts';
import { noteSealingKey, sealRow } from '../repositories/sealed-fields.ts';
import { Random } from './random.ts';

const SYSTEM: SystemActor = { system: 'demo' };

export interface CasesDemoResult {
  readonly cases: number;
  readonly tajikChildren: number;
  readonly tajikEligible: number;
}

interface Member {
  readonly id: string;
  readonly ref: string;
  readonly motherId: string | null;
  readonly motherAlive: boolean;
  readonly fatherAlive: boolean;
  readonly unaccompanied: boolean;
}

/** What the demo has recorded for a family's case; each `false` is a criterion that does not hold yet. */
interface Readiness {
  readonly nationality: boolean;
  readonly identity: boolean;
  readonly guardianVerified: boolean | null;
  readonly assurance: boolean;
  readonly consent: 'given' | 'refused' | 'none';
  readonly bestInterests: 'final' | 'under_review' | 'none';
  readonly clearances: readonly ('coordinator' | 'judiciary' | 'custody' | 'security')[];
}

const READY: Readiness = { nationality: true, identity: true, guardianVerified: true, assurance: true, consent: 'given', bestInterests: 'final', clearances: ['coordinator', 'judiciary', 'custody', 'security'] };

/** The transitions that bring a new case to `state`, in order (the history a case page shows). */
const PATH: Readonly<Partial<Record<CaseState, readonly [string, CaseState][]>>> = {
  identification: [],
  nationality_verification: [['start_verification', 'nationality_verification']],
  assessment: [
    ['start_verification', 'nationality_verification'],
    ['start_assessment', 'assessment'],
  ],
  clearance: [
    ['start_verification', 'nationality_verification'],
    ['start_assessment', 'assessment'],
    ['request_clearance', 'clearance'],
  ],
  approved: [
    ['start_verification', 'nationality_verification'],
    ['start_assessment', 'assessment'],
    ['request_clearance', 'clearance'],
    ['approve', 'approved'],
  ],
};

/** Children of a country by mother (a family each), the children alone last, in the registry's order. */
async function familiesOf(tx: Tx, country: string): Promise<Member[][]> {
  const rows = await sql<Member>`
    select c.id, c.external_ref as ref, m.id as "motherId", coalesce(m.vital_status = 'alive', false) as "motherAlive",
      coalesce((select f.vital_status = 'alive' from family_links fl join persons f on f.id = fl.relative_id where fl.person_id = c.id and fl.relation = 'father' limit 1), false) as "fatherAlive",
      c.unaccompanied
    from persons c
    left join family_links ml on ml.person_id = c.id and ml.relation = 'mother'
    left join persons m on m.id = ml.relative_id
    where c.external_ref like ${`DEMO-${country}-C-%`}
    order by c.external_ref`.execute(tx);
  const byMother = new Map<string, Member[]>();
  const alone: Member[][] = [];
  for (const r of rows.rows) {
    if (!r.motherId || !r.motherAlive) alone.push([r]);
    else byMother.set(r.motherId, [...(byMother.get(r.motherId) ?? []), r]);
  }
  return [...byMother.values(), ...alone];
}

interface Ctx {
  readonly tx: Tx;
  readonly asOf: IsoDate;
  readonly random: Random;
  readonly users: Readonly<Record<string, string>>;
  cases: number;
}

/** One case for a family (children whose mother stays behind, serving her sentence) or a child alone, with the facts `ready` says. */
async function familyCase(ctx: Ctx, country: string, family: readonly Member[], state: CaseState, ready: Readiness, title: string): Promise<string> {
  const { tx, asOf, random, users } = ctx;
  ctx.cases += 1;
  const seq = await sql<{ n: string }>`select nextval('case_reference_seq')::text as n`.execute(tx);
  const opened = addDays(asOf, -random.int(60, 200));
  const row = await tx
    .insertInto('cases')
    .values({
      reference: `${country}-${asOf.slice(0, 4)}-${String(seq.rows[0]?.n ?? '0').padStart(4, '0')}`,
      country_code: country,
      kind: family.length > 1 ? 'family' : 'individual',
      state,
      title,
      opened_by: users.coordinator ?? null,
      state_changed_at: new Date(`${addDays(asOf, -random.int(2, 20))}T10:00:00Z`),
      created_at: new Date(`${opened}T09:00:00Z`),
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await tx.insertInto('case_members').values(family.map((m) => ({ case_id: row.id, person_id: m.id, role: 'child' }))).execute();
  const steps: [string, CaseState][] = [['open', 'identification'], ...(PATH[state] ?? [])];
  await tx
    .insertInto('case_transitions')
    .values(
      steps.map(([transition, to], i) => ({
        case_id: row.id,
        transition,
        from_state: i === 0 ? null : (steps[i - 1]?.[1] ?? null),
        to_state: to,
        actor_user_id: users.coordinator ?? null,
        occurred_at: new Date(`${addDays(opened, i * 12)}T10:00:00Z`),
      })),
    )
    .execute();
  const ids = family.map((m) => m.id);
  const decided = addDays(asOf, -random.int(20, 40));
  if (ready.nationality) await tx.updateTable('person_nationalities').set({ status: 'verified', source: `mission of ${country}`, decided_at: new Date(`${decided}T10:00:00Z`) }).where('person_id', 'in', ids).where('country_code', '=', country).execute();
  for (const m of family) {
    if (ready.identity) {
      await tx
        .insertInto('identity_documents')
        .values({ person_id: m.id, kind: 'birth_certificate', country_code: country, number: `${country}-BC-${m.ref.slice(-3)}${random.int(1000, 9999)}` })
        .execute();
      await tx
        .insertInto('identity_evidence')
        .values({ person_id: m.id, kind: 'document', observed_on: decided, supports: true, summary: 'Birth certificate sent by the home registry; names and dates agree.', source: `mission of ${country}`, recorded_by: users.coordinator ?? null })
        .execute();
    }
    if (ready.guardianVerified !== null) {
      await tx
        .insertInto('guardians')
        .values({
          child_id: m.id,
          full_name: country === 'RUS' ? 'Бабушка по матери (демо)' : 'Бибигул Р. (демо)',
          relation: 'grandparent',
          verification: ready.guardianVerified ? 'verified' : 'unverified',
          verified_by: ready.guardianVerified ? 'embassy interview and birth records' : null,
          contact: '+000 00 000 00 00',
          country_code: country,
          recorded_by: users[`embassy:${country}`] ?? null,
        })
        .execute();
    }
    if (ready.bestInterests !== 'none') {
      const bid = await tx
        .insertInto('best_interests_determinations')
        // The content is sealed at rest, bound to the row (decision 0024).
        .values(sealRow('best_interests_determinations', {
          id: randomUUID(),
          child_id: m.id,
          status: ready.bestInterests,
          outcome: 'return',
          decided_on: addDays(asOf, -random.int(5, 30)),
          recommendation: 'Return to the grandmother, with follow-up by the home child-protection service.',
          reasoning: 'The grandmother is able and willing to care for the child; schooling and health care are available; the mother consents.',
          recorded_by: users.child_protection ?? null,
        }))
        .returning('id')
        .executeTakeFirstOrThrow();
      await noteSealingKey(tx);
      await tx
        .insertInto('best_interests_panel_members')
        .values(['Panel chair (child protection)', 'Social worker', 'Legal officer'].map((role, i) => ({ determination_id: bid.id, position: i + 1, name: `Panel member ${i + 1}`, role, undertaking_signed_on: addDays(asOf, -60) })))
        .execute();
    }
    for (const agency of ready.clearances) {
      await tx
        .insertInto('clearances')
        .values({ case_id: row.id, person_id: m.id, agency, decision: 'approve', decided_on: addDays(asOf, -random.int(1, 10)), valid_until: addDays(asOf, 180), reasons: 'No objection.', decided_by: users[agency] ?? null })
        .execute();
    }
  }
  if (ready.assurance) {
    await tx
      .insertInto('legal_assurances')
      .values({ case_id: row.id, type: "guarantee of the child's rights and no prosecution of children", given_on: addDays(asOf, -random.int(10, 40)), issuing_authority: `Ministry of Foreign Affairs of ${country}`, recorded_by: users[`embassy:${country}`] ?? null })
      .execute();
  }
  const mother = family[0]?.motherAlive ? family[0].motherId : null;
  if (mother && ready.consent !== 'none') {
    const consent = await tx
      .insertInto('consent_records')
      .values({
        given_by: mother,
        kind: ready.consent === 'given' ? 'consent' : 'refusal',
        decided_on: addDays(asOf, -random.int(10, 50)),
        language: country === 'RUS' || country === 'TJK' ? 'ru' : 'ar',
        witness_user_id: users.child_protection ?? null,
        witness_name: 'Child-protection officer (demo)',
        note: ready.consent === 'refused' ? 'The mother wants the children to stay with her until her release.' : null,
        recorded_by: users.child_protection ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.insertInto('consent_children').values(family.map((m) => ({ consent_id: consent.id, child_id: m.id }))).execute();
  }
  if (!mother) {
    for (const m of family) {
      await tx
        .insertInto('consent_exemptions')
        .values({ child_id: m.id, reason: m.fatherAlive ? 'no_parent_with_custody' : 'both_parents_deceased', recorded_on: addDays(asOf, -30), recorded_by: users.child_protection ?? null })
        .execute();
    }
  }
  return row.id;
}

/**
 * The cases part of the demo, the seeds' situations: Tajikistan's 92 children, 75 of them
 * eligible (guardians, assurances, their mothers' consent, best-interests determinations —
 * the mothers stay, serving their sentences — and the four clearances) and 17 held back, each
 * for a reason one can read (a mother who refused, a nationality not yet confirmed, a guardian
 * not verified, a determination under review, clearances outstanding); a Russian group with
 * guardians and assurances, approved and ready to fly; and cases of other countries at every
 * stage before departure. Verdicts are computed from these facts, as in the application.
 */
export async function loadCasesDemo(tx: Tx, asOf: IsoDate): Promise<CasesDemoResult> {
  const random = new Random(`homeward-cases-${asOf}`);
  const userRows = await tx.selectFrom('users').select(['id', 'role', 'country_code', 'username']).where('username', 'like', 'demo-%').execute();
  const users: Record<string, string> = {};
  for (const u of userRows) users[u.role === 'embassy' ? `embassy:${u.country_code}` : u.role] = u.id;
  const ctx: Ctx = { tx, asOf, random, users, cases: 0 };
  const caseIds: string[] = [];

  // Tajikistan: 92 children; 17 held back, whole families, each family for one reason.
  const tjk = await familiesOf(tx, 'TJK');
  const blockedReasons: [Partial<Readiness>, CaseState, string][] = [
    [{ consent: 'refused' }, 'assessment', 'Mother refused consent'],
    [{ nationality: false, identity: false, clearances: [] }, 'nationality_verification', 'Nationality not yet confirmed by the mission'],
    [{ guardianVerified: false, clearances: [] }, 'assessment', 'Guardian named, not yet verified'],
    [{ bestInterests: 'under_review', clearances: [] }, 'assessment', 'Best-interests determination under review'],
    [{ clearances: ['coordinator', 'judiciary'] }, 'clearance', 'Clearances outstanding (custody, security)'],
    [{ consent: 'none', clearances: [] }, 'assessment', 'Consent not yet recorded'],
  ];
  // "Not yet confirmed by the mission" goes to a family whose nationality the mission has not answered for.
  const claimedOnly = new Set(
    (await tx.selectFrom('person_nationalities').select('person_id').where('country_code', '=', 'TJK').where('status', '=', 'claimed').execute()).map((r) => r.person_id),
  );
  let blocked = 0;
  let reason = 0;
  const held = new Set<number>();
  // Families with a living mother are held back (the reasons are about consent and the mother); from the largest down, 17 children in all.
  const order = tjk.map((f, i) => [f, i] as const).filter(([f]) => f[0]?.motherAlive).sort((a, b) => b[0].length - a[0].length || a[1] - b[1]);
  // The smallest family the mission has not answered for is held first, whatever the day's draw (the population is drawn anew each day).
  const unconfirmed = [...order].reverse().find(([f]) => f.every((m) => claimedOnly.has(m.id)))?.[1];
  if (unconfirmed !== undefined) {
    held.add(unconfirmed);
    blocked += tjk[unconfirmed]?.length ?? 0;
  }
  for (const [family, i] of order) {
    if (held.has(i) || blocked + family.length > 17) continue;
    held.add(i);
    blocked += family.length;
    if (blocked === 17) break;
  }
  const [nationalityReason, ...otherReasons] = [blockedReasons[1], blockedReasons[0], ...blockedReasons.slice(2)] as [Partial<Readiness>, CaseState, string][];
  for (const [i, family] of tjk.entries()) {
    if (held.has(i)) {
      const [partial, state, title] = (i === unconfirmed ? nationalityReason : otherReasons[reason++ % otherReasons.length]) as [Partial<Readiness>, CaseState, string];
      caseIds.push(await familyCase(ctx, 'TJK', family, state, { ...READY, ...partial }, title));
    } else {
      const alone = !family[0]?.motherAlive;
      caseIds.push(await familyCase(ctx, 'TJK', family, 'approved', READY, alone ? 'Child alone: best-interests determination, return to the grandmother' : 'Children return; the mother stays and consents'));
    }
  }
  const tajikChildren = tjk.reduce((n, f) => n + f.length, 0);

  // Russia: the group of 33 with guardians (grandmothers) and assurances, approved, ready to fly.
  // The group is the first 33 children (each with a guardian named by the embassy); a brother or sister
  // after them, without one, stays behind, whatever the day's draw of families.
  const rus = (await familiesOf(tx, 'RUS')).map((f) => f.filter((m) => Number(m.ref.slice(-3)) <= 33)).filter((f) => f.length > 0);
  for (const family of rus) caseIds.push(await familyCase(ctx, 'RUS', family, 'approved', READY, 'Group of 33: guardians at home, assurances given'));

  // Other countries: a case at each stage before departure.
  const stages: [string, CaseState, Partial<Readiness>][] = [
    ['AZE', 'identification', { nationality: false, identity: false, guardianVerified: null, assurance: false, consent: 'none', bestInterests: 'none', clearances: [] }],
    ['KAZ', 'nationality_verification', { nationality: false, identity: false, guardianVerified: null, assurance: false, consent: 'none', bestInterests: 'none', clearances: [] }],
    ['UZB', 'assessment', { assurance: false, bestInterests: 'none', clearances: [] }],
    ['KGZ', 'clearance', { clearances: ['coordinator', 'custody'] }],
    ['TUR', 'approved', {}],
  ];
  for (const [country, state, partial] of stages) {
    const family = (await familiesOf(tx, country))[0];
    if (family) caseIds.push(await familyCase(ctx, country, family, state, { ...READY, ...partial }, `Demo case (${state.replace('_', ' ')})`));
  }
  const heldCase = (await familiesOf(tx, 'DEU'))[0];
  if (heldCase) {
    const id = await familyCase(ctx, 'DEU', heldCase, 'assessment', { ...READY, clearances: [] }, 'On hold: the mission asked to wait for a court decision at home');
    await tx.updateTable('cases').set({ state: 'on_hold', held_from: 'assessment' }).where('id', '=', id).execute();
    await tx.insertInto('case_transitions').values({ case_id: id, transition: 'hold', from_state: 'assessment', to_state: 'on_hold', reason: 'The mission asked to wait for a court decision at home.', actor_user_id: users.coordinator ?? null }).execute();
    caseIds.push(id);
  }

  await refreshCaseEligibility(tx, caseIds, asOf);
  const eligible = await tx
    .selectFrom('case_members as cm')
    .innerJoin('cases as c', 'c.id', 'cm.case_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('c.country_code', '=', 'TJK')
    .where('cm.eligible', '=', 'true')
    .executeTakeFirstOrThrow();
  await recordAudit(tx, { action: 'demo.cases_loaded', entityType: 'case', entityId: null, actor: SYSTEM, context: { cases: ctx.cases } });
  return { cases: ctx.cases, tajikChildren, tajikEligible: eligible.n };
}
