import { Badge, Group, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Facility } from '../api/registryTypes';
import { useRegistryFormat } from './registryFormat';

/** "740 / 420" with a bar, and a badge when more people are held than the facility was built for. */
export function FacilityOccupancy({ facility }: { readonly facility: Facility }) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  const ratio = facility.capacity > 0 ? facility.occupancy / facility.capacity : facility.occupancy > 0 ? 2 : 0;
  return (
    <div>
      <Group gap="xs" wrap="nowrap">
        <Text span className="hw-nowrap" data-testid="facility-occupancy">
          {t('facilities.occupancyValue', { occupancy: format.number(facility.occupancy), capacity: format.number(facility.capacity) })}
        </Text>
        {facility.overCapacity && (
          <Badge color="red" className="hw-badge" data-testid="over-capacity">
            {t('facilities.overCapacity')}
          </Badge>
        )}
      </Group>
      <Progress
        value={Math.min(100, ratio * 100)}
        color={facility.overCapacity ? 'red' : ratio > 0.9 ? 'orange' : 'teal'}
        size="sm"
        mt={4}
        aria-label={t('facilities.occupancy')}
        className="hw-occupancy-bar"
      />
    </div>
  );
}
