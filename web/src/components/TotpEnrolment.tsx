import { Alert, Button, Code, Group, Image, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authApi } from '../api/auth';
import type { User } from '../api/types';
import { useReplaceUser } from '../session/session';
import { ErrorAlert } from './ErrorAlert';

/** Two-factor enrolment: ask for a secret, show it as QR code and text, confirm with a code. */
export function TotpEnrolment({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  const replaceUser = useReplaceUser();
  const [code, setCode] = useState('');
  const setup = useMutation({ mutationFn: authApi.setupTotp });
  const enable = useMutation({
    mutationFn: authApi.enableTotp,
    onSuccess: ({ user: updated }) => {
      replaceUser(updated);
      setup.reset();
      setCode('');
    },
  });

  if (user.totpEnabled) {
    return (
      <Alert color="teal" data-testid="totp-status">
        {enable.isSuccess ? t('account.enabled') : t('account.twoFactorOn')}
      </Alert>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    enable.mutate(code);
  };

  return (
    <Stack gap="md">
      <Text data-testid="totp-status">{t('account.twoFactorOff')}</Text>
      {setup.error && <ErrorAlert error={setup.error} />}
      {!setup.data ? (
        <Group>
          <Button onClick={() => setup.mutate()} loading={setup.isPending} data-testid="totp-setup">
            {t('account.setup')}
          </Button>
        </Group>
      ) : (
        <Stack gap="md">
          <Text>{t('account.scan')}</Text>
          <Image src={setup.data.qrSvg} alt={t('account.qrAlt')} className="hw-qr" data-testid="totp-qr" />
          <div>
            <Text size="sm" c="dimmed">
              {t('account.secret')}
            </Text>
            <Code className="hw-ltr hw-secret" dir="ltr" data-testid="totp-secret">
              {setup.data.secret}
            </Code>
          </div>
          <form onSubmit={submit}>
            <Stack gap="sm" className="hw-narrow">
              {enable.error && <ErrorAlert error={enable.error} testId="totp-error" />}
              <TextInput
                label={t('account.code')}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                required
                dir="ltr"
                data-testid="totp-code"
              />
              <Group>
                <Button type="submit" loading={enable.isPending} disabled={code.length !== 6} data-testid="totp-enable">
                  {t('account.enable')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Stack>
      )}
    </Stack>
  );
}
