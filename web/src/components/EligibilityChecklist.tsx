import { Badge, Group, List, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Criterion, Verdict } from '../api/cases';
import { useCaseText } from './caseText';
import { CriterionStatusMark, EligibleBadge } from './CaseStatus';

/** One piece of evidence a criterion rests on: what it is, its value, its date. */
function Evidence({ criterion }: { readonly criterion: Criterion }) {
  const text = useCaseText();
  if (criterion.evidence.length === 0) return null;
  return (
    <List size="xs" spacing={0} className="hw-criterion-evidence" data-testid="criterion-evidence">
      {criterion.evidence.map((e, index) => (
        <List.Item key={`${e.kind}:${e.ref ?? index}`}>
          <Text span size="xs" c="dimmed">
            {text.or(`cases.evidenceKinds.${e.kind}`, e.kind)}
            {e.value ? ': ' : ''}
          </Text>
          {e.value && (
            <Text span size="xs" dir="auto">
              <bdi>{text.evidenceValue(e.value)}</bdi>
            </Text>
          )}
          {e.date && (
            <Text span size="xs" c="dimmed">
              {' · '}
              {text.date(e.date)}
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
}

/** One criterion: its status (icon, colour, word), its name, what it says, who can resolve it, its evidence. */
function CriterionRow({ criterion, personId }: { readonly criterion: Criterion; readonly personId: string }) {
  const { t } = useTranslation();
  const text = useCaseText();
  return (
    <li
      className={`hw-criterion hw-criterion-row-${criterion.status}`}
      data-testid="criterion"
      data-criterion-id={criterion.id}
      data-status={criterion.status}
      data-person-id={personId}
      data-gate={criterion.gate}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <div className="hw-criterion-status">
          <CriterionStatusMark status={criterion.status} />
        </div>
        <Stack gap={2} className="hw-grow">
          <Group gap="xs" wrap="wrap">
            <Text fw={600} size="sm" data-testid="criterion-name">
              {text.criterion(criterion.id)}
            </Text>
            {criterion.gate === 'clearance' && (
              <Badge size="xs" variant="outline" color="gray" className="hw-badge">
                {t('cases.clearanceGate')}
              </Badge>
            )}
          </Group>
          <Text size="sm" data-testid="criterion-message">
            {text.message(criterion.message)}
          </Text>
          {criterion.resolvedBy.length > 0 && (
            <Text size="xs" c="dimmed" data-testid="criterion-resolved-by">
              {t(criterion.status === 'holds' ? 'cases.restsOn' : 'cases.resolvedBy', { roles: text.list(criterion.resolvedBy.map((r) => t(`roles.${r}`))) })}
            </Text>
          )}
          <Evidence criterion={criterion} />
        </Stack>
      </Group>
    </li>
  );
}

/** A member's eligibility: every criterion the caller may see, blocking ones first within their gate's order. */
export function EligibilityChecklist({ verdict, personId }: { readonly verdict: Verdict; readonly personId: string }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const counts = { holds: 0, fails: 0, unknown: 0 };
  for (const c of verdict.criteria) counts[c.status] += 1;
  return (
    <Stack gap="xs" data-testid="eligibility-checklist" data-person-id={personId} data-eligible={String(verdict.eligible)}>
      <Group gap="sm" wrap="wrap">
        <EligibleBadge eligible={verdict.eligible} testId="member-eligible" />
        <Text size="sm" c="dimmed" data-testid="checklist-counts">
          {t('cases.checklistCounts', { holds: counts.holds, fails: counts.fails, unknown: counts.unknown, date: text.date(verdict.onDate) })}
        </Text>
      </Group>
      <ul className="hw-checklist">
        {verdict.criteria.map((c) => (
          <CriterionRow key={c.id} criterion={c} personId={personId} />
        ))}
      </ul>
      {verdict.hiddenCriteria > 0 && (
        <Text size="xs" c="dimmed" data-testid="checklist-hidden">
          {t('cases.hiddenCriteria', { count: verdict.hiddenCriteria })}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('cases.rulesVersion', { version: verdict.rulesVersion })}
      </Text>
    </Stack>
  );
}
