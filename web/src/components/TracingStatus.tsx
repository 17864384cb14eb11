import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CandidateStatus, TracingStatus } from '../api/tracing';

const TRACING_COLOR = { open: 'blue', found: 'green', closed: 'gray' } as const;
const CANDIDATE_COLOR = { proposed: 'blue', confirmed: 'green', rejected: 'red' } as const;

/** "Open", "Found" or "Closed" as a badge. */
export function TracingStatusBadge({ status }: { readonly status: TracingStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={TRACING_COLOR[status]} variant="light" className="hw-badge-whole" data-testid="tracing-status" data-status={status}>
      {t(`tracing.statuses.${status}`)}
    </Badge>
  );
}

/** "Waiting for review", "Confirmed" or "Rejected" as a badge. */
export function CandidateStatusBadge({ status }: { readonly status: CandidateStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={CANDIDATE_COLOR[status]} variant={status === 'proposed' ? 'light' : 'filled'} className="hw-badge-whole" data-testid="candidate-status" data-status={status}>
      {t(`tracing.matches.statuses.${status}`)}
    </Badge>
  );
}

/** A probability as a percentage in the user's language: "97.3 %", never "100 %" for a guess. */
export function useProbability(): (p: number) => string {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  return (p) => format.format(Math.min(p, 0.999));
}

/** A name written in any script, kept in its own direction inside the page. */
export function Name({ children, fw = 600, testId }: { readonly children: string; readonly fw?: number; readonly testId?: string }) {
  return (
    <Text span fw={fw} dir="auto" className="hw-name" data-testid={testId}>
      <bdi>{children}</bdi>
    </Text>
  );
}
