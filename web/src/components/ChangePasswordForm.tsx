import { Alert, Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../api/auth';
import { ApiError, fieldError } from '../api/client';
import { useReplaceUser } from '../session/session';
import { ErrorAlert } from './ErrorAlert';

/** Replace the password: required after signing in with a one-time password, possible any time. */
export function ChangePasswordForm({ username }: { readonly username: string }) {
  const { t } = useTranslation();
  const replaceUser = useReplaceUser();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: () => authApi.changePassword(current, next),
    onSuccess: ({ user }) => {
      replaceUser(user);
      setCurrent('');
      setNext('');
      setAgain('');
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (next !== again) {
      setMismatch(true);
      return;
    }
    change.mutate();
  };

  // wrong_password has its own sentence by the field; other refusals go in the alert.
  const wrong = change.error instanceof ApiError && change.error.code === 'wrong_password';
  return (
    <form onSubmit={submit} data-testid="change-password-form">
      {/* Lets password managers know whose password this is. */}
      <input type="text" name="username" value={username} autoComplete="username" readOnly hidden />
      <Stack gap="sm" className="hw-narrow">
        {change.isSuccess && (
          <Alert color="teal" role="status" data-testid="password-changed">
            {t('account.passwordChanged')}
          </Alert>
        )}
        {change.error && !wrong && <ErrorAlert error={change.error} testId="change-password-error" />}
        <PasswordInput
          label={t('account.currentPassword')}
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={wrong ? t('errors.wrong_password') : fieldError(change.error, 'currentPassword')}
          autoComplete="current-password"
          required
          data-testid="current-password"
        />
        <PasswordInput
          label={t('account.newPassword')}
          value={next}
          onChange={(e) => {
            setNext(e.currentTarget.value);
            setMismatch(false);
          }}
          error={fieldError(change.error, 'newPassword')}
          autoComplete="new-password"
          required
          data-testid="new-password"
        />
        <PasswordInput
          label={t('account.confirmPassword')}
          value={again}
          onChange={(e) => {
            setAgain(e.currentTarget.value);
            setMismatch(false);
          }}
          error={mismatch ? t('account.passwordMismatch') : undefined}
          autoComplete="new-password"
          required
          data-testid="confirm-password"
        />
        <Text size="sm" c="dimmed">
          {t('account.passwordHint')}
        </Text>
        <Group>
          <Button type="submit" loading={change.isPending} data-testid="change-password-submit">
            {t('account.changePassword')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
