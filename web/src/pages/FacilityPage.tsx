import { Alert, Anchor, Loader, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { useCountries, useCountryName } from '../api/queries';
import { FACILITIES_KEY, registryApi } from '../api/registry';
import type { User } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { FacilityOccupancy } from '../components/FacilityOccupancy';
import { PageTitle } from '../components/PageTitle';
import { Facts, PersonSection } from '../components/PersonSection';
import { PersonTable } from '../components/PersonTable';
import { FACILITIES_PATH } from '../navigation';
import { onLinkClick } from '../router/router';

/** One facility: what it is, who holds it, how full it is, and the people held there now. */
export function FacilityPage({ id, user }: { readonly id: string; readonly user: User }) {
  const { t } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  const facility = useQuery({ queryKey: [...FACILITIES_KEY, 'one', id], queryFn: () => registryApi.facility(id) });

  const backLink = (
    <Anchor href={FACILITIES_PATH} onClick={onLinkClick(FACILITIES_PATH)} size="sm">
      {t('facilities.back')}
    </Anchor>
  );
  if (facility.isPending) return <Loader aria-label={t('common.loading')} />;
  if (facility.isError) {
    const missing = facility.error instanceof ApiError && (facility.error.status === 404 || facility.error.status === 400);
    return (
      <Stack gap="md" data-testid="facility-page">
        {backLink}
        {missing ? <Alert color="gray">{t('facilities.notFound')}</Alert> : <ErrorAlert error={facility.error} />}
      </Stack>
    );
  }

  const f = facility.data;
  return (
    <Stack gap="md" data-testid="facility-page">
      {backLink}
      <div>
        <PageTitle testId="facility-title" dir="auto">
          {f.name}
        </PageTitle>
        <Facts
          facts={[
            { label: t('facilities.kind'), value: t(`facilities.kinds.${f.kind}`) },
            { label: t('facilities.holdingAuthority'), value: f.holdingAuthority, dir: 'auto' },
            { label: t('facilities.country'), value: countryName(f.countryCode, countries.data) },
            { label: t('facilities.occupancy'), value: <FacilityOccupancy facility={f} /> },
          ]}
        />
      </div>
      {user.capabilities.includes('registry') && (
        <PersonSection title={t('facilities.heldHere')} testId="facility-people">
          <PersonTable search={{ facilityId: f.id }} testId="facility-people-table" hideFacility />
        </PersonSection>
      )}
    </Stack>
  );
}
