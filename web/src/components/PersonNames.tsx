import { Badge, Group, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_KINDS } from '../api/personEdit';
import { useCountries, useCountryName } from '../api/queries';
import type { IdentityDocument, Person, PersonName } from '../api/registryTypes';
import { PersonSection } from './PersonSection';
import { useRegistryFormat } from './registryFormat';

const PARTS = ['givenName', 'fatherName', 'grandfatherName', 'familyName'] as const;
const isDocumentKind = (kind: string): kind is (typeof DOCUMENT_KINDS)[number] => (DOCUMENT_KINDS as readonly string[]).includes(kind);

/** Every rendering of the person's name: the script it was recorded in, its parts and its Latin form. */
export function PersonNames({ names }: { readonly names: readonly PersonName[] }) {
  const { t } = useTranslation();
  return (
    <PersonSection title={t('person.names')} testId="person-names">
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('person.nameAsRecorded')}</Table.Th>
              <Table.Th>{t('person.latinName')}</Table.Th>
              <Table.Th>{t('person.script')}</Table.Th>
              <Table.Th>{t('person.nameKind')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {names.map((name) => (
              <Table.Tr key={name.id} data-testid="person-name-row" data-script={name.script}>
                <Table.Td>
                  <Text fw={600} dir="auto" className="hw-name" data-testid="person-name-full">
                    {name.fullName}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {PARTS.filter((part) => name[part]).map((part, i) => (
                      <span key={part}>
                        {i > 0 && ' · '}
                        {t(`person.parts.${part}`)}: <bdi>{name[part]}</bdi>
                      </span>
                    ))}
                  </Text>
                </Table.Td>
                <Table.Td dir="ltr" className="hw-name">
                  {name.latin}
                </Table.Td>
                <Table.Td>{t(`person.scripts.${name.script}`)}</Table.Td>
                <Table.Td>{t(`person.nameKinds.${name.kind}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </PersonSection>
  );
}

const STATUS_COLOR: Readonly<Record<'claimed' | 'verified' | 'rejected', string>> = { verified: 'teal', claimed: 'yellow', rejected: 'red' };

export function PersonNationalities({ nationalities }: { readonly nationalities: NonNullable<Person['nationalities']> }) {
  const { t } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  const format = useRegistryFormat();
  return (
    <PersonSection title={t('person.nationalities')} testId="person-nationalities">
      {nationalities.length === 0 ? (
        <Text c="dimmed">{t('person.noNationality')}</Text>
      ) : (
        <Group gap="lg">
          {nationalities.map((n) => (
            <Group key={n.countryCode} gap="xs" data-testid="person-nationality">
              <Text fw={500}>{countryName(n.countryCode, countries.data)}</Text>
              <Badge color={STATUS_COLOR[n.status]} variant="light" className="hw-badge">
                {t(`person.nationalityStatus.${n.status}`)}
              </Badge>
              {n.decidedAt && (
                <Text size="xs" c="dimmed">
                  {format.date(n.decidedAt.slice(0, 10))}
                </Text>
              )}
            </Group>
          ))}
        </Group>
      )}
    </PersonSection>
  );
}

export function PersonDocuments({ documents }: { readonly documents: readonly IdentityDocument[] }) {
  const { t } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  const format = useRegistryFormat();
  return (
    <PersonSection title={t('person.documents')} testId="person-documents">
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('person.documentKind')}</Table.Th>
              <Table.Th>{t('person.country')}</Table.Th>
              <Table.Th>{t('person.documentNumber')}</Table.Th>
              <Table.Th>{t('person.holderNameIcao')}</Table.Th>
              <Table.Th>{t('person.expiresOn')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {documents.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>
                  <bdi>{isDocumentKind(d.kind) ? t(`personEdit.documentKinds.${d.kind}`) : d.kind}</bdi>
                </Table.Td>
                <Table.Td>{d.countryCode ? countryName(d.countryCode, countries.data) : t('common.none')}</Table.Td>
                <Table.Td className="hw-mono hw-ltr" dir="ltr">
                  {d.number ?? t('common.none')}
                </Table.Td>
                <Table.Td className="hw-ltr" dir="ltr">
                  {d.holderNameIcao ?? t('common.none')}
                </Table.Td>
                <Table.Td>{format.date(d.expiresOn)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </PersonSection>
  );
}
