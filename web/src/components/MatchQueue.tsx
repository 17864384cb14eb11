import { Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CANDIDATE_KINDS,
  CANDIDATE_STATUSES,
  CANDIDATES_KEY,
  type CandidateFilter,
  type CandidateKind,
  type CandidateStatus,
  type MatchCandidate,
  tracingApi,
} from '../api/tracing';
import { currentQuery, replaceQuery } from '../router/router';
import { ErrorAlert } from './ErrorAlert';
import { ExportMenu } from './ExportMenu';
import { LoadMore } from './LoadMore';
import { MatchCard } from './MatchCard';

const isStatus = (v: string | null): v is CandidateStatus => (CANDIDATE_STATUSES as readonly string[]).includes(v ?? '');
const isKind = (v: string | null): v is CandidateKind => (CANDIDATE_KINDS as readonly string[]).includes(v ?? '');

interface MatchQueueProps {
  /** An embassy reviews only tracing candidates of its own requests: no kind filter. */
  readonly embassy: boolean;
  /** Only one tracing request's candidates (on its page); the filters are then not kept in the address. */
  readonly tracingRequestId?: string;
}

/**
 * "Possible matches": the engine's proposals, most likely first, each side by side with its reasons.
 * A card decided here stays in view with its decision (under "Just decided") after it leaves the list.
 */
export function MatchQueue({ embassy, tracingRequestId }: MatchQueueProps) {
  const { t } = useTranslation();
  const inAddress = tracingRequestId === undefined;
  const [filter, setFilter] = useState<CandidateFilter>(() => {
    const query = inAddress ? currentQuery() : new URLSearchParams();
    const status = query.get('review');
    const kind = query.get('kind');
    return { status: isStatus(status) ? status : 'proposed', kind: !embassy && isKind(kind) ? kind : '', tracingRequestId };
  });
  const [decided, setDecided] = useState<ReadonlyMap<string, MatchCandidate>>(new Map());
  const apply = (next: CandidateFilter) => {
    setFilter(next);
    setDecided(new Map());
    if (!inAddress) return;
    const params = currentQuery();
    if (next.status === 'proposed') params.delete('review');
    else params.set('review', next.status);
    if (next.kind) params.set('kind', next.kind);
    else params.delete('kind');
    replaceQuery(params);
  };
  const candidates = useInfiniteQuery({
    queryKey: [...CANDIDATES_KEY, 'list', filter],
    queryFn: ({ pageParam }) => tracingApi.candidates(filter, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = candidates.data?.pages.flatMap((page) => page.data) ?? [];
  const listed = new Set(rows.map((c) => c.id));
  const justDecided = [...decided.values()].filter((c) => !listed.has(c.id));
  const onDecided = (candidate: MatchCandidate) => setDecided((d) => new Map(d).set(candidate.id, candidate));

  return (
    <Stack gap="md" data-testid={tracingRequestId ? 'request-matches' : 'match-queue'}>
      {inAddress && <Text maw="48rem">{embassy ? t('tracing.matches.introEmbassy') : t('tracing.matches.intro')}</Text>}
      <Group align="flex-end" gap="md" wrap="wrap">
        <div>
          <Text size="sm" fw={500} mb={4} id="match-status-label">
            {t('tracing.matches.status')}
          </Text>
          <SegmentedControl
            aria-labelledby="match-status-label"
            value={filter.status}
            onChange={(value) => apply({ ...filter, status: isStatus(value) ? value : 'proposed' })}
            data={CANDIDATE_STATUSES.map((s) => ({ value: s, label: t(`tracing.matches.statuses.${s}`) }))}
            data-testid="match-filter-status"
          />
        </div>
        {!embassy && inAddress && (
          <div>
            <Text size="sm" fw={500} mb={4} id="match-kind-label">
              {t('tracing.matches.kind')}
            </Text>
            <SegmentedControl
              aria-labelledby="match-kind-label"
              value={filter.kind || 'all'}
              onChange={(value) => apply({ ...filter, kind: isKind(value) ? value : '' })}
              data={[{ value: 'all', label: t('tracing.matches.kinds.all') }, ...CANDIDATE_KINDS.map((k) => ({ value: k, label: t(`tracing.matches.kinds.${k}`) }))]}
              data-testid="match-filter-kind"
            />
          </div>
        )}
        <ExportMenu
          url="/api/v1/match-candidates/export"
          filters={{ status: filter.status, kind: filter.kind, tracingRequestId: filter.tracingRequestId }}
          testId="matches-export"
          list={t('tracing.matches.tab')}
        />
      </Group>
      {justDecided.length > 0 && (
        <section aria-labelledby="matches-just-decided" data-testid="matches-just-decided">
          <Title order={2} size="h5" mb="xs" id="matches-just-decided">
            {t('tracing.matches.justDecided')}
          </Title>
          <Stack gap="sm">
            {justDecided.map((c) => (
              <MatchCard key={c.id} candidate={c} onDecided={onDecided} linkRequest={inAddress} />
            ))}
          </Stack>
        </section>
      )}
      {candidates.isPending ? (
        <Loader aria-label={t('common.loading')} />
      ) : candidates.isError ? (
        <ErrorAlert error={candidates.error} testId="matches-error" />
      ) : rows.length === 0 && !candidates.isPlaceholderData ? (
        <Text c="dimmed" data-testid="matches-empty">
          {filter.status === 'proposed' ? t('tracing.matches.emptyProposed') : t('tracing.matches.empty')}
        </Text>
      ) : (
        <>
          <Stack gap="md" data-testid="matches" aria-busy={candidates.isPlaceholderData || undefined} data-ready={candidates.isFetching ? undefined : 'true'}>
            {rows.map((c) => (
              <MatchCard key={c.id} candidate={decided.get(c.id) ?? c} onDecided={onDecided} linkRequest={inAddress} />
            ))}
          </Stack>
          <LoadMore hasMore={candidates.hasNextPage} loading={candidates.isFetchingNextPage} onLoad={() => void candidates.fetchNextPage()} testId="matches-load-more" />
        </>
      )}
    </Stack>
  );
}
