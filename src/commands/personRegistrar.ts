import { randomUUID } from 'node:crypto';
import { type Insertable, sql } from 'kysely';
import { openAuditBatches, recordAudit, type SystemActor } from '../audit/trail.ts';
import type { Tx } from '../db/database.ts';
import { anyOf, arrayLiteral, type BulkType } from '../db/bulk.ts';
import { type PreparedRows, rowsBuilder, writeRows } from '../db/copy.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../domain/actor.ts';
import { type BirthDate, futureBirthDateIssues, type IsoDate, toRange } from '../domain/birth-date.ts';
import { DomainError, invalid } from '../domain/errors.ts';
import { assembleFullName, type NewPerson } from '../domain/person.ts';
import { indexNames, latinOf, recordedScript } from '../registry/search-index.ts';

/** What the rules of a registration need to know from the database. */
export interface RegistrationFacts {
  /** The facility `input.custody` names, or undefined when there is no such facility. */
  readonly facility: { readonly agency_id: string | null } | undefined;
  /** Whether a country code is an ISO 3166 alpha-3 code the registry knows. */
  readonly isCountry: (code: string) => boolean;
}

/**
 * The rules every registration obeys (one person through the API, thousands
 * through an import, the demo): no birth in the future, no death before birth,
 * a custody officer places the person in one of their own agency's facilities,
 * admissions neither in the future nor before birth, known countries. Pure: the
 * caller looks up the facts. Returns the first rule broken, or null.
 */
export function registrationProblem(input: NewPerson, actor: Actor | SystemActor, asOf: IsoDate, facts: RegistrationFacts): DomainError | null {
  const future = futureBirthDateIssues(input.birthDate, asOf);
  if (future.length > 0) {
    return new DomainError('invalid', 'invalid_input', `birthDate: ${future[0]?.message}`, future.map((d) => ({ path: `body.birthDate.${d.path}`, message: d.message })));
  }
  const birth: BirthDate = toRange(input.birthDate);
  if (input.vitalDate && input.vitalDate < birth.earliest) return invalid('body.vitalDate', 'is before the person was born');
  if (input.vitalDate && input.vitalDate > asOf) return invalid('body.vitalDate', 'is in the future');
  const isCustodyOfficer = 'role' in actor && actor.role === 'custody';
  if (isCustodyOfficer && !input.custody) return invalid('body.custody', 'is required: say in which of your facilities the person is held');
  if (input.custody) {
    if (!facts.facility) return invalid('body.custody.facilityId', 'no such facility');
    if (isCustodyOfficer && facts.facility.agency_id !== (actor as Actor).agencyId) {
      const message = 'a custody officer registers people in their own agency’s facilities only';
      return new DomainError('forbidden', 'forbidden', message, [{ path: 'body.custody.facilityId', message }]);
    }
    if (input.custody.admittedOn > asOf) return invalid('body.custody.admittedOn', 'is in the future');
    if (input.custody.admittedOn < birth.earliest) return invalid('body.custody.admittedOn', 'is before the person was born');
  }
  for (const [i, n] of input.nationalities.entries()) {
    if (!facts.isCountry(n.countryCode)) return invalid(`body.nationalities.${i}.countryCode`, `${n.countryCode} is not an ISO 3166 alpha-3 country code`);
  }
  return null;
}

export function externalRefTaken(externalRef: string): DomainError {
  return new DomainError('conflict', 'external_ref_taken', `a person with the external reference ${externalRef} is already registered`, [
    { path: 'body.externalRef', message: 'is already registered' },
  ]);
}

