import { api } from './client';

/** The server's figures (src/routes/api/figures): the dashboard, the public statistics and the statement. */

export interface CountryNames {
  readonly en: string;
  readonly ar: string;
  readonly ru: string;
  readonly fr: string;
}

export type PersonKind = 'child' | 'juvenile' | 'adult';
export type PersonStatus = 'held' | 'on_case' | 'returned' | 'other';
export type ClearingAgency = 'coordinator' | 'judiciary' | 'custody' | 'security';

export interface Dashboard {
  readonly asOf: string;
  readonly scope: { readonly countryCode: string | null };
  readonly countries: Readonly<Record<string, CountryNames>>;
  readonly people: readonly { readonly countryCode: string | null; readonly kind: PersonKind; readonly status: PersonStatus; readonly count: number }[];
  readonly cases: readonly { readonly state: string; readonly countryCode: string; readonly count: number }[];
  readonly returnsByMonth: readonly { readonly month: string; readonly countryCode: string; readonly people: number; readonly children: number }[];
  readonly occupancy: readonly { readonly facilityId: string; readonly name: string; readonly countryCode: string; readonly capacity: number; readonly held: number }[];
  readonly pendingClearances: readonly { readonly agency: ClearingAgency; readonly countryCode: string; readonly members: number }[];
  readonly daysToReturn: readonly { readonly countryCode: string | null; readonly people: number; readonly median: number; readonly p90: number; readonly min: number; readonly max: number }[];
}

export interface PublicTable {
  readonly id: 'returns' | 'held';
  readonly columns: readonly ('children' | 'adults')[];
  readonly rows: readonly { readonly countryCode: string | null; readonly names: CountryNames; readonly cells: readonly string[]; readonly total: string }[];
  readonly totals: readonly string[];
  readonly grandTotal: string;
  readonly suppressed: { readonly primary: number; readonly secondary: number };
}

export interface PublicStatistics {
  readonly asOf: string;
  readonly threshold: number;
  readonly marks: { readonly small: string; readonly secondary: string };
  readonly tables: readonly PublicTable[];
}

export const STATEMENT_LANGUAGES = ['en', 'ar', 'ru', 'fr'] as const;
export type StatementLanguage = (typeof STATEMENT_LANGUAGES)[number];

export interface Statement {
  readonly asOf: string;
  readonly language: StatementLanguage;
  readonly text: string;
  readonly dateText: string;
  readonly figures: { readonly childrenReturned: string; readonly nationalities: string; readonly childrenHeld: string };
}

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'pdf'];

export const DASHBOARD_KEY = ['figures', 'dashboard'] as const;
export const publicKey = (asOf: string) => ['figures', 'public', asOf] as const;

const query = (params: Record<string, string>) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '')).toString();
export const publicExportUrl = (asOf: string, format: ExportFormat): string => `/api/v1/figures/public/export?${query({ asOf, format })}`;
export const dashboardExportUrl = (format: ExportFormat): string => `/api/v1/figures/dashboard/export?${query({ format })}`;

export const figuresApi = {
  dashboard: () => api.get<Dashboard>('/figures/dashboard'),
  public: (asOf: string) => api.get<PublicStatistics>('/figures/public', { asOf }),
  statement: (asOf: string, language: StatementLanguage) => api.get<Statement>('/figures/statement', { asOf, language }),
};

/** Only the coordinator publishes figures; an embassy sees its own country's dashboard. */
export const mayPublishFigures = (role: string): boolean => role === 'coordinator';
