import { Badge, Burger, Button, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { useLogout, useSaveLocale } from '../session/session';
import { LanguageSelect } from './LanguageSelect';

interface AppHeaderProps {
  readonly user: User;
  readonly navOpened: boolean;
  readonly onToggleNav: () => void;
}

export function AppHeader({ user, navOpened, onToggleNav }: AppHeaderProps) {
  const { t } = useTranslation();
  const logout = useLogout();
  const saveLocale = useSaveLocale();
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap">
        <Burger
          opened={navOpened}
          onClick={onToggleNav}
          hiddenFrom="sm"
          size="sm"
          aria-label={t('header.toggleNav')}
        />
        <Title order={2} size="h3" className="hw-brand">
          {t('app.name')}
        </Title>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <div className="hw-user">
          <Text size="sm" fw={600} truncate data-testid="user-menu-name">
            {user.displayName}
          </Text>
          <Badge size="sm" variant="light" className="hw-badge" data-testid="user-menu-role">
            {t(`roles.${user.role}`)}
          </Badge>
        </div>
        <LanguageSelect onChange={(locale) => saveLocale.mutate(locale)} />
        <Button variant="default" size="sm" onClick={() => logout.mutate()} loading={logout.isPending} data-testid="logout">
          {t('header.logout')}
        </Button>
      </Group>
    </Group>
  );
}
