import { Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CreateUserForm } from '../components/CreateUserForm';
import { PageTitle } from '../components/PageTitle';
import { RoleSettings } from '../components/RoleSettings';
import { UsersTable } from '../components/UsersTable';

/** Administration of accounts: the list, a new account, and which roles need two-factor login. */
export function UsersPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle>{t('users.title')}</PageTitle>
      {/* Panels stay mounted, so a one-time password stays on screen when the admin looks at the list. */}
      <Tabs defaultValue="list" keepMounted>
        <Tabs.List mb="md">
          <Tabs.Tab value="list" data-testid="users-tab-list">
            {t('users.listTab')}
          </Tabs.Tab>
          <Tabs.Tab value="create" data-testid="users-tab-create">
            {t('users.createTitle')}
          </Tabs.Tab>
          <Tabs.Tab value="roles" data-testid="users-tab-roles">
            {t('roleSettings.title')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="list">
          <UsersTable />
        </Tabs.Panel>
        <Tabs.Panel value="create">
          <CreateUserForm />
        </Tabs.Panel>
        <Tabs.Panel value="roles">
          <RoleSettings />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
