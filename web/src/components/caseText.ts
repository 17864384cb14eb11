import { useTranslation } from 'react-i18next';
import type { CaseState, Closure, Message, Mover } from '../api/cases';
import { CASE_STATES } from '../api/cases';
import type { ErrorDetail } from '../api/client';
import { useCountries, useCountryName } from '../api/queries';
import { useRegistryFormat } from './registryFormat';

type Params = Readonly<Record<string, string | number>>;

/**
 * Where a server message code is translated: `eligibility_<x>` under `eligibility.<x>`,
 * `case_<x>` (the case machine's codes) under `caseMachine.<x>`; anything else under `fieldErrors.<code>`.
 */
export function messageKey(code: string): string {
  if (code.startsWith('eligibility_')) return `eligibility.${code.slice('eligibility_'.length)}`;
  if (code.startsWith('case_')) return `caseMachine.${code.slice('case_'.length)}`;
  return `fieldErrors.${code}`;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const isState = (value: string): value is CaseState => (CASE_STATES as readonly string[]).includes(value);

/**
 * The case pages' words: criterion names, states, transitions, and every message the server
 * sends by code, translated with its parameters put in the reader's language (countries by
 * name, dates formatted, agencies and relations by their names). An unknown code falls back
 * to the server's English text.
 */
export function useCaseText() {
  const { t, i18n } = useTranslation();
  const format = useRegistryFormat();
  const countries = useCountries();
  const countryName = useCountryName();
  const list = (items: readonly string[]) => new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(items);

  /** A translation if the key exists, else undefined. */
  const maybe = (key: string, params?: Params): string | undefined =>
    i18n.exists(key) ? String(t(key as 'common.none', params as Record<string, unknown>)) : undefined;
  /** A key's translation, or a fallback (the raw value) if there is none. */
  const or = (key: string, fallback: string, params?: Params): string => maybe(key, params) ?? fallback;

  const state = (s: string): string => or(`cases.states.${s}`, s);
  const transition = (name: string): string => or(`cases.transitions.${name}`, name);
  const criterion = (id: string): string => {
    const known = maybe(`cases.criteria.${id}`);
    if (known) return known;
    const document = /^agreement_document_(.+)$/.exec(id)?.[1];
    if (document) return t('cases.criteria.agreement_document', { document: or(`personEdit.documentKinds.${document}`, document) });
    return id;
  };
  const agency = (code: string): string => or(`cases.agencyNames.${code}`, code);
  /** A value an evidence item shows: its own word, a determination's status (under review, reopened), why one is required, or the raw value. */
  const evidenceValue = (value: string): string =>
    maybe(`cases.evidenceValues.${value}`) ?? maybe(`cases.bidStatus.${value}`) ?? maybe(`cases.bidWhy.${value}`) ?? value;
  const country = (code: string): string => countryName(code, countries.data);
  const date = (value: string): string => (ISO_DAY.test(value) ? format.date(value) : value);
  /** Who makes a transition, as the server names them on its closure. */
  const who = (movers: readonly Mover[]): string =>
    list(movers.map((m) => (m === 'movement' ? t('cases.movementActor') : t(m === 'case_country_embassy' ? 'roles.embassy' : 'roles.coordinator'))));

  /** The parameters of a message, each put in the reader's language. */
  const localParams = (params: Params): Record<string, string | number> => {
    const out: Record<string, string | number> = { ...params };
    for (const [name, raw] of Object.entries(params)) {
      const value = String(raw);
      switch (name) {
        case 'country':
          out[name] = country(value);
          break;
        case 'agency':
          out.agencyName = agency(value);
          out[name] = agency(value);
          break;
        case 'date':
          out[name] = date(value);
          break;
        case 'validUntil':
          out[name] = value === 'replaced' ? t('cases.untilReplaced') : date(value);
          break;
        case 'relation':
          out[name] = or(`cases.relations.${value}`, value);
          break;
        case 'exemption':
          out.reason = or(`cases.exemptions.${value}`, String(params.reason ?? value));
          break;
        case 'why':
          out[name] = or(`cases.bidWhy.${value}`, value);
          break;
        case 'status':
          out[name] = or(`cases.bidStatus.${value.replace(/ /g, '_')}`, value);
          break;
        case 'document':
          out[name] = or(`personEdit.documentKinds.${value}`, value);
          break;
        case 'criteria':
          out[name] = value === 'none evaluated yet' ? t('cases.noneEvaluated') : list(value.split(/,\s*/).filter(Boolean).map(criterion));
          break;
        case 'heldFrom':
        case 'from':
        case 'to':
          out[name] = isState(value) ? state(value) : value === 'new' ? t('cases.newCase') : value;
          break;
        case 'transition':
          out[name] = transition(value);
          break;
        case 'value':
          out[name] = isState(value) ? state(value) : value;
          break;
        default:
          break;
      }
    }
    // The exemption's English reason is replaced even when `exemption` came after it.
    if (params.exemption !== undefined) out.reason = or(`cases.exemptions.${String(params.exemption)}`, String(params.reason ?? ''));
    return out;
  };

  /** A criterion's (or any coded) message in the reader's language; the server's English text if the code is unknown. */
  const message = (m: Pick<Message, 'code' | 'params'> & { readonly text?: string }): string =>
    maybe(messageKey(m.code), localParams(m.params ?? {})) ?? m.text ?? m.code;

  /** Why a transition is closed, one sentence. */
  const closure = (c: Closure, transitionName: string): string => {
    if (c.code === 'case_transition_role_not_allowed') return c.who && c.who.length > 0 ? t('caseMachine.transition_role_not_allowed', { transition: transition(transitionName), who: who(c.who) }) : c.message;
    if (c.guardCode) return message({ code: c.guardCode, params: c.params ?? {}, text: c.message });
    return message({ code: c.code, params: c.params ?? {}, text: c.message });
  };

  /** One detail of a refusal (e.g. a 422 guard failure), in the reader's language. */
  const detail = (d: ErrorDetail): string => (d.code ? message({ code: d.code, params: d.params ?? {}, text: d.message }) : d.message);

  return { t, state, transition, criterion, agency, country, date, message, closure, detail, or, list, evidenceValue };
}
