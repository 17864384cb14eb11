import { z } from 'zod';
import { anyOf } from '../../db/bulk.ts';
import type { Executor } from '../../db/database.ts';
import { type BirthDateInput, IsoDateSchema, parseBirthDateText } from '../../domain/birth-date.ts';
import { NAME_KINDS, type NewPerson, NewPersonSchema, SEXES, VITAL_STATUSES } from '../../domain/person.ts';
import { IMPORT_COLUMNS, type ImportColumn } from './columns.ts';
import type { Table } from './read-table.ts';

/** One problem of an import file, as a clerk finds it in a spreadsheet. */
export interface ImportProblem {
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export interface PlannedRow {
  readonly line: number;
  readonly person: NewPerson;
  readonly motherRef: string | null;
  readonly fatherRef: string | null;
}

export interface ImportPlan {
  readonly rows: PlannedRow[];
  readonly problems: ImportProblem[];
  /** Rows whose external_ref is already registered: re-importing them changes nothing. */
  readonly alreadyRegistered: number;
  readonly total: number;
}

/** A yes/no cell: true, false (an empty cell is no), or undefined when it is neither. */
const YES_NO = new Map([...['yes', 'y', 'true', '1'].map((v) => [v, true] as const), ...['', 'no', 'n', 'false', '0'].map((v) => [v, false] as const)]);
const yesNo = (cell: string): boolean | undefined => YES_NO.get(cell.toLowerCase());

const MAX_PROBLEMS = 1000;
/** A cell's text as a problem quotes it: at most 60 characters (a hostile cell may hold megabytes). */
const shown = (v: string) => (v.length > 60 ? `${v.slice(0, 60)}…` : v);

/**
 * Checks every row of a table against the template and the registry (facilities,
 * countries, references to mothers and fathers) without writing anything, and
 * lists every problem by row and column. Rows already registered are counted, not repeated.
 */
export async function planImport(db: Executor, table: Table): Promise<ImportPlan> {
  const problems: ImportProblem[] = [];
  const add = (row: number, column: string, message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ row, column, message });
  };
  const known = new Set<string>(IMPORT_COLUMNS.map((c) => c.name));
  const index = new Map<string, number>();
  table.header.forEach((h, i) => {
    const name = h.toLowerCase().trim();
    if (!known.has(name)) add(1, shown(h) || `column ${i + 1}`, 'is not a column of the template (download the template for the names)');
    else if (index.has(name)) add(1, shown(h), 'appears twice');
    else index.set(name, i);
  });
  for (const c of IMPORT_COLUMNS) if (c.required && !index.has(c.name)) add(1, c.name, 'this column is required');
  if (problems.length > 0) return { rows: [], problems, alreadyRegistered: 0, total: table.rows.length };

  const facilities = new Map((await db.selectFrom('facilities').select(['id', 'name']).execute()).map((f) => [f.name.toLowerCase(), f.id]));
  const countries = new Set((await db.selectFrom('countries').select('code').execute()).map((c) => c.code));
  const refs = table.rows.map((r) => r.cells[index.get('external_ref') as number]?.trim()).filter((r): r is string => !!r);
  const registered = new Set<string>();
  for (let i = 0; i < refs.length; i += 5000) {
    const chunk = refs.slice(i, i + 5000);
    for (const r of await db.selectFrom('persons').select('external_ref').where('external_ref', '=', anyOf(chunk)).execute()) registered.add(r.external_ref as string);
  }

  const rows: PlannedRow[] = [];
  const seen = new Map<string, number>();
  let alreadyRegistered = 0;
  // A file repeats its dates (years of birth, days of admission): each text is parsed once.
  const birthDateOf = remembered((text: string) => parseBirthDateText(text));
  const isoDateOf = remembered((text: string) => IsoDateSchema.safeParse(text));
  for (const { line, cells } of table.rows) {
    // A ragged row: its cells no longer sit under their column names, so nothing else of it is read.
    if (cells.length !== table.header.length) {
      const column = cells.length > table.header.length ? `column ${table.header.length + 1}` : (table.header[cells.length] ?? `column ${cells.length + 1}`);
      add(line, column, `the row has ${cells.length} cells but the header has ${table.header.length}`);
      continue;
    }
    const cell = (c: ImportColumn) => (index.has(c) ? (cells[index.get(c) as number] ?? '').trim() : '');
    const ref = cell('external_ref');
    if (!ref) {
      add(line, 'external_ref', 'is required');
      continue;
    }
    const earlier = seen.get(ref);
    if (earlier) add(line, 'external_ref', `repeats row ${earlier}`);
    seen.set(ref, line);
    if (registered.has(ref)) {
      alreadyRegistered += 1;
      continue;
    }
    const problemsBefore = problems.length;
    const parsedBirth = cell('birth_date') ? birthDateOf(cell('birth_date')) : null;
    // A copy for each row: the people made from the file share no objects.
    const birth = parsedBirth && { ...parsedBirth };
    if (!birth) add(line, 'birth_date', cell('birth_date') ? `"${shown(cell('birth_date'))}" is not a date (YYYY-MM-DD, YYYY-MM, YYYY or "about YYYY")` : 'is required');
    const nationality = cell('nationality').toUpperCase();
    if (nationality && !countries.has(nationality)) add(line, 'nationality', `${shown(nationality)} is not an ISO 3166 alpha-3 code`);
    const facilityName = cell('facility');
    const facilityId = facilityName ? facilities.get(facilityName.toLowerCase()) : undefined;
    if (facilityName && !facilityId) add(line, 'facility', `no facility is registered under the name "${shown(facilityName)}"`);
    if (facilityName && !cell('admitted_on')) add(line, 'admitted_on', 'is required with facility');
    const flags: Record<string, boolean> = {};
    for (const flag of ['unaccompanied', 'separated', 'orphan', 'medical_needs'] as const) {
      const value = yesNo(cell(flag));
      if (value !== undefined) flags[flag] = value;
      else add(line, flag, 'must be yes or no');
    }
    const names = [
      { kind: 'primary', givenName: cell('given_name') || undefined, fatherName: cell('father_name') || undefined, grandfatherName: cell('grandfather_name') || undefined, familyName: cell('family_name') || undefined, fullName: cell('full_name') || undefined },
      ...(cell('other_name') ? [{ kind: 'alias', fullName: cell('other_name') }] : []),
      ...(cell('kunya') ? [{ kind: 'kunya', fullName: cell('kunya') }] : []),
    ];
    const admitted = cell('admitted_on') ? isoDateOf(cell('admitted_on')) : null;
    if (admitted && !admitted.success) add(line, 'admitted_on', admitted.error.issues[0]?.message ?? 'is not a date');
    if (problems.length > problemsBefore || !birth) continue;
    const candidate: PersonCandidate = {
      externalRef: ref,
      sex: cell('sex').toLowerCase(),
      birthDate: birth as BirthDateInput,
      names,
      nationalities: nationality ? [{ countryCode: nationality, status: 'claimed' }] : [],
      vitalStatus: cell('vital_status').toLowerCase() || 'alive',
      ...(cell('vital_date') ? { vitalDate: cell('vital_date') } : {}),
      vulnerability: { unaccompanied: flags.unaccompanied, separated: flags.separated, orphan: flags.orphan, medicalNeeds: flags.medical_needs },
      ...(facilityId && admitted?.success ? { custody: { facilityId, admittedOn: admitted.data } } : {}),
    };
    const plain = plainPerson(candidate);
    const parsed = plain ? null : NewPersonSchema.safeParse(candidate);
    if (parsed && !parsed.success) {
      for (const issue of parsed.error.issues) add(line, columnOf(issue.path), issue.message);
      continue;
    }
    rows.push({ line, person: plain ?? (parsed?.data as NewPerson), motherRef: cell('mother_ref') || null, fatherRef: cell('father_ref') || null });
  }
  // A parent named by reference must be in the file or already registered (looked up a few thousand at a time).
  const elsewhere = [...new Set(rows.flatMap((r) => [r.motherRef, r.fatherRef]).filter((v): v is string => !!v && !seen.has(v) && !registered.has(v)))];
  const inDb = new Set<string>();
  for (let i = 0; i < elsewhere.length; i += 5000) {
    for (const r of await db.selectFrom('persons').select('external_ref').where('external_ref', '=', anyOf(elsewhere.slice(i, i + 5000))).execute()) inDb.add(r.external_ref as string);
  }
  for (const row of rows) {
    for (const [column, value] of [['mother_ref', row.motherRef], ['father_ref', row.fatherRef]] as const) {
      if (value && !seen.has(value) && !registered.has(value) && !inDb.has(value)) add(row.line, column, `no row and no registered person has the external_ref ${shown(value)}`);
    }
  }
  return { rows, problems, alreadyRegistered, total: table.rows.length };
}

