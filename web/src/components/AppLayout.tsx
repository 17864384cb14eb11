import { AppShell } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { AppHeader } from './AppHeader';
import { NavMenu } from './NavMenu';

/**
 * Header on top, navigation at the inline start (left in English, right in Arabic):
 * Mantine's AppShell lays out with logical properties and follows the document direction.
 */
export function AppLayout({ user, children }: { readonly user: User; readonly children: ReactNode }) {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 260, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <AppHeader user={user} navOpened={opened} onToggleNav={toggle} />
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label={t('nav.label')} data-testid="nav">
        <NavMenu user={user} onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <div className="hw-main">{children}</div>
      </AppShell.Main>
    </AppShell>
  );
}
