import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../components/PageTitle';
import type { SectionKey } from '../navigation';

/** A section planned for a later version: its title and an honest note, no made-up data. */
export function PlaceholderPage({ section }: { readonly section: SectionKey }) {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t(`nav.${section}`)}</PageTitle>
      <Alert color="gray" variant="light" data-testid="page-being-built">
        {t('placeholder.text')}
      </Alert>
    </>
  );
}
