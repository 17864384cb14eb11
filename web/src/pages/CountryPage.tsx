import { Anchor, Badge, Card, Group, List, Loader, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { type CountryOverview, diplomacyApi, overviewKey } from '../api/diplomacy';
import type { User } from '../api/types';
import { AgreementsPanel, MeetingsPanel, NotificationsPanel, ltr } from '../components/DiplomacyPanels';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { COUNTRIES_PATH, mayKeepDiplomacy, mayReadDiplomacy } from '../navigation';
import { currentQuery, onLinkClick, replaceQuery } from '../router/router';
import { countryNameIn } from './CountriesPage';
import { ForbiddenPage, NotFoundPage } from './StatusPages';

type Tab = 'overview' | 'notifications' | 'meetings' | 'agreements';
const TABS: readonly Tab[] = ['overview', 'notifications', 'meetings', 'agreements'];
const isTab = (value: string | null): value is Tab => (TABS as readonly string[]).includes(value ?? '');

function Overview({ overview }: { readonly overview: CountryOverview }) {
  const { t } = useTranslation();
  const m = overview.mission;
  const a = overview.agreementInForce;
  const last = overview.notifications[0];
  return (
    <Stack gap="md" data-testid="country-overview">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            {t('countries.held.people')}
          </Text>
          <Text size="xl" fw={700} data-testid="held-people">
            {overview.held.people}
          </Text>
          <Text size="sm" c="dimmed">
            {t('countries.held.children')}
          </Text>
          <Text size="xl" fw={700} data-testid="held-children">
            {overview.held.children}
          </Text>
        </Card>
        <Card withBorder data-testid="country-mission">
          <Title order={2} size="h5" mb={4}>
            {t('countries.mission')}
          </Title>
          {m ? (
            <Stack gap={2}>
              <Text size="sm">{t(`identification.missions.residencies.${m.residency === 'resident' ? 'resident' : 'non_resident'}`)}</Text>
              {m.accreditedFrom && <Text size="sm" dir="auto">{m.accreditedFrom}</Text>}
              {m.address && <Text size="sm" dir="auto">{m.address}</Text>}
              {m.contactName && <Text size="sm" dir="auto">{m.contactName}</Text>}
              {m.phone && (
                <Text size="sm" dir="ltr">
                  {m.phone}
                </Text>
              )}
              {m.email && (
                <Text size="sm" dir="ltr">
                  {m.email}
                </Text>
              )}
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              {t('countries.noMission')}
            </Text>
          )}
        </Card>
        <Card withBorder>
          <Title order={2} size="h5" mb={4}>
            {t('countries.agreementInForce')}
          </Title>
          {a ? (
            <Stack gap={2} data-testid="overview-agreement">
              <Text size="sm" dir="auto">
                {a.title}
              </Text>
              <Text size="sm">{t('countries.agreements.fees', { child: ltr(a.feePerChild), adult: ltr(a.feePerAdult), currency: a.currency })}</Text>
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              {t('countries.agreements.noneInForce')}
            </Text>
          )}
          <Title order={2} size="h5" mt="sm" mb={4}>
            {t('countries.lastNotification')}
          </Title>
          <Text size="sm">
            {last
              ? last.acknowledgedOn
                ? t('countries.notifications.sentAcknowledged', { sent: ltr(last.sentOn), acknowledged: ltr(last.acknowledgedOn) })
                : t('countries.notifications.sentAwaiting', { sent: ltr(last.sentOn) })
              : t('countries.notifications.never')}
          </Text>
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={2} size="h5" mb="xs">
          {t('countries.openItems')}
        </Title>
        {overview.openActionItems.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('countries.meetings.noOpenItems')}
          </Text>
        ) : (
          <List size="sm" spacing={4} data-testid="open-action-items">
            {overview.openActionItems.map((i) => (
              <List.Item key={i.id} data-overdue={i.overdue ? 'true' : 'false'}>
                <Group gap="xs">
                  <Text span size="sm" dir="auto">
                    {i.description}
                  </Text>
                  <Text span size="sm" c="dimmed" dir="auto">
                    — {i.owner}
                  </Text>
                  {i.dueOn && <Text span size="sm">{t('countries.meetings.dueOnDate', { date: ltr(i.dueOn) })}</Text>}
                  {i.overdue && (
                    <Badge color="red" variant="light" size="sm">
                      {t('countries.meetings.overdue')}
                    </Badge>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
        )}
      </Card>
    </Stack>
  );
}

/** Every notification sent to the country (the overview holds only the latest). */
function AllNotifications({ code, keep, acknowledge }: { readonly code: string; readonly keep: boolean; readonly acknowledge: boolean }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: [...overviewKey(code), 'notifications'], queryFn: () => diplomacyApi.notifications(code) });
  if (list.isPending) return <Loader aria-label={t('common.loading')} />;
  if (list.isError) return <ErrorAlert error={list.error} />;
  return <NotificationsPanel code={code} notifications={list.data.data} keep={keep} acknowledge={acknowledge} />;
}

function AllMeetings({ code, keep }: { readonly code: string; readonly keep: boolean }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: [...overviewKey(code), 'meetings'], queryFn: () => diplomacyApi.meetings(code) });
  if (list.isPending) return <Loader aria-label={t('common.loading')} />;
  if (list.isError) return <ErrorAlert error={list.error} />;
  return <MeetingsPanel code={code} meetings={list.data.data} keep={keep} />;
}

