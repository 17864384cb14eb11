import { Paper, SimpleGrid, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

interface PersonSectionProps {
  readonly title: string;
  readonly testId: string;
  readonly children: ReactNode;
}

/** One part of a person's or facility's page, under its own heading. */
export function PersonSection({ title, testId, children }: PersonSectionProps) {
  const headingId = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Title order={2} size="h4" mb="sm" id={headingId}>
        {title}
      </Title>
      {children}
    </Paper>
  );
}

export interface Fact {
  readonly label: string;
  readonly value: ReactNode;
  readonly testId?: string;
  /** "auto" for names, which may be written right to left. */
  readonly dir?: 'auto' | 'ltr';
}

/** Label-and-value pairs in a grid, as a description list. */
export function Facts({ facts }: { readonly facts: readonly Fact[] }) {
  return (
    <SimpleGrid component="dl" cols={{ base: 1, xs: 2, md: 3 }} spacing="sm" verticalSpacing="xs" className="hw-facts">
      {facts.map((fact) => (
        <div key={fact.label}>
          <Text component="dt" size="sm" c="dimmed">
            {fact.label}
          </Text>
          <Text component="dd" fw={500} data-testid={fact.testId} dir={fact.dir} className={fact.dir ? 'hw-name' : undefined}>
            {fact.value}
          </Text>
        </div>
      ))}
    </SimpleGrid>
  );
}
