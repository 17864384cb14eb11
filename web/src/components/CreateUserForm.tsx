import { Button, Group, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi } from '../api/admin';
import { fieldError } from '../api/client';
import { useAgencies, useCountries, useCountryName } from '../api/queries';
import { type CreatedUser, type NewUser, ROLES, type Role } from '../api/types';
import { ErrorAlert } from './ErrorAlert';
import { OneTimePassword } from './OneTimePassword';
import { USERS_KEY } from './UsersTable';

interface Draft {
  readonly username: string;
  readonly displayName: string;
  readonly role: string;
  readonly agencyId: string;
  readonly countryCode: string;
}
type Field = keyof Draft;

const EMPTY: Draft = { username: '', displayName: '', role: '', agencyId: '', countryCode: '' };
const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Fields the form can check before asking the server; the server checks everything again. */
function missingFields(draft: Draft): Field[] {
  const missing: Field[] = [];
  if (!draft.username.trim()) missing.push('username');
  if (!draft.displayName.trim()) missing.push('displayName');
  if (!isRole(draft.role)) missing.push('role');
  if (draft.role === 'embassy' && !draft.countryCode) missing.push('countryCode');
  return missing;
}

/** Creates a user and shows the one-time password the server returns, once. */
export function CreateUserForm() {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const agencies = useAgencies();
  const countries = useCountries();
  const countryName = useCountryName();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [missing, setMissing] = useState<readonly Field[]>([]);
  const [created, setCreated] = useState<CreatedUser | null>(null);

  const create = useMutation({
    mutationFn: (user: NewUser) => adminApi.createUser(user),
    onSuccess: (result) => {
      setCreated(result);
      setDraft(EMPTY);
      void client.invalidateQueries({ queryKey: USERS_KEY });
    },
  });

  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? [])
      .map((c) => ({ value: c.code, label: countryName(c.code, countries.data) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);

  const set = (field: Field) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((d) => ({ ...d, [field]: value }));
    setMissing((m) => m.filter((f) => f !== field && !(field === 'role' && f === 'countryCode')));
  };

  const errorFor = (field: Field): string | undefined => {
    if (missing.includes(field)) return field === 'countryCode' ? t('users.countryRequired') : t('common.required');
    return fieldError(create.error, field);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const absent = missingFields(draft);
    setMissing(absent);
    if (absent.length > 0 || !isRole(draft.role)) return;
    setCreated(null);
    create.mutate({
      username: draft.username.trim(),
      displayName: draft.displayName.trim(),
      role: draft.role,
      ...(draft.agencyId ? { agencyId: draft.agencyId } : {}),
      ...(draft.countryCode ? { countryCode: draft.countryCode } : {}),
    });
  };

  const roleOptions = [
    { value: '', label: t('users.chooseRole'), disabled: true },
    ...ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
  ];
  const agencyOptions = [
    { value: '', label: t('users.noAgency') },
    ...(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name })),
  ];

  return (
    <Stack gap="md">
      {created && <OneTimePassword created={created} onDismiss={() => setCreated(null)} />}
      {create.error && <ErrorAlert error={create.error} testId="create-user-error" />}
      {agencies.error && <ErrorAlert error={agencies.error} />}
      <form onSubmit={submit} noValidate data-testid="create-user-form">
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput
              label={t('users.username')}
              value={draft.username}
              onChange={set('username')}
              error={errorFor('username')}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              dir="ltr"
              required
              data-testid="create-user-username"
            />
            <TextInput
              label={t('users.displayName')}
              value={draft.displayName}
              onChange={set('displayName')}
              error={errorFor('displayName')}
              required
              data-testid="create-user-display-name"
            />
            <NativeSelect
              label={t('users.role')}
              value={draft.role}
              onChange={set('role')}
              data={roleOptions}
              error={errorFor('role')}
              required
              data-testid="create-user-role"
            />
            <NativeSelect
              label={t('users.agency')}
              value={draft.agencyId}
              onChange={set('agencyId')}
              data={agencyOptions}
              error={errorFor('agencyId')}
              data-testid="create-user-agency"
            />
            <NativeSelect
              label={t('users.country')}
              description={t('users.countryHint')}
              value={draft.countryCode}
              onChange={set('countryCode')}
              data={[{ value: '', label: t('users.chooseCountry') }, ...countryOptions]}
              error={errorFor('countryCode')}
              required={draft.role === 'embassy'}
              data-testid="create-user-country"
            />
          </SimpleGrid>
          <Group>
            <Button type="submit" loading={create.isPending} data-testid="create-user-submit">
              {t('users.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
