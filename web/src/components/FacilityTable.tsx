import { Anchor, Group, Loader, Switch, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCountries, useCountryName } from '../api/queries';
import { FACILITIES_KEY, registryApi } from '../api/registry';
import { facilityPath } from '../navigation';
import { navigate, onLinkClick } from '../router/router';
import { ErrorAlert } from './ErrorAlert';
import { ExportMenu } from './ExportMenu';
import { FacilityOccupancy } from './FacilityOccupancy';
import { LoadMore } from './LoadMore';

const PAGE_SIZE = 50;

/** Facilities by name with occupancy against capacity; optionally only those over capacity. */
export function FacilityTable() {
  const { t } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  const [overOnly, setOverOnly] = useState(false);
  const facilities = useInfiniteQuery({
    queryKey: [...FACILITIES_KEY, 'list', { overOnly }],
    queryFn: ({ pageParam }) => registryApi.facilities(overOnly, pageParam, PAGE_SIZE),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

  const filter = (
    <Group justify="space-between" align="center" mb="md">
      <Switch label={t('facilities.overCapacityOnly')} checked={overOnly} onChange={(event) => setOverOnly(event.currentTarget.checked)} data-testid="facilities-over-capacity-only" />
      <ExportMenu url="/api/v1/facilities/export" filters={{ overCapacity: overOnly ? 'true' : undefined }} testId="facilities-export" list={t('facilities.title')} />
    </Group>
  );
  if (facilities.isPending) return <>{filter}<Loader aria-label={t('common.loading')} /></>;
  if (facilities.isError) return <>{filter}<ErrorAlert error={facilities.error} /></>;
  const rows = facilities.data.pages.flatMap((page) => page.data);

  return (
    <>
      {filter}
      <Table.ScrollContainer minWidth={800}>
        <Table striped highlightOnHover data-testid="facilities-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('facilities.name')}</Table.Th>
              <Table.Th>{t('facilities.kind')}</Table.Th>
              <Table.Th>{t('facilities.holdingAuthority')}</Table.Th>
              <Table.Th>{t('facilities.country')}</Table.Th>
              <Table.Th>{t('facilities.occupancy')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((facility) => {
              const path = facilityPath(facility.id);
              return (
                <Table.Tr
                  key={facility.id}
                  data-testid="facility-row"
                  data-facility-id={facility.id}
                  className="hw-clickable"
                  onClick={(event) => {
                    if (!(event.target as HTMLElement).closest('a')) navigate(path);
                  }}
                >
                  <Table.Td dir="auto" className="hw-name">
                    <Anchor href={path} onClick={onLinkClick(path)} fw={600}>
                      {facility.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{t(`facilities.kinds.${facility.kind}`)}</Table.Td>
                  <Table.Td dir="auto" className="hw-name">
                    {facility.holdingAuthority}
                  </Table.Td>
                  <Table.Td>{countryName(facility.countryCode, countries.data)}</Table.Td>
                  <Table.Td>
                    <FacilityOccupancy facility={facility} />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && (
        <Text c="dimmed" mt="sm" data-testid="facilities-empty">
          {t('facilities.empty')}
        </Text>
      )}
      {rows.length > 0 && (
        <LoadMore
          hasMore={facilities.hasNextPage}
          loading={facilities.isFetchingNextPage}
          onLoad={() => void facilities.fetchNextPage()}
          testId="facilities-load-more"
        />
      )}
    </>
  );
}
