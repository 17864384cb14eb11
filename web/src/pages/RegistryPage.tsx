import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonSearch } from '../api/registryTypes';
import type { Role, User } from '../api/types';
import { PageTitle } from '../components/PageTitle';
import { PersonTable } from '../components/PersonTable';
import { RegistryFilters, searchFromParams, searchToParams } from '../components/RegistryFilters';
import { IMPORT_PATH, REGISTER_PERSON_PATH, mayRegisterPeople, rememberRegistryQuery } from '../navigation';
import { currentQuery, onLinkClick, replaceQuery } from '../router/router';

/** Roles that see legal data, and so may filter by it (the server's categories by role). */
const LEGAL_ROLES: readonly Role[] = ['coordinator', 'judiciary', 'security'];

/** People in the registry: one search box for names in any script, filters, and the results. */
export function RegistryPage({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  // The filters live in the address (?q=…): "Back" from a person's page returns to the same results.
  const [search, setSearch] = useState<PersonSearch>(() => {
    const query = currentQuery();
    rememberRegistryQuery(query.toString());
    return searchFromParams(query);
  });
  const apply = (next: PersonSearch) => {
    const params = searchToParams(next);
    setSearch(next);
    replaceQuery(params);
    rememberRegistryQuery(params.toString());
  };

  return (
    <>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <PageTitle>{t('registry.title')}</PageTitle>
        {mayRegisterPeople(user) && (
          <Group gap="sm">
            <Button component="a" variant="light" href={IMPORT_PATH} onClick={onLinkClick(IMPORT_PATH)} data-testid="registry-import">
              {t('importWizard.title')}
            </Button>
            <Button component="a" href={REGISTER_PERSON_PATH} onClick={onLinkClick(REGISTER_PERSON_PATH)} data-testid="registry-register">
              {t('register.title')}
            </Button>
          </Group>
        )}
      </Group>
      <Stack gap="lg">
        <RegistryFilters
          value={search}
          onChange={apply}
          withFacility={user.capabilities.includes('facilities')}
          withLegalStatus={LEGAL_ROLES.includes(user.role)}
        />
        <PersonTable search={search} />
      </Stack>
    </>
  );
}
