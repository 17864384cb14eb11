import { Alert, Group, Loader, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CASE_STATES, type CountryViewPart, casesApi, countryEligibilityKey } from '../api/cases';
import { ApiError } from '../api/client';
import { useCaseText } from './caseText';
import { ErrorAlert } from './ErrorAlert';

/** "How many of our N are eligible, and what blocks the others": one group (children or adults). */
function Part({ part, group }: { readonly part: CountryViewPart; readonly group: 'children' | 'adults' }) {
  const { t, i18n } = useTranslation();
  const text = useCaseText();
  const number = new Intl.NumberFormat(i18n.language);
  const share = part.total > 0 ? (part.eligible / part.total) * 100 : 0;
  const most = Math.max(1, ...part.blockers.map((b) => b.count));
  return (
    <Paper withBorder p="md" data-testid={`country-${group}`} data-total={part.total} data-eligible={part.eligible} data-blocked={part.blocked} data-failing={part.failing}>
      <Title order={3} size="h5" mb={4}>
        {t(`cases.country.${group}`)}
      </Title>
      {part.total === 0 ? (
        <Text c="dimmed" size="sm">
          {t(`cases.country.none.${group}`)}
        </Text>
      ) : (
        <Stack gap="xs">
          <Text size="lg" fw={700} data-testid={`country-${group}-headline`}>
            {t(`cases.country.headline.${group}`, { eligible: number.format(part.eligible), total: number.format(part.total), count: part.total })}
          </Text>
          <Progress value={share} color="green" size="md" aria-hidden />
          {part.blocked > 0 && (
            <Text size="sm" data-testid={`country-${group}-blocked`}>
              {t('cases.country.blocked', { blocked: number.format(part.blocked), failing: number.format(part.failing), waiting: number.format(part.blocked - part.failing), count: part.blocked })}
            </Text>
          )}
          {part.blockers.length > 0 && (
            <Table.ScrollContainer minWidth={480}>
              <Table fz="sm" data-testid={`country-${group}-blockers`}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('cases.country.criterion')}</Table.Th>
                    <Table.Th>{t('cases.country.heldBack')}</Table.Th>
                    <Table.Th>{t('cases.country.fails')}</Table.Th>
                    <Table.Th>{t('cases.country.unknown')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {part.blockers.map((b) => (
                    <Table.Tr key={b.criterion} data-testid="country-blocker" data-criterion-id={b.criterion} data-count={b.count} data-fails={b.fails} data-unknown={b.unknown}>
                      <Table.Td>{text.criterion(b.criterion)}</Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Text size="sm" fw={600} miw="2.5rem">
                            {number.format(b.count)}
                          </Text>
                          <div className="hw-blocker-bar" aria-hidden>
                            <div className="hw-blocker-fails" style={{ inlineSize: `${(b.fails / most) * 100}%` }} />
                            <div className="hw-blocker-unknown" style={{ inlineSize: `${(b.unknown / most) * 100}%` }} />
                          </div>
                        </Group>
                      </Table.Td>
                      <Table.Td>{number.format(b.fails)}</Table.Td>
                      <Table.Td>{number.format(b.unknown)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </Paper>
  );
}

/**
 * A country's people on open cases: how many are eligible, and what blocks the others (each
 * criterion with the people it holds back, refusals and missing answers apart), and the cases by state.
 * Self-contained: give it a country code (the coordinator chooses; an embassy sees its own).
 */
export function CountryEligibility({ countryCode }: { readonly countryCode: string }) {
  const { t, i18n } = useTranslation();
  const text = useCaseText();
  const number = new Intl.NumberFormat(i18n.language);
  const view = useQuery({ queryKey: countryEligibilityKey(countryCode), queryFn: () => casesApi.countryEligibility(countryCode), enabled: /^[A-Z]{3}$/.test(countryCode), retry: false });
  if (view.isPending) return <Loader aria-label={t('common.loading')} />;
  if (view.isError) {
    if (view.error instanceof ApiError && view.error.status === 404) {
      return (
        <Alert color="gray" data-testid="country-eligibility-missing">
          {t('cases.country.notFound')}
        </Alert>
      );
    }
    return <ErrorAlert error={view.error} testId="country-eligibility-error" />;
  }
  const v = view.data;
  const states = CASE_STATES.filter((s) => (v.byState[s] ?? 0) > 0);
  return (
    <Stack gap="md" data-testid="country-eligibility" data-country={v.countryCode}>
      <Text size="sm" c="dimmed">
        {t('cases.country.asOf', { country: text.country(v.countryCode), date: text.date(v.onDate) })}
      </Text>
      {/* Side by side when both groups have people; otherwise the one that has them takes the width. */}
      <SimpleGrid cols={v.children.total > 0 && v.adults.total > 0 ? { base: 1, xl: 2 } : 1} spacing="md">
        {v.adults.total > 0 && v.children.total === 0 ? (
          <>
            <Part part={v.adults} group="adults" />
            <Part part={v.children} group="children" />
          </>
        ) : (
          <>
            <Part part={v.children} group="children" />
            <Part part={v.adults} group="adults" />
          </>
        )}
      </SimpleGrid>
      {states.length > 0 && (
        <Paper withBorder p="md" data-testid="country-by-state">
          <Title order={3} size="h5" mb="xs">
            {t('cases.country.byState')}
          </Title>
          <Group gap="lg" wrap="wrap">
            {states.map((s) => (
              <div key={s} data-testid="country-state" data-state={s} data-count={v.byState[s]}>
                <Text size="xs" c="dimmed">
                  {text.state(s)}
                </Text>
                <Text fw={700}>{number.format(v.byState[s] ?? 0)}</Text>
              </div>
            ))}
          </Group>
        </Paper>
      )}
    </Stack>
  );
}
