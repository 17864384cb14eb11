import { useTranslation } from 'react-i18next';
import { FacilityTable } from '../components/FacilityTable';
import { PageTitle } from '../components/PageTitle';

/** Prisons, juvenile facilities and camps, with occupancy derived from custody. */
export function FacilitiesPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t('facilities.title')}</PageTitle>
      <FacilityTable />
    </>
  );
}
