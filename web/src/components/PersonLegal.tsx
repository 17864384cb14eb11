import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Person, Proceeding, Vulnerability } from '../api/registryTypes';
import { type Fact, Facts, PersonSection } from './PersonSection';
import { useRegistryFormat } from './registryFormat';

const VERDICT_COLOR = { pending: 'yellow', convicted: 'red', acquitted: 'teal', dismissed: 'gray' } as const;

function ProceedingCard({ proceeding: p }: { readonly proceeding: Proceeding }) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  const charge = p.charge === 'other' && p.chargeText ? p.chargeText : t(`person.charges.${p.charge}`);
  const facts: Fact[] = [
    { label: t('person.stage'), value: t(`person.stages.${p.stage}`) },
    { label: t('person.court'), value: p.court ?? t('common.none') },
    { label: t('person.actDate'), value: format.date(p.actDate) },
  ];
  if (p.verdictDate) facts.push({ label: t('person.verdictDate'), value: format.date(p.verdictDate) });
  if (p.sentence || p.sentenceText) {
    facts.push({ label: t('person.sentence'), value: p.sentence ? format.sentence(p.sentence) : p.sentenceText, testId: 'proceeding-sentence' });
  }
  if (p.sentenceStart) facts.push({ label: t('person.sentenceStart'), value: format.date(p.sentenceStart) });
  if (p.sentence) {
    facts.push({
      label: t('person.releaseDate'),
      value: p.releaseDate ? format.date(p.releaseDate) : t('person.noReleaseDate'),
      testId: 'proceeding-release',
    });
  }
  return (
    <Stack gap="xs" className="hw-proceeding" data-testid="person-proceeding">
      <Group gap="sm" justify="space-between">
        <Text fw={600}>{charge}</Text>
        <Badge color={VERDICT_COLOR[p.verdict]} variant="light" className="hw-badge">
          {t(`person.verdicts.${p.verdict}`)}
        </Badge>
      </Group>
      <Facts facts={facts} />
    </Stack>
  );
}

/** Proceedings: charge, court, stage, verdict, sentence and the release date computed from it. */
export function PersonLegal({ proceedings }: { readonly proceedings: readonly Proceeding[] }) {
  const { t } = useTranslation();
  return (
    <PersonSection title={t('person.legal')} testId="person-legal">
      {proceedings.length === 0 ? (
        <Text c="dimmed">{t('person.noProceedings')}</Text>
      ) : (
        <Stack gap="md">
          {proceedings.map((p) => (
            <ProceedingCard key={p.id} proceeding={p} />
          ))}
        </Stack>
      )}
    </PersonSection>
  );
}

const VULNERABILITIES = ['unaccompanied', 'separated', 'orphan', 'medicalNeeds'] as const;

function VulnerabilitySection({ vulnerability }: { readonly vulnerability: Vulnerability }) {
  const { t } = useTranslation();
  const flags = VULNERABILITIES.filter((flag) => vulnerability[flag]);
  return (
    <PersonSection title={t('person.vulnerability')} testId="person-vulnerability">
      {flags.length === 0 ? (
        <Text c="dimmed">{t('person.noVulnerability')}</Text>
      ) : (
        <Group gap="xs">
          {flags.map((flag) => (
            <Badge key={flag} color="orange" className="hw-badge">
              {t(`person.vulnerabilities.${flag}`)}
            </Badge>
          ))}
        </Group>
      )}
      {vulnerability.notes && (
        <Text mt="sm" dir="auto" className="hw-prewrap">
          {vulnerability.notes}
        </Text>
      )}
    </PersonSection>
  );
}

/** Welfare flags, and the security and sharing flags for the roles that see them. */
export function PersonFlags({ person }: { readonly person: Person }) {
  const { t } = useTranslation();
  const yesNo = (value: boolean) => (value ? t('common.yes') : t('common.no'));
  const facts: Fact[] = [];
  if (person.crimesAgainstHumanity !== undefined) {
    facts.push({ label: t('person.crimesAgainstHumanity'), value: yesNo(person.crimesAgainstHumanity), testId: 'person-cah' });
  }
  if (person.withheldFromEmbassy !== undefined) {
    facts.push({ label: t('person.withheldFromEmbassy'), value: yesNo(person.withheldFromEmbassy), testId: 'person-withheld' });
  }
  if (person.securityNotes !== undefined) {
    facts.push({ label: t('person.securityNotes'), value: person.securityNotes || t('common.none'), dir: 'auto' });
  }
  return (
    <>
      {person.vulnerability && <VulnerabilitySection vulnerability={person.vulnerability} />}
      {facts.length > 0 && (
        <PersonSection title={t('person.security')} testId="person-security">
          <Facts facts={facts} />
        </PersonSection>
      )}
    </>
  );
}
