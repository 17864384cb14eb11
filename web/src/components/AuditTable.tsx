import { Loader, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { type AuditFilter, auditApi } from '../api/audit';
import type { AuditEvent } from '../api/types';
import { ErrorAlert } from './ErrorAlert';
import { LoadMore } from './LoadMore';

const SHORT_HASH = 12;

function Row({ event, formatTime }: { readonly event: AuditEvent; readonly formatTime: (iso: string) => string }) {
  const { t } = useTranslation();
  return (
    <Table.Tr data-testid="audit-row">
      <Table.Td>
        <time dateTime={event.occurredAt}>{formatTime(event.occurredAt)}</time>
      </Table.Td>
      <Table.Td>
        {event.actor ? (
          <>
            <bdi>{event.actor.username}</bdi>
            <Text span size="xs" c="dimmed">
              {' · '}
              {t(`roles.${event.actor.role}`)}
            </Text>
          </>
        ) : (
          t('audit.system')
        )}
      </Table.Td>
      <Table.Td className="hw-mono">
        <bdi>{event.action}</bdi>
      </Table.Td>
      <Table.Td className="hw-mono">
        <bdi>{event.entityType}</bdi>
      </Table.Td>
      <Table.Td className="hw-mono hw-ltr" dir="ltr">
        {event.entityId ?? t('common.none')}
      </Table.Td>
      <Table.Td className="hw-mono hw-ltr" dir="ltr">
        {event.chainId} / {event.seq}
      </Table.Td>
      <Table.Td className="hw-mono hw-ltr" dir="ltr" title={event.hash}>
        {event.hash.slice(0, SHORT_HASH)}
      </Table.Td>
    </Table.Tr>
  );
}

/** Audit events, newest first as the server orders them, a page at a time. */
export function AuditTable({ filter }: { readonly filter: AuditFilter }) {
  const { t, i18n } = useTranslation();
  const events = useInfiniteQuery({
    queryKey: ['audit-events', filter],
    queryFn: ({ pageParam }) => auditApi.events(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

  if (events.isPending) return <Loader aria-label={t('common.loading')} />;
  if (events.isError) return <ErrorAlert error={events.error} />;

  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium' });
  const formatTime = (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
  const rows = events.data.pages.flatMap((page) => page.data);

  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover data-testid="audit-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.time')}</Table.Th>
              <Table.Th>{t('audit.actor')}</Table.Th>
              <Table.Th>{t('audit.action')}</Table.Th>
              <Table.Th>{t('audit.entityType')}</Table.Th>
              <Table.Th>{t('audit.entityId')}</Table.Th>
              <Table.Th>{t('audit.chain')}</Table.Th>
              <Table.Th>{t('audit.hash')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((event) => (
              <Row key={event.id} event={event} formatTime={formatTime} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && (
        <Text c="dimmed" mt="sm">
          {t('audit.empty')}
        </Text>
      )}
      <LoadMore
        hasMore={events.hasNextPage}
        loading={events.isFetchingNextPage}
        onLoad={() => void events.fetchNextPage()}
        testId="audit-load-more"
      />
    </>
  );
}
