/**
 * `homeward generate --people N [--seed S]`: a realistic synthetic deployment in
 * the configured database — the demo's users (one per role, an embassy per
 * country), facilities sized to the population, the countries' agreements, and
 * N people with everything the population module makes for them — written with
 * COPY in one transaction (all or nothing), then the cases' eligibility verdicts
 * computed as the application computes them and the planner's statistics
 * refreshed. Deterministic for a seed and an as-of date.
 */
import { sql } from 'kysely';
import { recordAudit } from '../audit/trail.ts';
import { refreshCaseEligibility } from '../commands/caseEligibility.ts';
import type { Tx } from '../db/database.ts';
import { createDemoUsers, type DemoUser } from '../demo/demo-users.ts';
import { isDatabaseEmpty } from '../demo/demo.ts';
import { Random } from '../demo/random.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { DomainError } from '../domain/errors.ts';
import { noteSealingKey, sealRow } from '../repositories/sealed-fields.ts';
import { generatePassword, passwordProblem } from '../security/passwords.ts';
import { analyze, type BulkSession, vacuumAnalyze } from './copy.ts';
import { NATIONALITIES } from './names.ts';
import { type Facility, GENERATED_TABLES, GENERATOR, type PopulationContext, PopulationGenerator, seededUuid } from './population.ts';

export interface GenerateOptions {
  readonly people: number;
  readonly seed?: string | undefined;
  readonly password?: string | undefined;
  readonly asOf?: string | undefined;
  /** People per chunk held in memory at once (default 20,000). */
  readonly chunk?: number | undefined;
  readonly onProgress?: ((message: string) => void) | undefined;
}

export interface GenerateResult {
  readonly people: number;
  readonly rows: Readonly<Record<string, number>>;
  /** Seconds spent writing each table (COPY; the audit trail through recordAudit). */
  readonly writing: Readonly<Record<string, number>>;
  readonly users: DemoUser[];
  readonly password: string;
  readonly passwordGenerated: boolean;
  readonly asOf: IsoDate;
  readonly seconds: { readonly load: number; readonly eligibility: number; readonly analyze: number; readonly total: number };
}

/** Fictional facility names; numbered when more are needed. */
const CAMP_NAMES = ['Al-Amal', 'Al-Noor', 'Al-Salam', 'Al-Rahma', 'Al-Fajr', 'Al-Hayat', 'Al-Wafa', 'Al-Khair'];

