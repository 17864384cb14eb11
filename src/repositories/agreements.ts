import { type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { IsoDate } from '../domain/birth-date.ts';
import { CATEGORIES, type Category } from '../domain/categories.ts';
import { parseCriteria } from '../domain/diplomacy.ts';
import type { AgreementCriterion } from '../eligibility/rules.ts';

export interface AgreementInForce {
  readonly id: string;
  readonly countryCode: string;
  readonly criteria: AgreementCriterion[];
  readonly currency: string;
  /** Exact decimal text, e.g. "400.00". */
  readonly feePerChild: string;
  readonly feePerAdult: string;
  readonly documentsRequired: string[];
}

/** The agreements table with money as exact text and dates as YYYY-MM-DD. */
export function selectAgreements(db: Executor) {
  return db
    .selectFrom('country_agreements as ag')
    .select([
      'ag.id',
      'ag.country_code',
      'ag.title',
      sql<string | null>`ag.signed_on::text`.as('signed_on'),
      sql<string>`ag.valid_from::text`.as('valid_from'),
      sql<string | null>`ag.valid_until::text`.as('valid_until'),
      'ag.currency',
      sql<string>`ag.fee_per_child::text`.as('fee_per_child'),
      sql<string>`ag.fee_per_adult::text`.as('fee_per_adult'),
      'ag.documents_required',
      'ag.conditions',
      'ag.criteria',
      'ag.file_sha256',
      'ag.version',
      'ag.created_at',
      'ag.signatories',
      'ag.data_categories',
    ]);
}
export type AgreementRow = Awaited<ReturnType<ReturnType<typeof selectAgreements>['executeTakeFirstOrThrow']>>;

/** The one agreement of a country in force on a day, whatever is selected from it (alias `ag`). */
function inForce<O>(query: SelectQueryBuilder<DB & { ag: DB['country_agreements'] }, 'ag', O>, countryCode: string, onDate: IsoDate) {
  return query
    .where('ag.country_code', '=', countryCode)
    .where('ag.valid_from', '<=', onDate)
    .where((eb) => eb.or([eb('ag.valid_until', 'is', null), eb('ag.valid_until', '>=', onDate)]))
    .orderBy('ag.valid_from', 'desc')
    .orderBy('ag.created_at', 'desc')
    .orderBy('ag.id', 'desc')
    .limit(1);
}

/**
 * The country's agreement in force on a day: of those with valid_from ≤ the day and
 * valid_until null or ≥ the day, the one that started latest (a newer agreement
 * supersedes an older one that has not formally ended). Null when there is none.
 */
export async function agreementInForce(db: Executor, countryCode: string, onDate: IsoDate): Promise<AgreementInForce | null> {
  const row = await inForce(selectAgreements(db), countryCode, onDate).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    countryCode: row.country_code,
    criteria: parseCriteria(row.criteria),
    currency: row.currency,
    feePerChild: row.fee_per_child,
    feePerAdult: row.fee_per_adult,
    documentsRequired: [...row.documents_required],
  };
}

/**
 * The data categories an embassy of the country receives on a day: those of its agreement in force that
 * names categories; null (DESIGN.md's default) when none is in force, it has ended or not yet begun.
 */
export async function sharedCategoriesInForce(db: Executor, countryCode: string, onDate: IsoDate): Promise<Category[] | null> {
  const row = await inForce(db.selectFrom('country_agreements as ag').select('ag.data_categories'), countryCode, onDate).executeTakeFirst();
  if (!row?.data_categories) return null;
  return row.data_categories.filter((c): c is Category => (CATEGORIES as readonly string[]).includes(c));
}
