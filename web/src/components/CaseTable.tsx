import { Anchor, Group, Loader, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CASES_KEY, type CaseFilter, casesApi } from '../api/cases';
import { casePath } from '../navigation';
import { navigate, onLinkClick } from '../router/router';
import { useCaseText } from './caseText';
import { CaseStateBadge, EligibleBadge } from './CaseStatus';
import { ErrorAlert } from './ErrorAlert';
import { LoadMore } from './LoadMore';
import { useMoment } from './VerificationStatus';

/** Cases matching the filters, most recently moved first, a page at a time ("load more" follows the cursor). */
export function CaseTable({ filter }: { readonly filter: CaseFilter }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const moment = useMoment();
  const cases = useInfiniteQuery({
    queryKey: [...CASES_KEY, 'list', filter],
    queryFn: ({ pageParam }) => casesApi.list(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
  if (cases.isPending) return <Loader aria-label={t('common.loading')} />;
  if (cases.isError) return <ErrorAlert error={cases.error} testId="case-table-error" />;
  const rows = cases.data.pages.flatMap((p) => p.data);
  return (
    <>
      <Group gap="xs" mb="xs" mih={24}>
        {cases.isFetching && !cases.isFetchingNextPage && <Loader size="xs" aria-label={t('common.loading')} />}
      </Group>
      <Table.ScrollContainer minWidth={860}>
        <Table striped highlightOnHover data-testid="case-table" aria-busy={cases.isPlaceholderData || undefined} data-ready={cases.isPlaceholderData ? undefined : 'true'}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('cases.table.reference')}</Table.Th>
              <Table.Th>{t('cases.table.state')}</Table.Th>
              <Table.Th>{t('cases.table.country')}</Table.Th>
              <Table.Th>{t('cases.table.kind')}</Table.Th>
              <Table.Th>{t('cases.table.members')}</Table.Th>
              <Table.Th>{t('cases.table.eligible')}</Table.Th>
              <Table.Th>{t('cases.table.moved')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => {
              const path = casePath(c.id);
              return (
                <Table.Tr
                  key={c.id}
                  className="hw-clickable"
                  data-testid="case-row"
                  data-case-id={c.id}
                  data-state={c.state}
                  data-eligible={c.eligible}
                  onClick={(event) => {
                    if (!(event.target as HTMLElement).closest('a')) navigate(path);
                  }}
                >
                  <Table.Td>
                    <Anchor href={path} onClick={onLinkClick(path)} fw={600} className="hw-ltr">
                      {c.reference}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <CaseStateBadge state={c.state} />
                  </Table.Td>
                  <Table.Td>{text.country(c.countryCode)}</Table.Td>
                  <Table.Td>{t(`cases.kinds.${c.kind}`)}</Table.Td>
                  <Table.Td dir="auto" className="hw-name">
                    {c.members.map((m, i) => (
                      <span key={m.personId}>
                        {i > 0 ? ', ' : ''}
                        <bdi>{m.displayName}</bdi>
                      </span>
                    ))}
                  </Table.Td>
                  <Table.Td>
                    <EligibleBadge eligible={c.eligible} />
                  </Table.Td>
                  <Table.Td className="hw-nowrap">{moment(c.stateChangedAt)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && !cases.isPlaceholderData && (
        <Text c="dimmed" mt="sm" data-testid="case-table-empty">
          {t('cases.table.empty')}
        </Text>
      )}
      {rows.length > 0 && <LoadMore hasMore={cases.hasNextPage} loading={cases.isFetchingNextPage} onLoad={() => void cases.fetchNextPage()} testId="case-table-more" />}
    </>
  );
}