/** The rows a registration writes, search columns included: the one place that decides them. */
export function registrationRows(input: NewPerson, personId: string, now: Date) {
  const birth: BirthDate = toRange(input.birthDate);
  const names = input.names.map((n, i) => ({ ...n, kind: i === 0 && !input.names.some((m) => m.kind === 'primary') ? 'primary' : n.kind, full: assembleFullName(n) }));
  const primary = names.find((n) => n.kind === 'primary') ?? (names[0] as (typeof names)[number]);
  const index = indexNames(names.map((n) => n.full));
  const v = input.vulnerability;
  const person = {
    id: personId,
    external_ref: input.externalRef ?? null,
    display_name: primary.full,
    sex: input.sex,
    birth_precision: birth.precision,
    birth_earliest: birth.earliest,
    birth_latest: birth.latest,
    birth_text: birth.text || null,
    vital_status: input.vitalStatus,
    vital_date: input.vitalDate ?? null,
    withheld_from_embassy: input.withheldFromEmbassy,
    unaccompanied: v?.unaccompanied ?? false,
    separated: v?.separated ?? false,
    orphan: v?.orphan ?? false,
    medical_needs: v?.medicalNeeds ?? false,
    welfare_notes: v?.notes ?? null,
    search_keys: index.searchKeys,
    search_text: index.searchText,
    updated_at: now,
  } satisfies Insertable<DB['persons']>;
  const personNames = names.map(
    (n) =>
      ({
        person_id: personId,
        kind: n.kind,
        script: recordedScript(n.full),
        given_name: n.givenName ?? null,
        father_name: n.fatherName ?? null,
        grandfather_name: n.grandfatherName ?? null,
        family_name: n.familyName ?? null,
        full_name: n.full,
        latin: latinOf(n.full),
      }) satisfies Insertable<DB['person_names']>,
  );
  const unique = new Map(input.nationalities.map((n) => [n.countryCode, n]));
  const nationalities = [...unique.values()].map(
    (n) => ({ person_id: personId, country_code: n.countryCode, status: n.status, source: 'registration', decided_at: n.status === 'verified' ? now : null }) satisfies Insertable<DB['person_nationalities']>,
  );
  const custody = input.custody ? ({ person_id: personId, facility_id: input.custody.facilityId, admitted_on: input.custody.admittedOn } satisfies Insertable<DB['custody_episodes']>) : null;
  return { person, names: personNames, nationalities, custody };
}

/**
 * Registers a person with their names, nationalities and, usually, where they
 * are held — all in the caller's transaction, audited. A custody officer must
 * place the person in one of their own agency's facilities (or they would lose
 * sight of the record the moment they made it).
 */
export async function registerPerson(tx: Tx, input: NewPerson, actor: Actor | SystemActor, asOf: IsoDate): Promise<string> {
  const facility = input.custody ? await tx.selectFrom('facilities').select(['id', 'agency_id']).where('id', '=', input.custody.facilityId).executeTakeFirst() : undefined;
  const codes = input.nationalities.map((n) => n.countryCode);
  const countries = new Set(codes.length > 0 ? (await tx.selectFrom('countries').select('code').where('code', 'in', codes).execute()).map((c) => c.code) : []);
  const problem = registrationProblem(input, actor, asOf, { facility, isCountry: (code) => countries.has(code) });
  if (problem) throw problem;
  if (input.externalRef && (await tx.selectFrom('persons').select('id').where('external_ref', '=', input.externalRef).executeTakeFirst())) {
    throw externalRefTaken(input.externalRef);
  }
  const rows = registrationRows(input, randomUUID(), new Date());
  await tx.insertInto('persons').values(rows.person).execute();
  await tx.insertInto('person_names').values(rows.names).execute();
  if (rows.nationalities.length > 0) await tx.insertInto('person_nationalities').values(rows.nationalities).execute();
  if (rows.custody) await tx.insertInto('custody_episodes').values(rows.custody).execute();
  await recordAudit(tx, { action: 'person.created', entityType: 'person', entityId: rows.person.id, actor, after: input });
  return rows.person.id;
}

export interface BulkRegistration {
  /** The person's id, one per input; null where the input was refused. */
  readonly ids: (string | null)[];
  /** The inputs refused, by index, with the error registerPerson would have thrown. */
  readonly refused: { readonly index: number; readonly error: DomainError }[];
}

type Rows = ReturnType<typeof registrationRows>;
const PERSON_COLUMNS = [
  ['id', 'uuid'],
  ['external_ref', 'text'],
  ['display_name', 'text'],
  ['sex', 'text'],
  ['birth_precision', 'text'],
  ['birth_earliest', 'date'],
  ['birth_latest', 'date'],
  ['birth_text', 'text'],
  ['vital_status', 'text'],
  ['vital_date', 'date'],
  ['withheld_from_embassy', 'boolean'],
  ['unaccompanied', 'boolean'],
  ['separated', 'boolean'],
  ['orphan', 'boolean'],
  ['medical_needs', 'boolean'],
  ['welfare_notes', 'text'],
  ['search_keys', 'text[]'],
  ['search_text', 'text'],
  ['updated_at', 'timestamptz'],
] as const satisfies readonly (readonly [keyof Rows['person'], BulkType])[];
const NAME_COLUMNS = [
  ['id', 'uuid'],
  ['person_id', 'uuid'],
  ['kind', 'text'],
  ['script', 'text'],
  ['given_name', 'text'],
  ['father_name', 'text'],
  ['grandfather_name', 'text'],
  ['family_name', 'text'],
  ['full_name', 'text'],
  ['latin', 'text'],
] as const satisfies readonly (readonly [keyof Rows['names'][number] | 'id', BulkType])[];
const NATIONALITY_COLUMNS = [
  ['person_id', 'uuid'],
  ['country_code', 'text'],
  ['status', 'text'],
  ['source', 'text'],
  ['decided_at', 'timestamptz'],
] as const satisfies readonly (readonly [keyof Rows['nationalities'][number], BulkType])[];
const CUSTODY_COLUMNS = [
  ['id', 'uuid'],
  ['person_id', 'uuid'],
  ['facility_id', 'uuid'],
  ['admitted_on', 'date'],
] as const satisfies readonly (readonly [keyof NonNullable<Rows['custody']> | 'id', BulkType])[];

