import { Anchor, Group, Loader, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useCountries, useCountryName } from '../api/queries';
import { PERSONS_KEY, registryApi } from '../api/registry';
import type { PersonListItem, PersonSearch } from '../api/registryTypes';
import { facilityPath, personPath } from '../navigation';
import { navigate, onLinkClick } from '../router/router';
import { ErrorAlert } from './ErrorAlert';
import { LoadMore } from './LoadMore';
import { useRegistryFormat } from './registryFormat';

interface PersonTableProps {
  readonly search: Partial<PersonSearch>;
  readonly testId?: string;
  /** On a facility's own page, every row is held there: no facility column. */
  readonly hideFacility?: boolean;
}

function Row({ person, withFacility }: { readonly person: PersonListItem; readonly withFacility: boolean }) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  const countries = useCountries();
  const countryName = useCountryName();
  const path = personPath(person.id);
  const facility = person.currentFacility;
  return (
    <Table.Tr
      data-testid="registry-row"
      data-person-id={person.id}
      className="hw-clickable"
      onClick={(event) => {
        // Links in the row follow themselves (and keep ctrl-click for a new tab).
        if (!(event.target as HTMLElement).closest('a')) navigate(path);
      }}
    >
      <Table.Td dir="auto" className="hw-name" data-testid="person-name">
        <Anchor href={path} onClick={onLinkClick(path)} fw={600}>
          {person.displayName}
        </Anchor>
      </Table.Td>
      <Table.Td dir="ltr" className="hw-name" data-testid="person-latin">
        {person.latinName}
      </Table.Td>
      <Table.Td>{t(`registry.kinds.${person.kind}`)}</Table.Td>
      <Table.Td className="hw-nowrap">{format.age(person.age)}</Table.Td>
      <Table.Td>{t(`registry.sexes.${person.sex}`)}</Table.Td>
      <Table.Td>
        {(person.nationalities ?? []).map((n) => countryName(n.countryCode, countries.data)).join(', ') || t('common.none')}
      </Table.Td>
      {withFacility && (
        <Table.Td>
          {facility ? (
            <Anchor href={facilityPath(facility.id)} onClick={onLinkClick(facilityPath(facility.id))}>
              {facility.name}
            </Anchor>
          ) : (
            t('common.none')
          )}
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/** People matching a search, a page at a time; each row opens the person's page. */
export function PersonTable({ search, testId = 'registry-results', hideFacility = false }: PersonTableProps) {
  const { t } = useTranslation();
  const persons = useInfiniteQuery({
    queryKey: [...PERSONS_KEY, 'search', search],
    queryFn: ({ pageParam }) => registryApi.search(search, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    // While the next answer comes, the last one stays on screen rather than a spinner per keystroke.
    placeholderData: keepPreviousData,
  });

  if (persons.isPending) return <Loader aria-label={t('common.loading')} />;
  if (persons.isError) return <ErrorAlert error={persons.error} testId="registry-error" />;

  const rows = persons.data.pages.flatMap((page) => page.data);
  // Roles that do not see custody get no facility field at all: no column either.
  const withFacility = !hideFacility && rows.some((row) => row.currentFacility !== undefined);

  return (
    <>
      <Group gap="xs" mb="xs" mih={24}>
        {persons.isFetching && !persons.isFetchingNextPage && <Loader size="xs" aria-label={t('common.loading')} />}
      </Group>
      <Table.ScrollContainer minWidth={800}>
        <Table
          striped
          highlightOnHover
          data-testid={testId}
          aria-busy={persons.isPlaceholderData || undefined}
          // The search these rows answer (absent while the previous answer is still shown): tests wait on it.
          data-q={persons.isPlaceholderData ? undefined : (search.q ?? '').trim()}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('registry.name')}</Table.Th>
              <Table.Th>{t('registry.latinName')}</Table.Th>
              <Table.Th>{t('registry.kind')}</Table.Th>
              <Table.Th>{t('registry.age')}</Table.Th>
              <Table.Th>{t('registry.sex')}</Table.Th>
              <Table.Th>{t('registry.nationalities')}</Table.Th>
              {withFacility && <Table.Th>{t('registry.currentFacility')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((person) => (
              <Row key={person.id} person={person} withFacility={withFacility} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && !persons.isPlaceholderData && (
        <Text c="dimmed" mt="sm" data-testid="registry-empty">
          {t('registry.empty')}
        </Text>
      )}
      {rows.length > 0 && (
        <LoadMore
          hasMore={persons.hasNextPage}
          loading={persons.isFetchingNextPage}
          onLoad={() => void persons.fetchNextPage()}
          testId="registry-load-more"
        />
      )}
    </>
  );
}
