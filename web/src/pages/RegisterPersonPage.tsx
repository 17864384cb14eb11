import { Anchor, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { PageTitle } from '../components/PageTitle';
import { RegisterPersonForm } from '../components/RegisterPersonForm';
import { registryListPath } from '../navigation';
import { onLinkClick } from '../router/router';

/** "Register a person", for the coordinator and custody officers. */
export function RegisterPersonPage({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  const back = registryListPath();
  return (
    <Stack gap={0}>
      <Anchor href={back} onClick={onLinkClick(back)} size="sm" mb="sm">
        {t('person.back')}
      </Anchor>
      <PageTitle>{t('register.title')}</PageTitle>
      <RegisterPersonForm user={user} />
    </Stack>
  );
}