/**
 * Registers many people in the caller's transaction with the rules and the rows
 * of registerPerson, set-based: the facts (facilities, countries, external refs
 * already registered) are looked up in a few queries, the rules checked in
 * memory, and the rows written a batch at a time — one COPY per table and batch
 * (db/copy.ts), each person with their own `person.created` audit event (chained
 * in order, written with COPY beside the batch: openAuditBatches). A refused
 * input is reported with the error registerPerson would have thrown, not thrown;
 * the others are written — the caller decides whether to roll back.
 * `ids` may assign ids in advance (so a caller can refer to people before they are written).
 */
export async function registerPeople(
  tx: Tx,
  inputs: readonly NewPerson[],
  actor: Actor | SystemActor,
  asOf: IsoDate,
  options: {
    ids?: readonly string[];
    batchSize?: number;
    onBatch?: (done: number, total: number) => void;
    /** Said beside each `person.created` event (e.g. the import row it came from). */
    auditContext?: (index: number) => Record<string, unknown>;
  } = {},
): Promise<BulkRegistration> {
  if (inputs.length === 0) return { ids: [], refused: [] };
  const facilityIds = [...new Set(inputs.flatMap((p) => (p.custody ? [p.custody.facilityId] : [])))];
  const facilities = new Map<string, { agency_id: string | null }>();
  for (let i = 0; i < facilityIds.length; i += 5000) {
    for (const f of await tx.selectFrom('facilities').select(['id', 'agency_id']).where('id', '=', anyOf(facilityIds.slice(i, i + 5000), 'uuid')).execute()) facilities.set(f.id, f);
  }
  const countries = new Set((await tx.selectFrom('countries').select('code').execute()).map((c) => c.code));
  const isCountry = (code: string) => countries.has(code);
  const refs = [...new Set(inputs.flatMap((p) => (p.externalRef ? [p.externalRef] : [])))];
  const taken = new Set<string>();
  for (let i = 0; i < refs.length; i += 5000) {
    for (const r of await tx.selectFrom('persons').select('external_ref').where('external_ref', '=', anyOf(refs.slice(i, i + 5000))).execute()) taken.add(r.external_ref as string);
  }

  const ids: (string | null)[] = inputs.map(() => null);
  const refused: { index: number; error: DomainError }[] = [];
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const now = new Date();
  const figures = await deferFigures(tx);
  const audit = await openAuditBatches(tx, inputs.length, now);
  type Batch = { readonly end: number; readonly created: { index: number; id: string }[]; readonly copies: readonly PreparedRows[] };
  const yieldToDriver = () => new Promise((resolve) => setImmediate(resolve));

  // Each table's rows encoded as they are built (db/copy.ts), taken a batch at a time.
  const persons = rowsBuilder(tx, 'persons', PERSON_COLUMNS);
  const names = rowsBuilder(tx, 'person_names', NAME_COLUMNS);
  const nationalities = rowsBuilder(tx, 'person_nationalities', NATIONALITY_COLUMNS);
  const custody = rowsBuilder(tx, 'custody_episodes', CUSTODY_COLUMNS);

  /**
   * Checks the rules, builds the rows and the audit events of one batch and encodes them,
   * a hundred people at a time: in memory, letting the driver send the statements of the
   * batch being written in between.
   */
  const prepare = async (start: number): Promise<Batch> => {
    const created: Batch['created'] = [];
    const end = Math.min(start + batchSize, inputs.length);
    for (let from = start; from < end; from += 100) {
      if (from > start) await yieldToDriver();
      const slice: { index: number; input: NewPerson; rows: Rows }[] = [];
      for (let index = from; index < Math.min(from + 100, end); index++) {
        const input = inputs[index] as NewPerson;
        const problem =
          registrationProblem(input, actor, asOf, { facility: input.custody ? facilities.get(input.custody.facilityId) : undefined, isCountry }) ??
          (input.externalRef && taken.has(input.externalRef) ? externalRefTaken(input.externalRef) : null);
        if (problem) {
          refused.push({ index, error: problem });
          continue;
        }
        slice.push({ index, input, rows: registrationRows(input, options.ids?.[index] ?? randomUUID(), now) });
        // A second input with the same reference is refused, as registerPerson would refuse it.
        if (input.externalRef) taken.add(input.externalRef);
      }
      persons.add(slice.map((b) => b.rows.person));
      // Their ids made here, as the people's are: gen_random_uuid() costs the server about 3 µs a row (5 on PGlite), randomUUID() 0.1 µs.
      names.add(slice.flatMap((b) => b.rows.names.map((n) => ({ id: randomUUID(), ...n }))));
      nationalities.add(slice.flatMap((b) => b.rows.nationalities));
      custody.add(slice.flatMap((b) => (b.rows.custody ? [{ id: randomUUID(), ...b.rows.custody }] : [])));
      // Each person their own event, chained in input order.
      audit.add(slice.map((b) => ({ action: 'person.created', entityType: 'person', entityId: b.rows.person.id, actor, after: b.input, ...(options.auditContext ? { context: options.auditContext(b.index) } : {}) })));
      for (const b of slice) created.push({ index: b.index, id: b.rows.person.id });
    }
    return { end, created, copies: [persons.take(), names.take(), nationalities.take(), custody.take(), ...audit.take()] };
  };

  /** Writes one batch: its people's rows, table by table, then their audit events (persons first: the others refer to them). */
  const write = async ({ end, created, copies }: Batch): Promise<void> => {
    if (created.length > 0) {
      const [personRows, ...rest] = copies as [PreparedRows, ...PreparedRows[]];
      try {
        await writeRows(tx, personRows);
      } catch (error) {
        // Registered by someone else since the check above (the transaction is lost either way).
        const { code, constraint } = error as { code?: string; constraint?: string };
        if (code === '23505' && (constraint ?? String(error)).includes('external_ref')) {
          throw new DomainError('conflict', 'external_ref_taken', 'some of these external references were registered by someone else meanwhile; try again');
        }
        throw error;
      }
      for (const data of rest) await writeRows(tx, data);
      for (const b of created) ids[b.index] = b.id;
    }
    options.onBatch?.(end, inputs.length);
  };

  // Two batches in flight: the database writes one while the next is checked, built and encoded.
  let writing: Promise<void> = Promise.resolve();
  for (let start = 0; start < inputs.length; start += batchSize) {
    const batch = await prepare(start);
    await writing;
    writing = write(batch);
    // Awaited on the next turn or below; a failure meanwhile must not count as unhandled.
    writing.catch(() => {});
  }
  await writing;
  await figures.refresh(ids.filter((id): id is string => id !== null));
  await audit.finish();
  return { ids, refused };
}

