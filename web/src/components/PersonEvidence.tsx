import { Badge, Group, List, Table, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { IdentityEvidence, Person } from '../api/registryTypes';
import { PersonSection } from './PersonSection';

const LEVEL_COLOR = { unverified: 'gray', preliminary: 'yellow', confirmed: 'green' } as const;

function finding(e: IdentityEvidence, t: TFunction): string {
  if (e.kind !== 'dna') return t(e.supports ? 'evidence.supportsYes' : 'evidence.supportsNo');
  // Roles that may not see genetic data are told only that kinship was confirmed by DNA.
  if (!e.dna) return t('evidence.kinshipConfirmed');
  return `${t(`evidence.results.${e.dna.result}`)} · ${e.dna.relationship ?? ''} · ${e.dna.laboratory ?? ''}`;
}

/** How sure we are of who the person is, why, and the evidence behind it. */
export function PersonEvidence({ person }: { readonly person: Person }) {
  const { t, i18n } = useTranslation();
  const confidence = person.identityConfidence;
  if (!confidence) return null;
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' });
  const evidence = person.evidence ?? [];
  return (
    <PersonSection title={t('evidence.title')} testId="person-evidence">
      <Group gap="xs" mb="xs">
        <Text fw={600}>{t('evidence.confidence')}</Text>
        <Badge color={LEVEL_COLOR[confidence.level]} data-testid="identity-confidence" data-level={confidence.level}>
          {t(`evidence.levels.${confidence.level}`)}
        </Badge>
      </Group>
      <List size="sm" mb="sm" data-testid="identity-reasons">
        {confidence.reasons.map((r) => (
          <List.Item key={r}>{t(`evidence.reasons.${r}`)}</List.Item>
        ))}
      </List>
      {evidence.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('evidence.observedOn')}</Table.Th>
                <Table.Th>{t('evidence.kind')}</Table.Th>
                <Table.Th>{t('evidence.finding')}</Table.Th>
                <Table.Th>{t('evidence.summary')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {evidence.map((e) => (
                <Table.Tr key={e.id} data-testid="evidence-row" data-kind={e.kind}>
                  <Table.Td>{date.format(new Date(`${e.observedOn}T00:00:00Z`))}</Table.Td>
                  <Table.Td>{t(`evidence.kinds.${e.kind}`)}</Table.Td>
                  <Table.Td>{finding(e, t)}</Table.Td>
                  <Table.Td dir="auto">
                    {e.summary ?? ''}
                    {e.source && (
                      <Text span size="xs" c="dimmed">
                        {' · '}
                        <bdi>{e.source}</bdi>
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </PersonSection>
  );
}
