import { Badge, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseState, CriterionStatus, Eligible } from '../api/cases';

const STATE_COLOR: Readonly<Record<CaseState, string>> = {
  identification: 'gray',
  nationality_verification: 'indigo',
  assessment: 'blue',
  clearance: 'cyan',
  approved: 'teal',
  scheduled: 'green',
  departed: 'lime',
  handed_over: 'green',
  closed: 'dark',
  on_hold: 'yellow',
  rejected: 'red',
  withdrawn: 'orange',
};

/** A case's state as a badge. */
export function CaseStateBadge({ state, testId = 'case-state' }: { readonly state: CaseState; readonly testId?: string }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATE_COLOR[state]} variant="light" className="hw-badge hw-badge-whole" data-testid={testId} data-state={state}>
      {t(`cases.states.${state}`)}
    </Badge>
  );
}

const ELIGIBLE_COLOR: Readonly<Record<Eligible, string>> = { true: 'green', false: 'red', unknown: 'yellow' };
const ELIGIBLE_MARK: Readonly<Record<Eligible, string>> = { true: '✓', false: '✗', unknown: '?' };

/** Whether everyone on a case (or one member) may go: eligible, not eligible, or not known yet. */
export function EligibleBadge({ eligible, testId = 'case-eligible' }: { readonly eligible: Eligible | boolean | null; readonly testId?: string }) {
  const { t } = useTranslation();
  const value: Eligible = eligible === true ? 'true' : eligible === false ? 'false' : eligible === null ? 'unknown' : eligible;
  return (
    <Badge
      color={ELIGIBLE_COLOR[value]}
      variant={value === 'true' ? 'filled' : 'light'}
      className="hw-badge hw-badge-whole"
      data-testid={testId}
      data-eligible={value}
      leftSection={<span aria-hidden>{ELIGIBLE_MARK[value]}</span>}
    >
      {t(`cases.eligible.${value}`)}
    </Badge>
  );
}

const STATUS_COLOR: Readonly<Record<CriterionStatus, string>> = { holds: 'green', fails: 'red', unknown: 'yellow' };
const STATUS_MARK: Readonly<Record<CriterionStatus, string>> = { holds: '✓', fails: '✗', unknown: '?' };

/** A criterion's status: an icon, a colour and a word (never the colour alone). */
export function CriterionStatusMark({ status }: { readonly status: CriterionStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`hw-criterion-mark hw-criterion-${status}`} data-testid="criterion-status" data-status={status}>
      <span className="hw-criterion-icon" aria-hidden>
        {STATUS_MARK[status]}
      </span>
      <Text span size="sm" fw={700} c={`${STATUS_COLOR[status]}.9`}>
        {t(`cases.status.${status}`)}
      </Text>
    </span>
  );
}

export const statusColor = (status: CriterionStatus): string => STATUS_COLOR[status];
