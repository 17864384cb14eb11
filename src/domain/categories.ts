import type { Role } from './roles.ts';

/** Data categories of DESIGN.md; every field a response carries belongs to one. */
export const CATEGORIES = [
  'identity',
  'family',
  'custody',
  'legal',
  'security',
  'welfare',
  'best_interests',
  'genetic',
  'case_status',
] as const;
export type Category = (typeof CATEGORIES)[number];

/**
 * The role × category table of DESIGN.md. `genetic` here means the DNA result
 * itself; other roles see only "kinship confirmed by DNA" (see geneticSummaryOnly).
 * Embassy categories are its country's data-sharing agreement's; this is the default.
 */
const ROLE_CATEGORIES: Readonly<Record<Role, readonly Category[]>> = {
  coordinator: ['identity', 'family', 'custody', 'legal', 'welfare', 'genetic', 'case_status'],
  judiciary: ['identity', 'legal', 'case_status'],
  custody: ['identity', 'family', 'custody', 'welfare', 'case_status'],
  security: ['identity', 'family', 'legal', 'security', 'case_status'],
  embassy: ['identity', 'family', 'case_status'],
  child_protection: ['identity', 'family', 'welfare', 'best_interests', 'genetic', 'case_status'],
  admin: [],
  auditor: [],
};

export const EMBASSY_DEFAULT_CATEGORIES: readonly Category[] = ROLE_CATEGORIES.embassy;

/**
 * Categories a caller may see. For an embassy, `agreementCategories` (from a
 * valid data-sharing agreement) replaces the default; nothing else widens it.
 */
export function visibleCategories(role: Role, agreementCategories?: readonly Category[] | null): ReadonlySet<Category> {
  if (role === 'embassy' && agreementCategories) {
    // Never security or best interests; never the DNA result itself (special-category data,
    // shown only as "kinship confirmed by DNA" outside coordinator and child protection).
    return new Set(agreementCategories.filter((c) => c !== 'security' && c !== 'best_interests' && c !== 'genetic'));
  }
  return new Set(ROLE_CATEGORIES[role]);
}

/** Roles that see that kinship was confirmed by DNA but not the result itself. */
export function geneticSummaryOnly(role: Role): boolean {
  return !ROLE_CATEGORIES[role].includes('genetic');
}

/**
 * Keeps only the fields of categories the caller may see. `fields` maps each
 * field name to its category; a field missing from the map is dropped (deny by default).
 */
export function projectByCategory<T extends Record<string, unknown>>(
  record: T,
  fields: Readonly<Partial<Record<keyof T, Category | 'always'>>>,
  visible: ReadonlySet<Category>,
): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(record) as (keyof T)[]) {
    const category = fields[key];
    if (category === 'always' || (category !== undefined && visible.has(category))) out[key] = record[key];
  }
  return out;
}
