import { Anchor, Loader, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { VERIFICATION_KEY, type VerificationFilter, identificationApi } from '../api/identification';
import { useCountries, useCountryName } from '../api/queries';
import { verificationPath } from '../navigation';
import { navigate, onLinkClick } from '../router/router';
import { ErrorAlert } from './ErrorAlert';
import { LoadMore } from './LoadMore';
import { useRegistryFormat } from './registryFormat';
import { RequestProgress, RequestStateBadge, requestState, useMoment } from './VerificationStatus';

interface VerificationRequestTableProps {
  readonly filter: Partial<VerificationFilter>;
  readonly testId: string;
  /** What to say when nothing matches. */
  readonly empty: string;
  /** An embassy sees only its own country's requests: no country column. */
  readonly withCountry: boolean;
}

/** Verification requests, newest first, a page at a time; each row opens the request. */
export function VerificationRequestTable({ filter, testId, empty, withCountry }: VerificationRequestTableProps) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  const moment = useMoment();
  const countries = useCountries(withCountry);
  const countryName = useCountryName();
  const requests = useInfiniteQuery({
    queryKey: [...VERIFICATION_KEY, 'list', filter],
    queryFn: ({ pageParam }) => identificationApi.requests(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });

  if (requests.isPending) return <Loader aria-label={t('common.loading')} />;
  if (requests.isError) return <ErrorAlert error={requests.error} testId={`${testId}-error`} />;
  const rows = requests.data.pages.flatMap((page) => page.data);
  if (rows.length === 0 && !requests.isPlaceholderData) {
    return (
      <Text c="dimmed" data-testid={`${testId}-empty`}>
        {empty}
      </Text>
    );
  }

  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover data-testid={testId} aria-busy={requests.isPlaceholderData || undefined}>
          <Table.Thead>
            <Table.Tr>
              {withCountry && <Table.Th>{t('identification.country')}</Table.Th>}
              <Table.Th>{t('identification.sentAt')}</Table.Th>
              <Table.Th>{t('identification.dueOn')}</Table.Th>
              <Table.Th>{t('identification.state')}</Table.Th>
              <Table.Th>{t('identification.settled')}</Table.Th>
              <Table.Th>{t('identification.note')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((request) => {
              const path = verificationPath(request.id);
              return (
                <Table.Tr
                  key={request.id}
                  data-testid="request-row"
                  data-request-id={request.id}
                  data-state={requestState(request)}
                  className={request.overdue ? 'hw-clickable hw-overdue' : 'hw-clickable'}
                  onClick={(event) => {
                    if (!(event.target as HTMLElement).closest('a')) navigate(path);
                  }}
                >
                  {withCountry && (
                    <Table.Td>
                      <Anchor href={path} onClick={onLinkClick(path)} fw={600}>
                        {countryName(request.countryCode, countries.data)}
                      </Anchor>
                    </Table.Td>
                  )}
                  <Table.Td className="hw-nowrap">
                    {withCountry ? (
                      moment(request.sentAt)
                    ) : (
                      <Anchor href={path} onClick={onLinkClick(path)} fw={600}>
                        {moment(request.sentAt)}
                      </Anchor>
                    )}
                    {request.sentBy && (
                      <Text size="xs" c="dimmed" dir="auto">
                        {request.sentBy}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className="hw-nowrap" data-testid="request-due">
                    {format.date(request.dueOn)}
                  </Table.Td>
                  <Table.Td className="hw-nowrap">
                    <RequestStateBadge request={request} />
                  </Table.Td>
                  <Table.Td>
                    <RequestProgress request={request} />
                  </Table.Td>
                  <Table.Td dir="auto">
                    <Text size="sm" lineClamp={2}>
                      {request.note ?? t('common.none')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length > 0 && (
        <LoadMore
          hasMore={requests.hasNextPage}
          loading={requests.isFetchingNextPage}
          onLoad={() => void requests.fetchNextPage()}
          testId={`${testId}-load-more`}
        />
      )}
    </>
  );
}
