import { Badge, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { VerificationAnswer, VerificationRequest } from '../api/identification';

/** A request's state, from its counts: answered when everyone is settled, overdue past its due date while open. */
export function requestState(request: VerificationRequest): 'answered' | 'overdue' | 'open' {
  if (request.answeredAt !== null || (request.total > 0 && request.settled === request.total)) return 'answered';
  return request.overdue ? 'overdue' : 'open';
}

const STATE_COLOR = { answered: 'green', overdue: 'red', open: 'blue' } as const;

/** "Answered", "Overdue" or "Open" as a badge. */
export function RequestStateBadge({ request }: { readonly request: VerificationRequest }) {
  const { t } = useTranslation();
  const state = requestState(request);
  return (
    <Badge
      color={STATE_COLOR[state]}
      variant={state === 'overdue' ? 'filled' : 'light'}
      className="hw-badge-whole"
      data-testid="request-state"
      data-state={state}
    >
      {t(`identification.states.${state}`)}
    </Badge>
  );
}

/** Settled of total, as words and a bar; how many the mission asked more about. */
export function RequestProgress({ request }: { readonly request: VerificationRequest }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language);
  const share = request.total > 0 ? (request.settled / request.total) * 100 : 0;
  return (
    <Stack gap={4} miw={140}>
      <Text size="sm" data-testid="request-progress" data-settled={request.settled} data-total={request.total}>
        {t('identification.progress', { settled: number.format(request.settled), total: number.format(request.total) })}
      </Text>
      <Progress value={share} size="sm" color={share === 100 ? 'green' : 'blue'} aria-hidden />
      {request.moreInformation > 0 && (
        <Text size="xs" c="yellow.8" data-testid="request-more-information">
          {t('identification.moreInformationCount', { count: request.moreInformation })}
        </Text>
      )}
    </Stack>
  );
}

const ANSWER_COLOR = { confirmed: 'green', not_national: 'red', more_information: 'yellow' } as const;

/** The mission's answer for one person, or "awaiting answer". */
export function AnswerBadge({ answer }: { readonly answer: VerificationAnswer | null }) {
  const { t } = useTranslation();
  return (
    <Badge color={answer ? ANSWER_COLOR[answer] : 'gray'} variant="light" className="hw-badge-whole" data-testid="item-answer" data-answer={answer ?? 'none'}>
      {answer ? t(`identification.answers.${answer}`) : t('identification.awaiting')}
    </Badge>
  );
}

/** A value of another direction (a Latin name in Arabic, a date) kept whole inside a sentence: Unicode isolates. */
export const isolate = (text: string): string => `\u2068${text}\u2069`;

/** A moment (sentAt, answeredAt) in the user's language. */
export function useMoment(): (iso: string | null) => string {
  const { t, i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => (iso ? format.format(new Date(iso)) : t('common.none'));
}
