import { Button, Group, NativeSelect, SegmentedControl, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VERIFICATION_STATES, type VerificationFilter, type VerificationState } from '../api/identification';
import { useCountries, useCountryName } from '../api/queries';
import type { User } from '../api/types';
import { ExportMenu } from '../components/ExportMenu';
import { MatchQueue } from '../components/MatchQueue';
import { MissionsPanel } from '../components/MissionsPanel';
import { PageTitle } from '../components/PageTitle';
import { TracingPanel } from '../components/TracingPanel';
import { VerificationRequestTable } from '../components/VerificationRequestTable';
import { NEW_VERIFICATION_PATH, maySendVerification } from '../navigation';
import { currentQuery, onLinkClick, replaceQuery } from '../router/router';

type Tab = 'requests' | 'missions' | 'tracing' | 'matches';
const TABS: readonly Tab[] = ['requests', 'missions', 'tracing', 'matches'];
const isTab = (value: string | null): value is Tab => (TABS as readonly string[]).includes(value ?? '');

const isState = (value: string | null): value is VerificationState => (VERIFICATION_STATES as readonly string[]).includes(value ?? '');

/** The filters and the tab live in the address, so that "Back" from a request returns to the same list. */
function fromQuery(): { tab: Tab; filter: VerificationFilter } {
  const query = currentQuery();
  const state = query.get('state');
  return {
    tab: isTab(query.get('tab')) ? (query.get('tab') as Tab) : 'requests',
    filter: { state: isState(state) ? state : '', countryCode: /^[A-Z]{3}$/.test(query.get('country') ?? '') ? (query.get('country') as string) : '' },
  };
}

function toQuery(tab: Tab, filter: VerificationFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (tab !== 'requests') params.set('tab', tab);
  if (filter.state) params.set('state', filter.state);
  if (filter.countryCode) params.set('country', filter.countryCode);
  return params;
}

