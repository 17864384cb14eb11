import { Paper, SimpleGrid, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCountries, useCountryName } from '../api/queries';
import type { User } from '../api/types';
import { PageTitle } from '../components/PageTitle';

function Fact({ label, value, testId }: { readonly label: string; readonly value: string; readonly testId: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

export function HomePage({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  // An embassy user may not be allowed to list countries; the code is shown then.
  const countries = useCountries(user.countryCode !== null);
  const countryName = useCountryName();
  return (
    <>
      <PageTitle>{t('home.title', { name: user.displayName })}</PageTitle>
      <Text mb="lg">{t('home.intro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        <Fact label={t('home.role')} value={t(`roles.${user.role}`)} testId="home-role" />
        <Fact label={t('home.agency')} value={user.agency?.name ?? t('home.noAgency')} testId="home-agency" />
        {user.countryCode && (
          <Fact
            label={t('home.country')}
            value={countryName(user.countryCode, countries.data)}
            testId="home-country"
          />
        )}
      </SimpleGrid>
    </>
  );
}
