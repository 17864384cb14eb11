import { z } from 'zod';
import { IsoDateSchema } from '../../../domain/birth-date.ts';
import { STATEMENT_LANGUAGES } from '../../../domain/public-figures.ts';

/** A day not after today (UTC): figures are about what has happened. */
const AsOf = IsoDateSchema.refine((d) => d <= new Date().toISOString().slice(0, 10), 'must not be after today').optional().describe('the day the figures are as of (default today)');
const Format = z.enum(['csv', 'xlsx', 'pdf']).default('csv');

export const DashboardQuery = z.strictObject({});
export const DashboardExportQuery = z.strictObject({ format: Format });
export const PublicQuery = z.strictObject({ asOf: AsOf });
export const PublicExportQuery = z.strictObject({ asOf: AsOf, format: Format });
export const StatementQuery = z.strictObject({ asOf: AsOf, language: z.enum(STATEMENT_LANGUAGES).default('en') });

const Names = z.object({ en: z.string(), ar: z.string(), ru: z.string(), fr: z.string() });
const Count = z.number().int();

export const DashboardSchema = z
  .object({
    asOf: z.string(),
    scope: z.object({ countryCode: z.string().nullable().describe('an embassy: its own country; null: every country') }),
    countries: z.record(z.string(), Names).describe('the names of the countries the figures name'),
    people: z.array(z.object({ countryCode: z.string().nullable(), kind: z.enum(['child', 'juvenile', 'adult']), status: z.enum(['held', 'on_case', 'returned', 'other']), count: Count })),
    cases: z.array(z.object({ state: z.string(), countryCode: z.string(), count: Count })),
    returnsByMonth: z.array(z.object({ month: z.string(), countryCode: z.string(), people: Count, children: Count })),
    occupancy: z.array(z.object({ facilityId: z.string(), name: z.string(), countryCode: z.string(), capacity: Count, held: Count })),
    pendingClearances: z.array(z.object({ agency: z.enum(['coordinator', 'judiciary', 'custody', 'security']), countryCode: z.string(), members: Count })),
    daysToReturn: z.array(z.object({ countryCode: z.string().nullable(), people: Count, median: z.number(), p90: z.number(), min: Count, max: Count })),
  })
  .meta({ id: 'FiguresDashboard' });

const PublicTableSchema = z.object({
  id: z.enum(['returns', 'held']),
  columns: z.array(z.enum(['children', 'adults'])),
  rows: z.array(z.object({ countryCode: z.string().nullable(), names: Names, cells: z.array(z.string()), total: z.string() })),
  totals: z.array(z.string()),
  grandTotal: z.string(),
  suppressed: z.object({ primary: Count, secondary: Count }),
});

export const PublicSchema = z
  .object({
    asOf: z.string(),
    threshold: Count.describe('counts from 1 to threshold − 1 are shown as "<threshold"'),
    marks: z.object({ small: z.string(), secondary: z.string() }),
    tables: z.array(PublicTableSchema),
  })
  .meta({ id: 'PublicStatistics' });

export const StatementSchema = z
  .object({
    asOf: z.string(),
    language: z.enum(STATEMENT_LANGUAGES),
    text: z.string(),
    dateText: z.string(),
    figures: z.object({ childrenReturned: z.string(), nationalities: z.string(), childrenHeld: z.string() }),
  })
  .meta({ id: 'FiguresStatement' });