/** Texts of at most this length are remembered, this many at once (a hostile file may hold a million distinct megabyte cells). */
const REMEMBER_LENGTH = 64;
const REMEMBER_COUNT = 10_000;

/** `parse` of short texts remembered (it must be pure, and its results never changed). */
function remembered<T>(parse: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    if (text.length > REMEMBER_LENGTH) return parse(text);
    const hit = known.get(text);
    if (hit !== undefined || known.has(text)) return hit as T;
    const result = parse(text);
    if (known.size >= REMEMBER_COUNT) known.clear();
    known.set(text, result);
    return result;
  };
}

/** What a row of the file makes, before NewPersonSchema: its birth date already parsed by BirthDateInputSchema. */
export interface PersonCandidate {
  readonly externalRef: string;
  readonly sex: string;
  readonly birthDate: BirthDateInput;
  readonly names: readonly { readonly kind: string; readonly givenName?: string; readonly fatherName?: string; readonly grandfatherName?: string; readonly familyName?: string; readonly fullName?: string }[];
  readonly nationalities: readonly { readonly countryCode: string; readonly status: string }[];
  readonly vitalStatus: string;
  readonly vitalDate?: string;
  readonly vulnerability: { readonly unaccompanied?: boolean; readonly separated?: boolean; readonly orphan?: boolean; readonly medicalNeeds?: boolean };
  readonly custody?: { readonly facilityId: string; readonly admittedOn: string };
}

