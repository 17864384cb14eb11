/**
 * The engine's fields (the names `homeward link --fields` maps columns to) and
 * how each is compared. A record is a plain object of optional strings.
 */

export const FIELD_NAMES = [
  'given_name',
  'family_name',
  'full_name',
  'father_name',
  'mother_name',
  'other_names',
  'sex',
  'birth_date',
  'birth_place',
  'nationality',
  'document_number',
  'street_number',
  'address_1',
  'address_2',
  'suburb',
  'postcode',
  'state',
] as const;

export type FieldName = (typeof FIELD_NAMES)[number];

/** One person's record: any subset of the fields, values as written (any script). */
export type MatchRecord = Partial<Record<FieldName, string | null | undefined>>;

/**
 * How a field is compared:
 * - `name`: person names in any script (src/names nameSimilarity), exact on the romanised form;
 * - `date`: birth dates as ranges (dates.ts);
 * - `text`: places and addresses, Jaro–Winkler on the folded text;
 * - `number`: identifiers, one and two edits (transpositions count as one);
 * - `code`: postcodes, one edit or the same leading half;
 * - `category`: sex, nationality, state: the same or not.
 */
export type FieldKind = 'name' | 'date' | 'text' | 'number' | 'code' | 'category';

export const FIELD_KIND: Readonly<Record<FieldName, FieldKind>> = {
  given_name: 'name',
  family_name: 'name',
  full_name: 'name',
  father_name: 'name',
  mother_name: 'name',
  other_names: 'name',
  sex: 'category',
  birth_date: 'date',
  birth_place: 'text',
  nationality: 'category',
  document_number: 'number',
  street_number: 'number',
  address_1: 'text',
  address_2: 'text',
  suburb: 'text',
  postcode: 'code',
  state: 'category',
};

/** Words for explanations: "given name", "date of birth". */
export const FIELD_LABEL: Readonly<Record<FieldName, string>> = {
  given_name: 'given name',
  family_name: 'family name',
  full_name: 'full name',
  father_name: "father's name",
  mother_name: "mother's name",
  other_names: 'other names',
  sex: 'sex',
  birth_date: 'date of birth',
  birth_place: 'place of birth',
  nationality: 'nationality',
  document_number: 'document number',
  street_number: 'street number',
  address_1: 'address',
  address_2: 'address (2nd line)',
  suburb: 'suburb',
  postcode: 'postcode',
  state: 'state',
};

export function isFieldName(name: string): name is FieldName {
  return (FIELD_NAMES as readonly string[]).includes(name);
}
