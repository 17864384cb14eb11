/**
 * The columns of a registry import file, in the template's order. Header names
 * are matched trimmed and case-insensitively; unknown columns are refused (a
 * typo in a header must not silently drop a column of data).
 */
export const IMPORT_COLUMNS = [
  { name: 'external_ref', required: true, example: 'MOJ-2026-000123', help: 'your reference for the row; re-importing a row with the same reference changes nothing' },
  { name: 'sex', required: true, example: 'female', help: 'female, male or unknown' },
  { name: 'birth_date', required: true, example: '2015 | 2015-03 | 2015-03-04 | about 2015', help: 'exact date, month, year, or "about YEAR"' },
  { name: 'given_name', required: false, example: 'محمد', help: 'in the script it was recorded in' },
  { name: 'father_name', required: false, example: 'أحمد', help: '' },
  { name: 'grandfather_name', required: false, example: '', help: '' },
  { name: 'family_name', required: false, example: '', help: 'give a given or family name, or full_name' },
  { name: 'full_name', required: false, example: '', help: 'the whole name, when it is not split into parts' },
  { name: 'other_name', required: false, example: 'Мухаммад Алиев', help: 'another rendering or an alias (any script)' },
  { name: 'kunya', required: false, example: 'Umm Ahmad', help: '' },
  { name: 'nationality', required: false, example: 'RUS', help: 'ISO 3166 alpha-3 code of the claimed nationality' },
  { name: 'facility', required: false, example: "Women's Correctional Facility No. 1", help: 'the facility name as registered in Homeward' },
  { name: 'admitted_on', required: false, example: '2019-06-01', help: 'required with facility' },
  { name: 'mother_ref', required: false, example: 'MOJ-2026-000100', help: "the mother's external_ref (in this file or already registered)" },
  { name: 'father_ref', required: false, example: '', help: "the father's external_ref" },
  { name: 'vital_status', required: false, example: 'alive', help: 'alive, deceased or executed' },
  { name: 'vital_date', required: false, example: '', help: 'date of death' },
  { name: 'unaccompanied', required: false, example: 'no', help: 'yes or no' },
  { name: 'separated', required: false, example: 'no', help: 'yes or no' },
  { name: 'orphan', required: false, example: 'no', help: 'yes or no' },
  { name: 'medical_needs', required: false, example: 'no', help: 'yes or no' },
] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number]['name'];

/** Files larger than this are refused before they are read. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 200_000;
/** `homeward import` reads a file on the operator's disk, not a request body: up to a million rows (a national registry's first load). */
export const MAX_CLI_IMPORT_BYTES = 512 * 1024 * 1024;
export const MAX_CLI_IMPORT_ROWS = 1_000_000;

/** The template as CSV: a header, and one example row. */
export function templateCsv(): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  return `\uFEFF${IMPORT_COLUMNS.map((c) => c.name).join(',')}\n${IMPORT_COLUMNS.map((c) => quote(c.example.split(' | ')[0] ?? '')).join(',')}\n`;
}