/** People per person_figures_refresh: its uuid[] stays under 2 MB, and each call reads `persons` once. */
const FIGURES_REFRESH_CHUNK = 50_000;

/**
 * The figures' per-person rows (migration 0013; decision 0026) of a bulk registration, built
 * once set-wise by person_figures_refresh after all of its rows are written — not by their
 * statement triggers, which rebuild each new person's row three times a batch (after persons,
 * nationalities and custody), each time locking the people again and reading the tables
 * written so far (in a fresh registry, without statistics, by sequential scans that grow with
 * every batch). A 50,000-row import: 9.7 → 6.9 s of the server's CPU (decision 0029). The
 * triggers are deferred for the registration only (the caller's setting is put back, in its
 * transaction); a caller that has deferred them itself (`homeward generate`) rebuilds the
 * figures at its end, so they stay deferred.
 */
async function deferFigures(tx: Tx): Promise<{ refresh(personIds: readonly string[]): Promise<void> }> {
  const { rows } = await sql<{ previous: string | null }>`select current_setting('homeward.figures', true) as previous`.execute(tx);
  const previous = rows[0]?.previous ?? null;
  if (previous === 'deferred') return { refresh: async () => {} };
  await sql`select set_config('homeward.figures', 'deferred', true)`.execute(tx);
  return {
    async refresh(personIds) {
      for (let i = 0; i < personIds.length; i += FIGURES_REFRESH_CHUNK) {
        await sql`select person_figures_refresh(${arrayLiteral(personIds.slice(i, i + FIGURES_REFRESH_CHUNK))}::uuid[])`.execute(tx);
      }
      await sql`select set_config('homeward.figures', ${previous ?? ''}, true)`.execute(tx);
    },
  };
}

/** Rebuilds a person's search columns from their names (after a name is added or removed). */
export async function reindexPerson(tx: Tx, personId: string): Promise<void> {
  const names = await tx.selectFrom('person_names').select(['full_name', 'kind']).where('person_id', '=', personId).execute();
  const index = indexNames(names.map((n) => n.full_name));
  const primary = names.find((n) => n.kind === 'primary') ?? names[0];
  await tx
    .updateTable('persons')
    .set({ search_keys: index.searchKeys, search_text: index.searchText, ...(primary ? { display_name: primary.full_name } : {}) })
    .where('id', '=', personId)
    .execute();
}