/** One country's page: mission and counts, notifications, meetings, agreements. */
export function CountryPage({ code, user }: { readonly code: string; readonly user: User }) {
  const { t, i18n } = useTranslation();
  const [tab, setTab] = useState<Tab>(() => {
    const asked = currentQuery().get('tab');
    return isTab(asked) ? asked : 'overview';
  });
  const valid = /^[A-Z]{3}$/.test(code);
  const overview = useQuery({ queryKey: overviewKey(code), queryFn: () => diplomacyApi.overview(code), enabled: valid && mayReadDiplomacy(user), retry: false });
  if (!mayReadDiplomacy(user)) return <ForbiddenPage />;
  if (!valid) return <NotFoundPage />;
  if (overview.isPending) return <Loader aria-label={t('common.loading')} />;
  if (overview.isError) {
    if (overview.error instanceof ApiError && overview.error.status === 404) return <NotFoundPage />;
    return <ErrorAlert error={overview.error} />;
  }
  const data = overview.data;
  const keep = mayKeepDiplomacy(user);
  const choose = (value: string | null) => {
    const next = isTab(value) ? value : 'overview';
    setTab(next);
    replaceQuery(new URLSearchParams(next === 'overview' ? {} : { tab: next }));
  };
  return (
    <div data-testid="country-page" data-code={code}>
      {keep && (
        <Anchor href={COUNTRIES_PATH} onClick={onLinkClick(COUNTRIES_PATH)} size="sm" data-testid="countries-back">
          {t('countries.back')}
        </Anchor>
      )}
      <PageTitle testId="country-title">{`${countryNameIn(data.names, i18n.language)} (${data.code})`}</PageTitle>
      <Tabs value={tab} onChange={choose} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map((key) => (
            <Tabs.Tab key={key} value={key} data-testid={`country-tab-${key}`}>
              {t(`countries.tabs.${key}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Overview overview={data} />
        </Tabs.Panel>
        <Tabs.Panel value="notifications">
          <AllNotifications code={code} keep={keep} acknowledge={keep || user.role === 'embassy'} />
        </Tabs.Panel>
        <Tabs.Panel value="meetings">
          <AllMeetings code={code} keep={keep} />
        </Tabs.Panel>
        <Tabs.Panel value="agreements">
          <AgreementsPanel code={code} agreements={data.agreements} keep={keep} />
        </Tabs.Panel>
      </Tabs>
    </div>
  );
}
