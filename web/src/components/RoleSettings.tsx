import { Loader, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { adminApi } from '../api/admin';
import type { Role, RoleSetting } from '../api/types';
import { ErrorAlert } from './ErrorAlert';

const KEY = ['role-settings'] as const;

/** Per role: must its users set up two-factor login? */
export function RoleSettings() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: KEY, queryFn: adminApi.roleSettings, select: (r) => r.data });
  const update = useMutation({
    mutationFn: ({ role, totpRequired }: RoleSetting) => adminApi.setRoleSetting(role, totpRequired),
    onSuccess: (saved) =>
      client.setQueryData<{ data: readonly RoleSetting[] }>(KEY, (old) =>
        old ? { data: old.data.map((s) => (s.role === saved.role ? saved : s)) } : old,
      ),
  });

  if (settings.isPending) return <Loader aria-label={t('common.loading')} />;
  if (settings.isError) return <ErrorAlert error={settings.error} />;

  const pendingRole: Role | undefined = update.isPending ? update.variables.role : undefined;
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('roleSettings.hint')}
      </Text>
      {update.error && <ErrorAlert error={update.error} />}
      {settings.data.map((setting) => (
        <Switch
          key={setting.role}
          label={t('roleSettings.required', { role: t(`roles.${setting.role}`) })}
          checked={pendingRole === setting.role ? update.variables?.totpRequired : setting.totpRequired}
          disabled={update.isPending}
          onChange={(event) => update.mutate({ role: setting.role, totpRequired: event.currentTarget.checked })}
          data-testid={`role-setting-${setting.role}`}
        />
      ))}
    </Stack>
  );
}
