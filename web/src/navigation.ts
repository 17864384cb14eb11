import type { User } from './api/types';

/** Where each part of Homeward lives, and which capability from the server opens it. */
export interface Section {
  readonly key: SectionKey;
  readonly path: string;
  /** null: everyone who is signed in. */
  readonly capability: string | null;
  /** Built in a later version: show an honest "being built" page. */
  readonly planned: boolean;
  /** Pages inside the section, e.g. "/registry/<id>": the section stays highlighted there. */
  readonly subPaths?: readonly string[];
}

export type SectionKey =
  | 'home'
  | 'registry'
  | 'facilities'
  | 'identification'
  | 'cases'
  | 'movements'
  | 'countries'
  | 'figures'
  | 'users'
  | 'audit'
  | 'account';

export const SECTIONS: readonly Section[] = [
  { key: 'home', path: '/', capability: null, planned: false },
  { key: 'registry', path: '/people', capability: 'registry', planned: false, subPaths: ['/people/', '/registry/'] },
  { key: 'facilities', path: '/facilities', capability: 'facilities', planned: false, subPaths: ['/facilities/'] },
  { key: 'identification', path: '/identification', capability: 'identification', planned: false, subPaths: ['/identification/'] },
  { key: 'cases', path: '/cases', capability: 'cases', planned: false, subPaths: ['/cases/'] },
  { key: 'movements', path: '/movements', capability: 'movements', planned: false, subPaths: ['/movements/'] },
  { key: 'countries', path: '/countries', capability: 'countries', planned: false, subPaths: ['/countries/'] },
  { key: 'figures', path: '/figures', capability: 'figures', planned: false },
  { key: 'users', path: '/users', capability: 'users', planned: false },
  { key: 'audit', path: '/audit', capability: 'audit', planned: false },
  { key: 'account', path: '/account', capability: null, planned: false },
];

export const ACCOUNT_PATH = '/account';
export const REGISTRY_PATH = '/people';
export const REGISTER_PERSON_PATH = '/registry/new';
export const IMPORT_PATH = '/registry/import';
export const FACILITIES_PATH = '/facilities';
export const personPath = (id: string): string => `/registry/${encodeURIComponent(id)}`;
export const facilityPath = (id: string): string => `/facilities/${encodeURIComponent(id)}`;
export const IDENTIFICATION_PATH = '/identification';
export const NEW_VERIFICATION_PATH = '/identification/requests/new';
export const verificationPath = (id: string): string => `/identification/requests/${encodeURIComponent(id)}`;
export const TRACING_LIST_PATH = '/identification?tab=tracing';
export const MATCHES_PATH = '/identification?tab=matches';
export const NEW_TRACING_PATH = '/identification/tracing/new';
export const tracingPath = (id: string): string => `/identification/tracing/${encodeURIComponent(id)}`;
export const CASES_PATH = '/cases';
export const NEW_CASE_PATH = '/cases/new';
export const casePath = (id: string): string => `/cases/${encodeURIComponent(id)}`;
export const COUNTRIES_PATH = '/countries';
export const countryPath = (code: string): string => `/countries/${encodeURIComponent(code)}`;
export const FIGURES_PATH = '/figures';
export const MOVEMENTS_PATH = '/movements';
export const movementPath = (id: string): string => `/movements/${encodeURIComponent(id)}`;

/** Where in the identification section a path is: the tabs, a new (verification or tracing) request, or one. */
export type IdentificationPage =
  | { readonly kind: 'list' }
  | { readonly kind: 'new' }
  | { readonly kind: 'request'; readonly id: string }
  | { readonly kind: 'newTracing' }
  | { readonly kind: 'tracing'; readonly id: string };

export function identificationPageAt(path: string): IdentificationPage | null {
  const rest = path.replace(/\/+$/, '').slice(IDENTIFICATION_PATH.length);
  if (rest === '') return { kind: 'list' };
  const match = /^\/(requests|tracing)\/([^/]+)$/.exec(rest);
  if (!match?.[2]) return null;
  const tracing = match[1] === 'tracing';
  if (match[2] === 'new') return { kind: tracing ? 'newTracing' : 'new' };
  try {
    const id = decodeURIComponent(match[2]);
    return tracing ? { kind: 'tracing', id } : { kind: 'request', id };
  } catch {
    return null;
  }
}

let registryQuery = '';

/** The registry list's filters as last applied, so that a link back to the list keeps them. */
export function rememberRegistryQuery(query: string): void {
  registryQuery = query;
}
export const registryListPath = (): string => (registryQuery ? `${REGISTRY_PATH}?${registryQuery}` : REGISTRY_PATH);

/** Roles that register people (the server allows coordinator and custody). */
export function mayRegisterPeople(user: User): boolean {
  return user.role === 'coordinator' || user.role === 'custody';
}

/** The id in "/registry/<id>" (or "/people/<id>", "/facilities/<id>"); null on the section's own page. */
export function subPageOf(section: Section, path: string): string | null {
  const prefix = section.subPaths?.find((p) => path.startsWith(p));
  if (!prefix) return null;
  const rest = path.slice(prefix.length).replace(/\/+$/, '');
  if (!rest || rest.includes('/')) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null; // a malformed address: the section's own page
  }
}

/** The coordinator sends verification requests and keeps the missions; an embassy answers its own country's. */
export function maySendVerification(user: User): boolean {
  return user.role === 'coordinator';
}
export function mayAnswerVerification(user: User): boolean {
  return user.role === 'embassy';
}
/** Tracing requests and the review queue: the coordinator (all) and an embassy (its own country's). */
export function mayTrace(user: User): boolean {
  return user.role === 'coordinator' || user.role === 'embassy';
}

/** Countries and diplomacy: the coordinator keeps notifications, meetings and agreements; an embassy reads its own country's. */
export function mayKeepDiplomacy(user: User): boolean {
  return user.role === 'coordinator';
}
export function mayReadDiplomacy(user: User): boolean {
  return user.role === 'coordinator' || user.role === 'embassy';
}

export function mayUse(user: User, section: Section): boolean {
  return section.capability === null || user.capabilities.includes(section.capability);
}

export function sectionAt(path: string): Section | undefined {
  const normalised = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return (
    SECTIONS.find((section) => section.path === normalised) ??
    SECTIONS.find((section) => section.subPaths?.some((prefix) => normalised.startsWith(prefix)))
  );
}

/** A user whose role requires two-factor login may use only "My account" until it is on. */
export function mustEnrolTotp(user: User): boolean {
  return user.totpEnrollmentRequired && !user.totpEnabled;
}

/** Until a one-time password is replaced, the server refuses everything but "My account". */
export function mustChangePassword(user: User): boolean {
  return user.mustChangePassword === true;
}

/** Something on "My account" must be done before the rest of Homeward opens. */
export function accountOnly(user: User): boolean {
  return mustChangePassword(user) || mustEnrolTotp(user);
}
