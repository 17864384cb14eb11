import { Anchor, Badge, Group, Loader, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { CASES_KEY, type CaseState, type CaseSummary, casesApi } from '../api/cases';
import { casePath } from '../navigation';
import { onLinkClick } from '../router/router';
import { useCaseText } from './caseText';
import { CaseStateBadge, EligibleBadge } from './CaseStatus';
import { ErrorAlert } from './ErrorAlert';

/** Members a card names before it says "and N more". */
const SHOWN_MEMBERS = 3;
const PER_STATE = 20;

/** A case on the board: reference (a link), country, members, whether they may go. */
export function CaseCard({ c }: { readonly c: CaseSummary }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const path = casePath(c.id);
  const shown = c.members.slice(0, SHOWN_MEMBERS);
  return (
    <Paper withBorder p="xs" shadow="xs" data-testid="case-card" data-case-id={c.id} data-country={c.countryCode} data-state={c.state} data-eligible={c.eligible}>
      <Group justify="space-between" gap={4} wrap="nowrap">
        <Anchor href={path} onClick={onLinkClick(path)} fw={700} size="sm" className="hw-ltr hw-nowrap" data-testid="case-reference">
          {c.reference}
        </Anchor>
        <Text size="xs" c="dimmed">
          {text.country(c.countryCode)}
        </Text>
      </Group>
      <Stack gap={0} my={4}>
        {shown.map((m) => (
          <Text key={m.personId} size="xs" dir="auto" className="hw-name" lineClamp={1}>
            <bdi>{m.displayName}</bdi>
            <Text span c="dimmed" size="xs">
              {' '}
              · {t(`cases.memberRoles.${m.role}`)}
            </Text>
          </Text>
        ))}
        {c.members.length > SHOWN_MEMBERS && (
          <Text size="xs" c="dimmed">
            {t('cases.andMore', { count: c.members.length - SHOWN_MEMBERS })}
          </Text>
        )}
      </Stack>
      <Group gap={4}>
        <EligibleBadge eligible={c.eligible} />
        {c.state === 'on_hold' && c.heldFrom && (
          <Badge size="xs" variant="outline" color="yellow" className="hw-badge">
            {t('cases.heldFrom', { state: text.state(c.heldFrom) })}
          </Badge>
        )}
      </Group>
    </Paper>
  );
}

/** Cases by state: a column per state in the machine's order, each with its count and its most recently moved cases. */
export function CaseBoard({ countryCode, onShowState }: { readonly countryCode: string; readonly onShowState: (state: CaseState) => void }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  const board = useQuery({
    queryKey: [...CASES_KEY, 'board', countryCode],
    queryFn: () => casesApi.board(countryCode, PER_STATE),
    placeholderData: keepPreviousData,
  });
  if (board.isPending) return <Loader aria-label={t('common.loading')} />;
  if (board.isError) return <ErrorAlert error={board.error} testId="case-board-error" />;
  return (
    <ScrollArea type="auto" offsetScrollbars data-testid="case-board" data-ready={board.isPlaceholderData ? undefined : 'true'}>
      <div className="hw-board">
        {board.data.columns.map((column) => (
          <section key={column.state} className="hw-board-column" aria-labelledby={`column-${column.state}`} data-testid="board-column" data-state={column.state} data-count={column.count}>
            <Group justify="space-between" gap={4} mb="xs" wrap="nowrap">
              <Title order={2} size="h6" id={`column-${column.state}`}>
                <CaseStateBadge state={column.state} testId="column-state" />
              </Title>
              <Text size="sm" fw={700} data-testid="column-count">
                {number.format(column.count)}
              </Text>
            </Group>
            <Stack gap="xs">
              {column.cases.map((c) => (
                <CaseCard key={c.id} c={c} />
              ))}
              {column.count === 0 && (
                <Text size="xs" c="dimmed">
                  {t('cases.board.empty')}
                </Text>
              )}
              {column.count > column.cases.length && (
                <Anchor component="button" type="button" size="xs" onClick={() => onShowState(column.state)} data-testid="column-more">
                  {t('cases.board.more', { count: column.count - column.cases.length })}
                </Anchor>
              )}
            </Stack>
          </section>
        ))}
      </div>
    </ScrollArea>
  );
}
