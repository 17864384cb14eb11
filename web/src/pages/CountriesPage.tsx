import { Alert, Anchor, Badge, Group, Loader, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRY_SUMMARIES_KEY, type CountrySummary, diplomacyApi } from '../api/diplomacy';
import type { User } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { ExportMenu } from '../components/ExportMenu';
import { MissionsPanel } from '../components/MissionsPanel';
import { PageTitle } from '../components/PageTitle';
import { countryPath, mayReadDiplomacy } from '../navigation';
import { navigate, onLinkClick } from '../router/router';

export const countryNameIn = (names: CountrySummary['names'], language: string): string =>
  (names as unknown as Record<string, string>)[language] || names.en;

/** Every country with nationals held or diplomacy on record: the coordinator's table. */
function CountryTable() {
  const { t, i18n } = useTranslation();
  const summaries = useQuery({ queryKey: COUNTRY_SUMMARIES_KEY, queryFn: () => diplomacyApi.summaries(null) });
  if (summaries.isPending) return <Loader aria-label={t('common.loading')} />;
  if (summaries.isError) return <ErrorAlert error={summaries.error} />;
  const rows = [...summaries.data.data].sort((a, b) => b.held.people - a.held.people || a.code.localeCompare(b.code));
  if (rows.length === 0) return <Text data-testid="countries-empty">{t('countries.empty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped highlightOnHover data-testid="countries-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('countries.country')}</Table.Th>
            <Table.Th>{t('countries.held.people')}</Table.Th>
            <Table.Th>{t('countries.held.children')}</Table.Th>
            <Table.Th>{t('countries.mission')}</Table.Th>
            <Table.Th>{t('countries.lastNotification')}</Table.Th>
            <Table.Th>{t('countries.agreementInForce')}</Table.Th>
            <Table.Th>{t('countries.openItems')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr key={c.code} data-testid="country-row" data-code={c.code}>
              <Table.Td>
                <Anchor href={countryPath(c.code)} onClick={onLinkClick(countryPath(c.code))} data-testid="country-link">
                  {countryNameIn(c.names, i18n.language)}
                </Anchor>{' '}
                <Text span c="dimmed" size="sm">
                  {c.code}
                </Text>
              </Table.Td>
              <Table.Td data-testid="country-people">{c.held.people}</Table.Td>
              <Table.Td data-testid="country-children">{c.held.children}</Table.Td>
              <Table.Td>{c.mission ? t(`identification.missions.residencies.${c.mission.residency === 'resident' ? 'resident' : 'non_resident'}`) : t('common.none')}</Table.Td>
              <Table.Td>
                {c.lastNotification ? (
                  <>
                    <bdi>{c.lastNotification.sentOn}</bdi>{' '}
                    <Badge size="sm" variant="light" color={c.lastNotification.acknowledgedOn ? 'green' : 'yellow'}>
                      {c.lastNotification.acknowledgedOn ? t('countries.notifications.acknowledged') : t('countries.notifications.awaiting')}
                    </Badge>
                  </>
                ) : (
                  t('countries.notifications.never')
                )}
              </Table.Td>
              <Table.Td data-testid="country-agreement">
                {c.agreementInForce
                  ? t('countries.agreements.feeShort', { amount: c.agreementInForce.feePerChild, currency: c.agreementInForce.currency })
                  : t('common.none')}
              </Table.Td>
              <Table.Td>
                {c.openActionItems}
                {c.overdueActionItems > 0 && (
                  <Badge ms="xs" size="sm" color="red" variant="light">
                    {t('countries.meetings.overdueCount', { count: c.overdueActionItems })}
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * Countries: the coordinator's list of countries with nationals held; an embassy goes
 * straight to its own country's page; an administrator keeps the missions.
 */
export function CountriesPage({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  const own = user.role === 'embassy' ? user.countryCode : null;
  useEffect(() => {
    if (own) navigate(countryPath(own), { replace: true });
  }, [own]);
  if (own) return <Loader aria-label={t('common.loading')} />;
  if (!mayReadDiplomacy(user)) {
    return (
      <div data-testid="countries-page">
        <PageTitle>{t('nav.countries')}</PageTitle>
        <Alert color="gray" variant="light" mb="md">
          {t('countries.adminIntro')}
        </Alert>
        <MissionsPanel editable />
      </div>
    );
  }
  return (
    <div data-testid="countries-page">
      <PageTitle>{t('nav.countries')}</PageTitle>
      <Group justify="space-between" align="flex-start" mb="md" wrap="nowrap">
        <Text>{t('countries.intro')}</Text>
        <ExportMenu url="/api/v1/country-summaries/export" testId="countries-export" list={t('nav.countries')} />
      </Group>
      <CountryTable />
    </div>
  );
}