/** The coordinator's view: every request, filtered by state and country; and the missions. */
function CoordinatorView() {
  const { t, i18n } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  const [initial] = useState(fromQuery);
  const [tab, setTab] = useState<Tab>(initial.tab);
  const [filter, setFilter] = useState<VerificationFilter>(initial.filter);
  const apply = (nextTab: Tab, next: VerificationFilter) => {
    setTab(nextTab);
    setFilter(next);
    replaceQuery(toQuery(nextTab, next));
  };
  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? [])
      .map((c) => ({ value: c.code, label: countryName(c.code, countries.data) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);

  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <PageTitle>{t('nav.identification')}</PageTitle>
        {tab === 'requests' && (
          <Button component="a" href={NEW_VERIFICATION_PATH} onClick={onLinkClick(NEW_VERIFICATION_PATH)} data-testid="verification-new">
            {t('identification.newRequest')}
          </Button>
        )}
      </Group>
      {tab === 'requests' && <Text mb="md">{t('identification.intro')}</Text>}
      <Tabs value={tab} onChange={(value) => apply(isTab(value) ? value : 'requests', filter)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="requests" data-testid="identification-tab-requests">
            {t('identification.requestsTab')}
          </Tabs.Tab>
          <Tabs.Tab value="missions" data-testid="identification-tab-missions">
            {t('identification.missions.title')}
          </Tabs.Tab>
          <Tabs.Tab value="tracing" data-testid="identification-tab-tracing">
            {t('tracing.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="matches" data-testid="identification-tab-matches">
            {t('tracing.matches.tab')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="requests">
          <Stack gap="md">
            <Group align="flex-end" gap="md" wrap="wrap" data-testid="verification-filters">
              <div>
                <Text size="sm" fw={500} mb={4} id="verification-state-label">
                  {t('identification.state')}
                </Text>
                <SegmentedControl
                  aria-labelledby="verification-state-label"
                  value={filter.state || 'all'}
                  onChange={(value) => apply(tab, { ...filter, state: isState(value) ? value : '' })}
                  data={[
                    { value: 'all', label: t('identification.states.all') },
                    ...VERIFICATION_STATES.map((s) => ({ value: s, label: t(`identification.states.${s}`) })),
                  ]}
                  data-testid="verification-filter-state"
                />
              </div>
              <NativeSelect
                label={t('identification.country')}
                value={filter.countryCode}
                onChange={(event) => apply(tab, { ...filter, countryCode: event.currentTarget.value })}
                data={[{ value: '', label: t('registry.any') }, ...countryOptions]}
                data-testid="verification-filter-country"
              />
              <ExportMenu url="/api/v1/verification-requests/export" filters={{ state: filter.state, countryCode: filter.countryCode }} testId="verification-export" list={t('identification.requestsTab')} />
            </Group>
            <VerificationRequestTable filter={filter} testId="verification-requests" empty={t('identification.empty')} withCountry />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="missions">
          <MissionsPanel editable />
        </Tabs.Panel>
        <Tabs.Panel value="tracing">
          <TracingPanel withCountry />
        </Tabs.Panel>
        <Tabs.Panel value="matches">
          <MatchQueue embassy={false} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

type EmbassyTab = 'queue' | 'tracing' | 'matches';

/** An embassy's queue: what the ministry still waits for first (overdue marked), then what it answered; its tracing requests and their possible matches. */
function EmbassyView() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<EmbassyTab>(() => {
    const asked = currentQuery().get('tab');
    return asked === 'tracing' || asked === 'matches' ? asked : 'queue';
  });
  const choose = (value: string | null) => {
    const next: EmbassyTab = value === 'tracing' || value === 'matches' ? value : 'queue';
    setTab(next);
    replaceQuery(new URLSearchParams(next === 'queue' ? {} : { tab: next }));
  };
  return (
    <>
      <PageTitle>{t('identification.embassy.title')}</PageTitle>
      <Text mb="lg">{t('identification.embassy.intro')}</Text>
      <Tabs value={tab} onChange={choose} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="queue" data-testid="identification-tab-queue">
            {t('identification.requestsTab')}
          </Tabs.Tab>
          <Tabs.Tab value="tracing" data-testid="identification-tab-tracing">
            {t('tracing.tab')}
          </Tabs.Tab>
          <Tabs.Tab value="matches" data-testid="identification-tab-matches">
            {t('tracing.matches.tab')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="queue">
          <Stack gap="xl">
            <section aria-labelledby="queue-open">
              <Group justify="space-between" align="center" mb="sm">
                <Title order={2} size="h4" id="queue-open">
                  {t('identification.embassy.open')}
                </Title>
                <ExportMenu url="/api/v1/verification-requests/export" filters={{ state: 'open' }} testId="queue-open-export" list={t('identification.embassy.open')} />
              </Group>
              <VerificationRequestTable filter={{ state: 'open' }} testId="queue-open" empty={t('identification.embassy.nothingOpen')} withCountry={false} />
            </section>
            <section aria-labelledby="queue-answered">
              <Group justify="space-between" align="center" mb="sm">
                <Title order={2} size="h4" id="queue-answered">
                  {t('identification.embassy.answered')}
                </Title>
                <ExportMenu url="/api/v1/verification-requests/export" filters={{ state: 'answered' }} testId="queue-answered-export" list={t('identification.embassy.answered')} />
              </Group>
              <VerificationRequestTable filter={{ state: 'answered' }} testId="queue-answered" empty={t('identification.embassy.nothingAnswered')} withCountry={false} />
            </section>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="tracing">
          <TracingPanel withCountry={false} />
        </Tabs.Panel>
        <Tabs.Panel value="matches">
          <MatchQueue embassy />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

/** Nationality verification: the coordinator's requests and missions, or an embassy's queue. */
export function IdentificationPage({ user }: { readonly user: User }) {
  return <div data-testid="identification-page">{maySendVerification(user) ? <CoordinatorView /> : <EmbassyView />}</div>;
}
