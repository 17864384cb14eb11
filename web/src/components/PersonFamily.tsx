import { Anchor, Badge, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type CustodyEpisode, type FamilyLink, type Person, RELEASE_REASONS } from '../api/registryTypes';
import { facilityPath, personPath } from '../navigation';
import { onLinkClick } from '../router/router';
import { PersonSection } from './PersonSection';
import { useRegistryFormat } from './registryFormat';

const isReleaseReason = (value: string | null): value is (typeof RELEASE_REASONS)[number] =>
  value !== null && (RELEASE_REASONS as readonly string[]).includes(value);

/** The family around the person: each relative's page, what they are to this person, and how we know. */
export function PersonFamily({ family }: { readonly family: readonly FamilyLink[] }) {
  const { t, i18n } = useTranslation();
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent' });
  // The server sends where relatives are held only to roles that see custody.
  const withCustody = family.some((link) => link.relative.currentFacility !== undefined);
  return (
    <PersonSection title={t('person.family')} testId="person-family">
      {family.length === 0 ? (
        <Text c="dimmed">{t('person.noFamily')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('person.relative')}</Table.Th>
                <Table.Th>{t('person.relation')}</Table.Th>
                <Table.Th>{t('registry.kind')}</Table.Th>
                <Table.Th>{t('person.verification')}</Table.Th>
                {withCustody && <Table.Th>{t('registry.facility')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {family.map((link) => {
                const path = personPath(link.relative.id);
                return (
                  <Table.Tr key={link.linkId} data-testid="person-relative">
                    <Table.Td>
                      <Anchor href={path} onClick={onLinkClick(path)} fw={600}>
                        <bdi>{link.relative.displayName}</bdi>
                      </Anchor>
                      {link.relative.vitalStatus !== 'alive' && (
                        <Badge color="dark" size="sm" ms="xs" className="hw-badge">
                          {t(`person.vital.${link.relative.vitalStatus}`)}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{t(`person.relations.${link.relation}`)}</Table.Td>
                    <Table.Td>{t(`registry.kinds.${link.relative.kind}`)}</Table.Td>
                    <Table.Td>
                      {t(`person.verifications.${link.verification}`)}
                      <Text span size="xs" c="dimmed">
                        {' · '}
                        {t('person.confidence', { value: percent.format(link.confidence) })}
                      </Text>
                    </Table.Td>
                    {withCustody && (
                      <Table.Td data-testid="relative-facility">
                        {link.relative.currentFacility ? (
                          <Anchor href={facilityPath(link.relative.currentFacility.id)} onClick={onLinkClick(facilityPath(link.relative.currentFacility.id))}>
                            <bdi>{link.relative.currentFacility.name}</bdi>
                          </Anchor>
                        ) : (
                          <Text span size="sm" c="dimmed">
                            {t('person.notInCustody')}
                          </Text>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </PersonSection>
  );
}

interface PersonCustodyProps {
  readonly custody: readonly CustodyEpisode[];
  readonly current: Person['currentFacility'] | null;
}

/** Where the person is held now and every admission, transfer and release before. */
export function PersonCustody({ custody, current }: PersonCustodyProps) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  return (
    <PersonSection title={t('person.custody')} testId="person-custody">
      <Group gap="xs" mb="sm" data-testid="person-current-facility">
        {current ? (
          <>
            <Text>{t('person.currentFacility')}</Text>
            <Anchor href={facilityPath(current.id)} onClick={onLinkClick(facilityPath(current.id))} fw={600}>
              {current.name}
            </Anchor>
            <Text c="dimmed" size="sm">
              {t('person.since', { date: format.date(current.since) })}
            </Text>
          </>
        ) : (
          <Text c="dimmed">{t('person.notInCustody')}</Text>
        )}
      </Group>
      {custody.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('registry.facility')}</Table.Th>
                <Table.Th>{t('person.admittedOn')}</Table.Th>
                <Table.Th>{t('person.releasedOn')}</Table.Th>
                <Table.Th>{t('person.releaseReason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {custody.map((episode) => (
                <Table.Tr key={episode.id} data-testid="person-custody-episode">
                  <Table.Td>
                    <Anchor href={facilityPath(episode.facility.id)} onClick={onLinkClick(facilityPath(episode.facility.id))}>
                      {episode.facility.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{format.date(episode.admittedOn)}</Table.Td>
                  <Table.Td>{episode.releasedOn ? format.date(episode.releasedOn) : t('person.stillHeld')}</Table.Td>
                  <Table.Td>
                    {isReleaseReason(episode.releaseReason)
                      ? t(`person.releaseReasons.${episode.releaseReason}`)
                      : (episode.releaseReason ?? t('common.none'))}
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
