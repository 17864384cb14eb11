import { Alert, Anchor, Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { personKey, registryApi } from '../api/registry';
import type { Person } from '../api/registryTypes';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { PersonEditBar, PersonPhotos } from '../components/PersonEditBar';
import { PersonEvidence } from '../components/PersonEvidence';
import { PersonCustody, PersonFamily } from '../components/PersonFamily';
import { PersonFlags, PersonLegal } from '../components/PersonLegal';
import { PersonDocuments, PersonNames, PersonNationalities } from '../components/PersonNames';
import { type Fact, Facts } from '../components/PersonSection';
import { useRegistryFormat } from '../components/registryFormat';
import { personPath, registryListPath } from '../navigation';
import { onLinkClick } from '../router/router';
import { MergeButton, MergedNotice } from '../components/MergeRecords';

function Identity({ person }: { readonly person: Person }) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  const recorded = person.birthDate.text && person.birthDate.text !== person.birthDate.display ? person.birthDate.text : null;
  const facts: Fact[] = [
    { label: t('person.latinName'), value: person.latinName, dir: 'ltr', testId: 'person-latin-name' },
    { label: t('registry.kind'), value: t(`registry.kinds.${person.kind}`), testId: 'person-kind' },
    { label: t('registry.age'), value: format.age(person.age), testId: 'person-age' },
    { label: t('registry.sex'), value: t(`registry.sexes.${person.sex}`), testId: 'person-sex' },
    {
      label: t('person.birthDate'),
      value: (
        <>
          {format.birthDate(person.birthDate)}
          {recorded && (
            <Text span size="sm" c="dimmed" display="block">
              {t('person.birthRecorded', { text: recorded })}
            </Text>
          )}
        </>
      ),
      testId: 'person-birth-date',
    },
  ];
  if (person.vitalStatus !== 'alive') {
    const status = t(`person.vital.${person.vitalStatus}`);
    facts.push({
      label: t('person.vitalStatus'),
      value: person.vitalDate ? t('person.vitalOn', { status, date: format.date(person.vitalDate) }) : status,
      testId: 'person-vital-status',
    });
  }
  if (person.externalRef) facts.push({ label: t('person.externalRef'), value: person.externalRef, dir: 'ltr' });
  return <Facts facts={facts} />;
}

/** Everything the caller's role may see about one person; each part only when the server sent it. */
export function PersonPage({ id }: { readonly id: string }) {
  const { t } = useTranslation();
  const person = useQuery({ queryKey: personKey(id), queryFn: () => registryApi.person(id) });
  const back = registryListPath();

  const backLink = (
    <Anchor href={back} onClick={onLinkClick(back)} size="sm" data-testid="person-back">
      {t('person.back')}
    </Anchor>
  );
  if (person.isPending) return <Loader aria-label={t('common.loading')} />;
  if (person.isError) {
    const missing = person.error instanceof ApiError && (person.error.status === 404 || person.error.status === 400);
    return (
      <Stack gap="md" data-testid="person-page">
        {backLink}
        {missing ? (
          <Alert color="gray" data-testid="person-not-found">
            {t('person.notFound')}
          </Alert>
        ) : (
          <ErrorAlert error={person.error} />
        )}
      </Stack>
    );
  }

  const p = person.data;
  return (
    <Stack gap="md" data-testid="person-page">
      {backLink}
      <div>
        <PageTitle testId="person-title" dir="auto">
          {p.displayName}
        </PageTitle>
        <Group gap="xs" mt={-8} mb="md">
          {p.vitalStatus !== 'alive' && (
            <Badge color="dark" className="hw-badge">
              {t(`person.vital.${p.vitalStatus}`)}
            </Badge>
          )}
          {p.currentFacility && (
            <Badge color="blue" variant="light" className="hw-badge">
              {p.currentFacility.name}
            </Badge>
          )}
        </Group>
        <Identity person={p} />
      </div>
      {p.duplicateOf && !p.mergedInto && (
        <Alert color="orange" data-testid="person-duplicate-of">
          {t('person.duplicateOf')}{' '}
          <Anchor href={personPath(p.duplicateOf)} onClick={onLinkClick(personPath(p.duplicateOf))}>
            {t('person.duplicateOfLink')}
          </Anchor>{' '}
          <MergeButton person={p} />
        </Alert>
      )}
      <MergedNotice person={p} />
      <PersonEditBar person={p} />
      {p.names && <PersonNames names={p.names} />}
      {p.nationalities && <PersonNationalities nationalities={p.nationalities} />}
      {p.documents && p.documents.length > 0 && <PersonDocuments documents={p.documents} />}
      {p.photos && p.photos.length > 0 && <PersonPhotos photos={p.photos} />}
      <PersonEvidence person={p} />
      {p.family && <PersonFamily family={p.family} />}
      {p.custody && <PersonCustody custody={p.custody} current={p.currentFacility ?? null} />}
      {p.proceedings && <PersonLegal proceedings={p.proceedings} />}
      <PersonFlags person={p} />
    </Stack>
  );
}
