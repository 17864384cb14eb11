import { Button, Group, NativeSelect, Stack, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_STATES, type CaseFilter, type CaseState, type Eligible, mayOpenCase, maySeeCountryView } from '../api/cases';
import { useCountries, useCountryName } from '../api/queries';
import type { User } from '../api/types';
import { CaseBoard } from '../components/CaseBoard';
import { CaseTable } from '../components/CaseTable';
import { useCaseText } from '../components/caseText';
import { CountryEligibility } from '../components/CountryEligibility';
import { ExportMenu } from '../components/ExportMenu';
import { PageTitle } from '../components/PageTitle';
import { NEW_CASE_PATH } from '../navigation';
import { currentQuery, onLinkClick, replaceQuery } from '../router/router';

type View = 'board' | 'table' | 'country';
const VIEWS: readonly View[] = ['board', 'table', 'country'];
const ELIGIBLE: readonly Eligible[] = ['true', 'false', 'unknown'];
const TYPING_PAUSE_MS = 300;
const isCountry = (v: string | null): v is string => /^[A-Z]{3}$/.test(v ?? '');

interface PageState {
  readonly view: View;
  readonly filter: CaseFilter;
  /** The country of the "By country" view. */
  readonly country: string;
}

/** The view and filters live in the address, so that "Back" from a case returns to the same list. */
function fromQuery(): PageState {
  const q = currentQuery();
  const view = q.get('view');
  const state = q.get('state');
  const eligible = q.get('eligible');
  return {
    view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'board',
    filter: {
      state: (CASE_STATES as readonly string[]).includes(state ?? '') ? (state as CaseState) : '',
      countryCode: isCountry(q.get('country')) ? (q.get('country') as string) : '',
      eligible: (ELIGIBLE as readonly string[]).includes(eligible ?? '') ? (eligible as Eligible) : '',
      q: q.get('q') ?? '',
    },
    country: isCountry(q.get('of')) ? (q.get('of') as string) : '',
  };
}

function toQuery(s: PageState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.view !== 'board') p.set('view', s.view);
  if (s.filter.state) p.set('state', s.filter.state);
  if (s.filter.countryCode) p.set('country', s.filter.countryCode);
  if (s.filter.eligible) p.set('eligible', s.filter.eligible);
  if (s.filter.q) p.set('q', s.filter.q);
  if (s.country) p.set('of', s.country);
  return p;
}

/** Repatriation cases: a board by state, a filtered table, and (coordinator, embassy) how a country's people stand. */
export function CasesPage({ user }: { readonly user: User }) {
  const { t, i18n } = useTranslation();
  const text = useCaseText();
  const countries = useCountries();
  const countryName = useCountryName();
  const [page, setPage] = useState<PageState>(fromQuery);
  const [q] = useDebouncedValue(page.filter.q, TYPING_PAUSE_MS);
  const embassy = user.role === 'embassy';
  const update = (next: PageState) => {
    setPage(next);
    replaceQuery(toQuery(next));
  };
  const setFilter = (part: Partial<CaseFilter>) => update({ ...page, filter: { ...page.filter, ...part } });

  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? []).map((c) => ({ value: c.code, label: countryName(c.code, countries.data) })).sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);

  const countrySelect = (value: string, onChange: (v: string) => void, testId: string, anyLabel: string) => (
    <NativeSelect label={t('cases.filters.country')} value={value} onChange={(e) => onChange(e.currentTarget.value)} data={[{ value: '', label: anyLabel }, ...countryOptions]} data-testid={testId} />
  );
  const viewCountry = embassy ? (user.countryCode ?? '') : page.country;

  return (
    <Stack gap="md" data-testid="cases-page">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <PageTitle>{t('cases.title')}</PageTitle>
        {mayOpenCase(user) && (
          <Button component="a" href={NEW_CASE_PATH} onClick={onLinkClick(NEW_CASE_PATH)} data-testid="case-new">
            {t('cases.open')}
          </Button>
        )}
      </Group>
      <Text>{embassy ? t('cases.introEmbassy', { country: text.country(user.countryCode ?? '') }) : t('cases.intro')}</Text>
      <Tabs value={page.view} onChange={(v) => update({ ...page, view: (VIEWS as readonly string[]).includes(v ?? '') ? (v as View) : 'board' })} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="board" data-testid="cases-tab-board">
            {t('cases.views.board')}
          </Tabs.Tab>
          <Tabs.Tab value="table" data-testid="cases-tab-table">
            {t('cases.views.table')}
          </Tabs.Tab>
          {maySeeCountryView(user) && (
            <Tabs.Tab value="country" data-testid="cases-tab-country">
              {t('cases.views.country')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="board">
          <Stack gap="sm">
            {!embassy && <Group>{countrySelect(page.filter.countryCode, (v) => setFilter({ countryCode: v }), 'board-filter-country', t('registry.any'))}</Group>}
            <CaseBoard countryCode={page.filter.countryCode} onShowState={(state) => update({ ...page, view: 'table', filter: { ...page.filter, state } })} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="table">
          <Stack gap="sm">
            <Group align="flex-end" gap="md" wrap="wrap" data-testid="case-filters">
              <NativeSelect
                label={t('cases.filters.state')}
                value={page.filter.state}
                onChange={(e) => setFilter({ state: e.currentTarget.value as CaseState | '' })}
                data={[{ value: '', label: t('registry.any') }, ...CASE_STATES.map((s) => ({ value: s, label: text.state(s) }))]}
                data-testid="case-filter-state"
              />
              {!embassy && countrySelect(page.filter.countryCode, (v) => setFilter({ countryCode: v }), 'case-filter-country', t('registry.any'))}
              <NativeSelect
                label={t('cases.filters.eligible')}
                value={page.filter.eligible}
                onChange={(e) => setFilter({ eligible: e.currentTarget.value as Eligible | '' })}
                data={[{ value: '', label: t('registry.any') }, ...ELIGIBLE.map((v) => ({ value: v, label: t(`cases.eligible.${v}`) }))]}
                data-testid="case-filter-eligible"
              />
              <TextInput
                type="search"
                label={t('cases.filters.reference')}
                placeholder={t('cases.filters.referencePlaceholder')}
                value={page.filter.q}
                onChange={(e) => setFilter({ q: e.currentTarget.value })}
                maxLength={100}
                spellCheck={false}
                autoComplete="off"
                data-testid="case-filter-q"
              />
              <ExportMenu url="/api/v1/cases/export" filters={{ state: page.filter.state, countryCode: page.filter.countryCode }} testId="cases-export" />
            </Group>
            <CaseTable filter={{ ...page.filter, q }} />
          </Stack>
        </Tabs.Panel>
        {maySeeCountryView(user) && (
          <Tabs.Panel value="country">
            <Stack gap="sm">
              {embassy ? null : <Group>{countrySelect(page.country, (v) => update({ ...page, country: v }), 'country-view-select', t('identification.chooseCountry'))}</Group>}
              {viewCountry ? (
                <CountryEligibility countryCode={viewCountry} />
              ) : (
                <Text c="dimmed" data-testid="country-view-choose">
                  {t('cases.country.choose')}
                </Text>
              )}
            </Stack>
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
