import { NavLink, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/types';
import { SECTIONS, accountOnly, mayUse, sectionAt } from '../navigation';
import { onLinkClick, usePath } from '../router/router';

interface NavMenuProps {
  readonly user: User;
  readonly onNavigate?: () => void;
}

/** The sections this user's capabilities open; only "My account" while something there is due. */
export function NavMenu({ user, onNavigate }: NavMenuProps) {
  const { t } = useTranslation();
  const active = sectionAt(usePath())?.key;
  const locked = accountOnly(user);
  return (
    <Stack gap={2}>
      {SECTIONS.filter((section) => mayUse(user, section)).map((section) => {
        const disabled = locked && section.key !== 'account';
        const follow = onLinkClick(section.path);
        return (
          <NavLink
            key={section.key}
            component="a"
            href={disabled ? undefined : section.path}
            label={t(`nav.${section.key}`)}
            active={active === section.key}
            aria-current={active === section.key ? 'page' : undefined}
            aria-disabled={disabled || undefined}
            disabled={disabled}
            data-testid={`nav-${section.key}`}
            onClick={(event: React.MouseEvent<HTMLAnchorElement>) => {
              if (disabled) {
                event.preventDefault();
                return;
              }
              follow(event);
              onNavigate?.();
            }}
          />
        );
      })}
    </Stack>
  );
}
