import { anyOf } from '../../db/bulk.ts';
import type { Executor } from '../../db/database.ts';
import { type BirthDateInput, IsoDateSchema, parseBirthDateText } from '../../domain/birth-date.ts';
import { type NewPerson, NewPersonSchema } from '../../domain/person.ts';
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
    const birth = cell('birth_date') ? parseBirthDateText(cell('birth_date')) : null;
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
    const admitted = cell('admitted_on') ? IsoDateSchema.safeParse(cell('admitted_on')) : null;
    if (admitted && !admitted.success) add(line, 'admitted_on', admitted.error.issues[0]?.message ?? 'is not a date');
    if (problems.length > problemsBefore || !birth) continue;
    const parsed = NewPersonSchema.safeParse({
      externalRef: ref,
      sex: cell('sex').toLowerCase(),
      birthDate: birth as BirthDateInput,
      names,
      nationalities: nationality ? [{ countryCode: nationality, status: 'claimed' }] : [],
      vitalStatus: cell('vital_status').toLowerCase() || 'alive',
      ...(cell('vital_date') ? { vitalDate: cell('vital_date') } : {}),
      vulnerability: { unaccompanied: flags.unaccompanied, separated: flags.separated, orphan: flags.orphan, medicalNeeds: flags.medical_needs },
      ...(facilityId && admitted?.success ? { custody: { facilityId, admittedOn: admitted.data } } : {}),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(line, columnOf(issue.path), issue.message);
      continue;
    }
    rows.push({ line, person: parsed.data, motherRef: cell('mother_ref') || null, fatherRef: cell('father_ref') || null });
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

function columnOf(path: readonly PropertyKey[]): string {
  const [first, , part] = path.map(String);
  if (first === 'names') return part === 'fullName' ? 'full_name' : part ? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : 'given_name';
  if (first === 'birthDate') return 'birth_date';
  if (first === 'vitalStatus') return 'vital_status';
  if (first === 'vitalDate') return 'vital_date';
  return first ?? 'row';
}