export async function generate(session: BulkSession, options: GenerateOptions): Promise<GenerateResult> {
  const started = Date.now();
  const say = options.onProgress ?? (() => {});
  const { db } = session;
  if (!(await isDatabaseEmpty(db))) {
    throw new DomainError('conflict', 'database_not_empty', 'the database already holds data; homeward generate writes only into an empty one');
  }
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const seed = options.seed ?? '1';
  const password = options.password ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new DomainError('invalid', 'weak_password', `--password ${problem}`);
  const rows: Record<string, number> = {};
  const count = (table: string, n: number) => {
    rows[table] = (rows[table] ?? 0) + n;
  };
  const writing: Record<string, number> = {};
  const spent = (table: string, ms: number) => {
    writing[table] = (writing[table] ?? 0) + ms / 1000;
  };

  let users: DemoUser[] = [];
  let eligibilitySeconds = 0;
  let loadSeconds = 0;
  await db.transaction().execute(async (tx) => {
    // The figures' per-person rows (migration 0013) are built once at the end, set-wise, instead of
    // by their triggers for every COPY.
    await sql`set local homeward.figures = 'deferred'`.execute(tx);
    // So are the cases' embassy flags (migration 0018): one set-wise pass at the end.
    await sql`set local homeward.case_flags = 'deferred'`.execute(tx);
    users = await createDemoUsers(tx, password);
    say(`  users made (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    const ctx = await referenceData(tx, options.people, asOf, seed);
    count('facilities', Object.values(ctx.facilities).flat().length);
    const generator = new PopulationGenerator(ctx, options.people, seed);
    const size = Math.max(100, options.chunk ?? 20_000);
    let made = 0;
    const caseIds: string[] = [];
    for (let chunk = generator.next(size); chunk; chunk = generator.next(size)) {
      for (const table of GENERATED_TABLES) {
        const list = chunk[table];
        // Receipts repeat nothing, but a file is stored once by its hash.
        const unique = table === 'files' ? [...new Map(list.map((f) => [f.sha256, f])).values()] : table === 'best_interests_determinations' ? sealedDeterminations(list) : list;
        const t0 = performance.now();
        await session.copy(table, unique);
        count(table, unique.length);
        spent(table, performance.now() - t0);
      }
      const t0 = performance.now();
      await recordAudit(tx, chunk.audits, ctx.now);
      count('audit_events', chunk.audits.length);
      spent('audit_events', performance.now() - t0);
      for (const c of chunk.cases) if (!['closed', 'rejected', 'withdrawn'].includes(c.state as string)) caseIds.push(c.id as string);
      made += chunk.people;
      say(`  ${made.toLocaleString('en')} of ${options.people.toLocaleString('en')} people written (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    // Best-interests content is sealed at rest (decision 0024): the key that sealed it is on record.
    if ((rows.best_interests_determinations ?? 0) > 0) await noteSealingKey(tx);
    const counters = generator.counters;
    // The application numbers what it makes next after what the generator made.
    if (counters.cases > 0) await sql`select setval('case_reference_seq', ${counters.cases})`.execute(tx);
    if (counters.movements > 0) await sql`select setval('movement_reference_seq', ${counters.movements})`.execute(tx);
    if (counters.invoices > 0) await sql`select setval('invoice_number_seq', ${counters.invoices})`.execute(tx);
    loadSeconds = (Date.now() - started) / 1000;
    const t = Date.now();
    // Statistics first: the planner has none for tables just filled, and would scan them for every case.
    await analyze(tx);
    say(`  computing the eligibility of ${caseIds.length.toLocaleString('en')} open cases…`);
    for (let i = 0; i < caseIds.length; i += 5000) await refreshCaseEligibility(tx, caseIds.slice(i, i + 5000), asOf);
    eligibilitySeconds = (Date.now() - t) / 1000;
    const tf = Date.now();
    await sql`select person_figures_rebuild()`.execute(tx);
    spent('person_figures', Date.now() - tf);
    const tc = Date.now();
    await sql`select case_embassy_rebuild()`.execute(tx);
    spent('case_embassy_flags', Date.now() - tc);
  });
  const t = Date.now();
  await vacuumAnalyze(db);
  const analyzeSeconds = (Date.now() - t) / 1000;
  return {
    people: options.people,
    rows,
    writing,
    users,
    password,
    passwordGenerated: options.password === undefined,
    asOf,
    seconds: { load: loadSeconds, eligibility: eligibilitySeconds, analyze: analyzeSeconds, total: (Date.now() - started) / 1000 },
  };
}

/** Facilities sized to the population, the countries' agreements, and the users who act in the generated history. */
async function referenceData(tx: Tx, people: number, asOf: IsoDate, seed: string): Promise<PopulationContext> {
  const random = new Random(`homeward-generate-reference:${seed}`);
  const userId = async (username: string) => (await tx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
  const custody = await tx.selectFrom('users').select(['id', 'agency_id']).where('username', '=', 'demo-custody').executeTakeFirstOrThrow();
  const users = {
    coordinator: await userId('demo-coordinator'),
    childProtection: await userId('demo-child-protection'),
    security: await userId('demo-security'),
    judiciary: await userId('demo-judiciary'),
    custody: custody.id,
  };
  // Shares of the population each kind of facility holds (see population.ts), and how many people one holds.
  const plan = [
    { use: 'camp', kind: 'camp', share: 0.45, perFacility: 20_000, name: (i: number) => `${CAMP_NAMES[i % CAMP_NAMES.length]} Camp${i >= CAMP_NAMES.length ? ` ${Math.floor(i / CAMP_NAMES.length) + 1}` : ''}`, authority: 'Camp administration', agency: null, country: 'IRQ' },
    { use: 'womenPrison', kind: 'prison', share: 0.2, perFacility: 2_000, name: (i: number) => `Women's Correctional Facility No. ${i + 1}`, authority: 'Ministry of Justice', agency: custody.agency_id, country: 'IRQ' },
    { use: 'menPrison', kind: 'prison', share: 0.3, perFacility: 3_000, name: (i: number) => `Central Prison No. ${i + 1}`, authority: 'Ministry of Justice', agency: custody.agency_id, country: 'IRQ' },
    { use: 'juvenile', kind: 'juvenile_facility', share: 0.02, perFacility: 300, name: (i: number) => `Juvenile Correctional Facility No. ${i + 1}`, authority: 'Ministry of Justice', agency: custody.agency_id, country: 'IRQ' },
    { use: 'care', kind: 'other', share: 0.05, perFacility: 500, name: (i: number) => `Children's Care Centre No. ${i + 1}`, authority: 'Ministry of Labour and Social Affairs', agency: null, country: 'IRQ' },
    { use: 'transitCamp', kind: 'camp', share: 0.1, perFacility: 30_000, name: (i: number) => `Transit Camp ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''} (across the border)`, authority: 'Autonomous administration', agency: null, country: 'SYR' },
  ] as const;
  const facilities: Record<string, Facility[]> = {};
  for (const p of plan) {
    const held = Math.max(1, Math.round(people * p.share));
    const n = Math.max(1, Math.min(500, Math.ceil(held / p.perFacility)));
    const values = Array.from({ length: n }, (_, i) => ({
      id: seededUuid(random),
      name: p.name(i),
      kind: p.kind,
      holding_authority: p.authority,
      agency_id: p.agency,
      country_code: p.country,
      // Some over capacity, as the seeds say the prisons are.
      capacity: Math.max(10, Math.round((held / n) * (0.75 + random.next() * 0.6))),
      updated_at: new Date(),
    }));
    const made = await tx.insertInto('facilities').values(values).returning(['id', 'country_code']).execute();
    facilities[p.use] = made.map((f) => ({ id: f.id, country: f.country_code }));
  }
  await recordAudit(tx, { action: 'facilities.generated', entityType: 'facility', actor: GENERATOR, after: { count: Object.values(facilities).flat().length } });

  // Agreements: Tajikistan's $400 a child (the seeds); others at fees of their own; a few countries have none.
  const agreements = new Map<string, { id: string; currency: string; perChild: number; perAdult: number }>();
  for (const n of NATIONALITIES) {
    if (['FIN', 'TTO', 'GEO'].includes(n.code)) continue;
    const perChild = n.code === 'TJK' ? 400 : random.pick([0, 150, 250, 300, 400, 500]);
    const perAdult = n.code === 'TJK' ? 400 : random.pick([0, 200, 400, 600]);
    const currency = ['DEU', 'FRA'].includes(n.code) ? 'EUR' : 'USD';
    const row = await tx
      .insertInto('country_agreements')
      .values({ id: seededUuid(random), country_code: n.code, title: `Memorandum on the return of nationals (${n.code})`, signed_on: '2019-03-01', valid_from: '2019-03-01', valid_until: null, currency, fee_per_child: perChild, fee_per_adult: perAdult, criteria: '[]', created_by: users.coordinator })
      .returning('id')
      .executeTakeFirstOrThrow();
    agreements.set(n.code, { id: row.id, currency, perChild, perAdult });
  }
  return {
    asOf,
    now: new Date(),
    facilities: facilities as unknown as PopulationContext['facilities'],
    users,
    agreements,
  };
}

/** The generator's determinations with their content sealed to their rows (decision 0024); the generator itself stays pure. */
function sealedDeterminations<R extends Record<string, unknown>>(rows: readonly R[]): R[] {
  return rows.map((row) => sealRow('best_interests_determinations', row));
}
