import { Anchor, Badge, Button, Group, Loader, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCountries, useCountryName } from '../api/queries';
import { TRACING_KEY, TRACING_STATUSES, type TracingStatus, tracingApi } from '../api/tracing';
import { NEW_TRACING_PATH, tracingPath } from '../navigation';
import { currentQuery, navigate, onLinkClick, replaceQuery } from '../router/router';
import { ErrorAlert } from './ErrorAlert';
import { ExportMenu } from './ExportMenu';
import { LoadMore } from './LoadMore';
import { Name, TracingStatusBadge } from './TracingStatus';
import { useMoment } from './VerificationStatus';

const isStatus = (value: string | null): value is TracingStatus => (TRACING_STATUSES as readonly string[]).includes(value ?? '');

/** Tracing requests, newest first, filtered by status (kept in the address); each row opens the request. */
export function TracingPanel({ withCountry }: { readonly withCountry: boolean }) {
  const { t, i18n } = useTranslation();
  const moment = useMoment();
  const countries = useCountries(withCountry);
  const countryName = useCountryName();
  const number = new Intl.NumberFormat(i18n.language);
  const [status, setStatus] = useState<TracingStatus | ''>(() => {
    const asked = currentQuery().get('status');
    return isStatus(asked) ? asked : '';
  });
  const choose = (value: string) => {
    const next = isStatus(value) ? value : '';
    setStatus(next);
    const params = currentQuery();
    if (next) params.set('status', next);
    else params.delete('status');
    replaceQuery(params);
  };
  const requests = useInfiniteQuery({
    queryKey: [...TRACING_KEY, 'list', status],
    queryFn: ({ pageParam }) => tracingApi.requests(status, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = requests.data?.pages.flatMap((page) => page.data) ?? [];

  return (
    <Stack gap="md" data-testid="tracing-panel">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Text maw="48rem">{t('tracing.intro')}</Text>
        <Button component="a" href={NEW_TRACING_PATH} onClick={onLinkClick(NEW_TRACING_PATH)} data-testid="tracing-new">
          {t('tracing.new')}
        </Button>
      </Group>
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Text size="sm" fw={500} mb={4} id="tracing-status-label">
            {t('tracing.status')}
          </Text>
          <SegmentedControl
            aria-labelledby="tracing-status-label"
            value={status || 'all'}
            onChange={choose}
            data={[{ value: 'all', label: t('tracing.statuses.all') }, ...TRACING_STATUSES.map((s) => ({ value: s, label: t(`tracing.statuses.${s}`) }))]}
            data-testid="tracing-filter-status"
          />
        </div>
        <ExportMenu url="/api/v1/tracing-requests/export" filters={{ status }} testId="tracing-export" list={t('tracing.tab')} />
      </Group>
      {requests.isPending ? (
        <Loader aria-label={t('common.loading')} />
      ) : requests.isError ? (
        <ErrorAlert error={requests.error} testId="tracing-requests-error" />
      ) : rows.length === 0 && !requests.isPlaceholderData ? (
        <Text c="dimmed" data-testid="tracing-requests-empty">
          {t('tracing.empty')}
        </Text>
      ) : (
        <>
          <Table.ScrollContainer minWidth={820}>
            <Table striped highlightOnHover data-testid="tracing-requests" aria-busy={requests.isPlaceholderData || undefined}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tracing.sought')}</Table.Th>
                  {withCountry && <Table.Th>{t('identification.country')}</Table.Th>}
                  <Table.Th>{t('tracing.birth')}</Table.Th>
                  <Table.Th>{t('tracing.enquirer')}</Table.Th>
                  <Table.Th>{t('tracing.filedAt')}</Table.Th>
                  <Table.Th>{t('tracing.status')}</Table.Th>
                  <Table.Th>{t('tracing.proposed')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((request) => {
                  const path = tracingPath(request.id);
                  return (
                    <Table.Tr
                      key={request.id}
                      data-testid="tracing-row"
                      data-request-id={request.id}
                      data-status={request.status}
                      data-proposed={request.proposedCandidates}
                      className="hw-clickable"
                      onClick={(event) => {
                        if (!(event.target as HTMLElement).closest('a')) navigate(path);
                      }}
                    >
                      <Table.Td>
                        <Anchor href={path} onClick={onLinkClick(path)} dir="auto" className="hw-name" fw={600}>
                          <bdi>{request.sought.names[0]}</bdi>
                        </Anchor>
                        {request.sought.names.slice(1).map((name) => (
                          <Text key={name} size="sm" c="dimmed">
                            <Name fw={400}>{name}</Name>
                          </Text>
                        ))}
                        <Text size="xs" c="dimmed">
                          {t(`registry.sexes.${request.sought.sex}`)}
                        </Text>
                      </Table.Td>
                      {withCountry && <Table.Td>{countryName(request.countryCode, countries.data)}</Table.Td>}
                      <Table.Td dir="auto">{request.sought.birthDate ?? t('common.none')}</Table.Td>
                      <Table.Td>
                        <Name fw={500}>{request.enquirer.name}</Name>
                        <Text size="xs" c="dimmed" dir="auto">
                          {request.enquirer.relationship}
                        </Text>
                      </Table.Td>
                      <Table.Td className="hw-nowrap">{moment(request.createdAt)}</Table.Td>
                      <Table.Td className="hw-nowrap">
                        <TracingStatusBadge status={request.status} />
                      </Table.Td>
                      <Table.Td data-testid="tracing-proposed">
                        {request.proposedCandidates > 0 ? (
                          <Badge color="orange" variant="light" className="hw-badge-whole">
                            {t('tracing.proposedCount', { count: request.proposedCandidates, n: number.format(request.proposedCandidates) })}
                          </Badge>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('common.none')}
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <LoadMore hasMore={requests.hasNextPage} loading={requests.isFetchingNextPage} onLoad={() => void requests.fetchNextPage()} testId="tracing-requests-load-more" />
        </>
      )}
    </Stack>
  );
}