/** NewPersonSchema's rules for a name part (person.ts: trimmed, 1–100 characters, no control characters or < >). */
const NAME_PART = /^[^\u0000-\u001f\u007f<>]{1,100}$/;
const COUNTRY_CODE = /^[A-Z]{3}$/;
const PART_KEYS = ['givenName', 'fatherName', 'grandfatherName', 'familyName', 'fullName'] as const;
const plainPart = (v: string | undefined) => v === undefined || (NAME_PART.test(v) && v.trim() === v);
const SEX_SET = new Set<string>(SEXES);
const KIND_SET = new Set<string>(NAME_KINDS);
const VITAL_SET = new Set<string>(VITAL_STATUSES);
/** z.uuid() of each facility id (a file names a few facilities), IsoDateSchema of each day of admission. */
const uuidOk = remembered((id: string) => z.uuid().safeParse(id).success);
const isoDateOk = remembered((text: string) => IsoDateSchema.safeParse(text).success);

/**
 * NewPersonSchema.parse of a row's candidate, for a row that plainly obeys it — the same
 * object zod returns (keys, order, defaults), in 0.3–0.6 µs a row instead of zod's 5–8 (the
 * largest part of checking a file); null for any other row, which zod then checks and reports
 * on, so every message is zod's. A row with a date of death goes to zod too (rare).
 * plan.test.ts checks the two against each other on random rows (decision 0029).
 */
export function plainPerson(c: PersonCandidate): NewPerson | null {
  const ref = c.externalRef;
  if (ref.length < 1 || ref.length > 100 || ref.trim() !== ref) return null;
  if (!SEX_SET.has(c.sex) || !VITAL_SET.has(c.vitalStatus) || c.vitalDate !== undefined) return null;
  if (c.names.length < 1 || c.names.length > 20) return null;
  let primaries = 0;
  for (const name of c.names) {
    if (!KIND_SET.has(name.kind)) return null;
    if (name.kind === 'primary') primaries++;
    for (const key of PART_KEYS) if (!plainPart(name[key])) return null;
    if (!(name.fullName || name.givenName || name.familyName)) return null;
  }
  if (primaries > 1 || c.nationalities.length > 5) return null;
  for (const n of c.nationalities) if (!COUNTRY_CODE.test(n.countryCode) || (n.status !== 'claimed' && n.status !== 'verified')) return null;
  const v = c.vulnerability;
  if (typeof v.unaccompanied !== 'boolean' || typeof v.separated !== 'boolean' || typeof v.orphan !== 'boolean' || typeof v.medicalNeeds !== 'boolean') return null;
  if (c.custody && (!uuidOk(c.custody.facilityId) || !isoDateOk(c.custody.admittedOn))) return null;
  return {
    externalRef: ref,
    sex: c.sex as NewPerson['sex'],
    birthDate: c.birthDate,
    names: c.names.map((n) => ({ ...n })) as NewPerson['names'],
    nationalities: c.nationalities.map((n) => ({ countryCode: n.countryCode, status: n.status })) as NewPerson['nationalities'],
    vitalStatus: c.vitalStatus as NewPerson['vitalStatus'],
    vulnerability: { unaccompanied: v.unaccompanied, separated: v.separated, orphan: v.orphan, medicalNeeds: v.medicalNeeds },
    withheldFromEmbassy: false,
    ...(c.custody ? { custody: { facilityId: c.custody.facilityId, admittedOn: c.custody.admittedOn } } : {}),
  };
}

function columnOf(path: readonly PropertyKey[]): string {
  const [first, , part] = path.map(String);
  if (first === 'names') return part === 'fullName' ? 'full_name' : part ? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : 'given_name';
  if (first === 'birthDate') return 'birth_date';
  if (first === 'vitalStatus') return 'vital_status';
  if (first === 'vitalDate') return 'vital_date';
  return first ?? 'row';
}
