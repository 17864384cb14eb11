/**
 * The reference datasets with ground truth (../shared/datasets, read-only), as
 * engine records with their clusters: for the quality tests and the benchmark.
 * Not used by the engine itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { FieldName, MatchRecord } from './fields.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATASETS = path.resolve(ROOT, '../shared/datasets');

export interface Dataset {
  readonly records: MatchRecord[];
  readonly clusters: string[];
  readonly ids: string[];
}

/** The path of a dataset file, or null when the shared datasets are not there. */
export function datasetPath(relative: string): string | null {
  const file = path.join(DATASETS, relative);
  return fs.existsSync(file) ? file : null;
}

export function readCsv(file: string): Record<string, string>[] {
  return parse(fs.readFileSync(file), { columns: (h: string[]) => h.map((c) => c.trim()), trim: true, skip_empty_lines: true, relax_column_count: true });
}

export function loadDataset(file: string, idColumn: string, cluster: (row: Record<string, string>) => string, mapping: Partial<Record<FieldName, string>>): Dataset {
  const rows = readCsv(file);
  const entries = Object.entries(mapping) as [FieldName, string][];
  return {
    records: rows.map((row) => Object.fromEntries(entries.map(([field, col]) => [field, row[col] ?? '']))),
    clusters: rows.map(cluster),
    ids: rows.map((row) => row[idColumn] ?? ''),
  };
}

/** FEBRL's columns, all of them or only names and date of birth. */
export const FEBRL_ALL: Partial<Record<FieldName, string>> = {
  given_name: 'given_name',
  family_name: 'surname',
  street_number: 'street_number',
  address_1: 'address_1',
  address_2: 'address_2',
  suburb: 'suburb',
  postcode: 'postcode',
  state: 'state',
  birth_date: 'date_of_birth',
  document_number: 'soc_sec_id',
};
export const FEBRL_NAMES_DOB: Partial<Record<FieldName, string>> = { given_name: 'given_name', family_name: 'surname', birth_date: 'date_of_birth' };

/** rec-123-org and rec-123-dup-0 are the same person. */
export const febrlCluster = (row: Record<string, string>) => (row.rec_id ?? '').split('-')[1] ?? '';

export function loadFebrl(name: string, mapping = FEBRL_ALL): Dataset | null {
  const file = datasetPath(`febrl/${name}.csv`);
  return file ? loadDataset(file, 'rec_id', febrlCluster, mapping) : null;
}

/** Splink's fake_1000: the e-mail address is an identifier, mapped to document_number. */
export const FAKE_1000: Partial<Record<FieldName, string>> = { given_name: 'first_name', family_name: 'surname', birth_date: 'dob', birth_place: 'city', document_number: 'email' };

export function loadFake1000(): Dataset | null {
  const file = datasetPath('splink_fake_1000/fake_1000.csv');
  return file ? loadDataset(file, 'unique_id', (r) => r.cluster ?? '', FAKE_1000) : null;
}

/**
 * Splink's historical_50k: postcode_fake is a postcode, gender is sex. full_name
 * repeats first_name and surname with middle names and titles: beside given and
 * family names the engine does not count it again, it only looks there for
 * other given names (compare.ts).
 */
export const HISTORICAL_50K: Partial<Record<FieldName, string>> = {
  given_name: 'first_name',
  family_name: 'surname',
  full_name: 'full_name',
  birth_date: 'dob',
  birth_place: 'birth_place',
  postcode: 'postcode_fake',
  sex: 'gender',
};

export function loadHistorical50k(): Dataset | null {
  const file = datasetPath('splink_historical_50k/historical_figures_with_errors_50k.csv');
  return file ? loadDataset(file, 'unique_id', (r) => r.cluster ?? '', HISTORICAL_50K) : null;
}
