import { Paper, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

interface PanelSectionProps {
  readonly title: string;
  readonly testId: string;
  readonly personId?: string;
  /** A short state for tests and styles (e.g. the consent in force). */
  readonly status?: string;
  readonly children: ReactNode;
}

/** One panel of a case page (consent, guardian, best interests, clearances, assurances), under its own heading. */
export function PanelSection({ title, testId, personId, status, children }: PanelSectionProps) {
  const headingId = useId();
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby={headingId} data-testid={testId} data-person-id={personId} data-status={status} className="hw-case-panel">
      <Title order={4} size="h5" mb="xs" id={headingId}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}
