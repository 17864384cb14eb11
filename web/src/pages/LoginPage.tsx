import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';
import { LanguageSelect } from '../components/LanguageSelect';
import { changeLanguage } from '../i18n';
import { SESSION_ENDED_KEY, useLogin } from '../session/session';

type Step = 'credentials' | 'totp';

/**
 * Username and password; when the server answers totp_required, a second step asks for
 * the 6-digit code and sends all three again (the password stays in memory only).
 */
export function LoginPage() {
  const { t } = useTranslation();
  const login = useLogin();
  const sessionEnded = useQueryClient().getQueryData<boolean>(SESSION_ENDED_KEY) === true;
  const [step, setStep] = useState<Step>('credentials');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.name')}`;
  }, [t]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const credentials = step === 'totp' ? { username, password, totp } : { username, password };
    login.mutate(credentials, {
      onError: (error) => {
        if (!(error instanceof ApiError)) return;
        if (error.code === 'totp_required') {
          setStep('totp');
          setTotp('');
        } else if (error.code === 'invalid_credentials' && step === 'totp') {
          setStep('credentials');
        } else if (error.code === 'invalid_totp') {
          setTotp('');
        }
      },
    });
  };

  const back = () => {
    setStep('credentials');
    setTotp('');
    login.reset();
  };

  // totp_required is the cue for the second step, not a failure to show.
  const shownError = login.error instanceof ApiError && login.error.code === 'totp_required' ? null : login.error;

  return (
    <Center className="hw-full-page" component="main">
      <Paper withBorder shadow="sm" p="xl" className="hw-login">
        <Stack gap="md">
          <div>
            <Title order={1} size="h2">
              {t('app.name')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('app.tagline')}
            </Text>
          </div>
          <LanguageSelect withLabel onChange={changeLanguage} />
          <form onSubmit={submit}>
            <Stack gap="md">
              <Title order={2} size="h3" data-testid="page-title">
                {step === 'credentials' ? t('login.title') : t('login.totpTitle')}
              </Title>
              {sessionEnded && !login.error && (
                <Alert color="blue" role="status" data-testid="session-ended">
                  {t('errors.unauthenticated')}
                </Alert>
              )}
              {shownError && <ErrorAlert error={shownError} testId="login-error" />}
              {step === 'credentials' ? (
                <>
                  <TextInput
                    label={t('login.username')}
                    value={username}
                    onChange={(e) => setUsername(e.currentTarget.value)}
                    autoComplete="username"
                    autoCapitalize="none"
                    spellCheck={false}
                    required
                    autoFocus
                    dir="ltr"
                    data-testid="login-username"
                  />
                  <PasswordInput
                    label={t('login.password')}
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    autoComplete="current-password"
                    required
                    data-testid="login-password"
                  />
                </>
              ) : (
                <>
                  <Text size="sm">{t('login.totpHint')}</Text>
                  <TextInput
                    label={t('login.totpLabel')}
                    value={totp}
                    onChange={(e) => setTotp(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    pattern="[0-9]{6}"
                    maxLength={6}
                    required
                    autoFocus
                    dir="ltr"
                    data-testid="login-totp"
                  />
                </>
              )}
              <Group justify="space-between">
                {step === 'totp' ? (
                  <Button variant="subtle" onClick={back} type="button">
                    {t('login.back')}
                  </Button>
                ) : (
                  <span />
                )}
                <Button
                  type="submit"
                  loading={login.isPending}
                  disabled={step === 'totp' && totp.length !== 6}
                  data-testid="login-submit"
                >
                  {step === 'credentials' ? t('login.submit') : t('login.totpSubmit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}
