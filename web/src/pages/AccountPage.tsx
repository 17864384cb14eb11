import { Alert, Group, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LOCALES, type User, isLocale } from '../api/types';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { TotpEnrolment } from '../components/TotpEnrolment';
import { LANGUAGE_NAMES } from '../i18n';
import { mustChangePassword, mustEnrolTotp } from '../navigation';
import { useSaveLocale } from '../session/session';

export function AccountPage({ user }: { readonly user: User }) {
  const { t } = useTranslation();
  const saveLocale = useSaveLocale();
  return (
    <>
      <PageTitle>{t('account.title')}</PageTitle>
      {mustChangePassword(user) && (
        <Alert color="orange" mb="lg" data-testid="password-change-required">
          {t('account.passwordRequired')}
        </Alert>
      )}
      {mustEnrolTotp(user) && (
        <Alert color="orange" mb="lg" data-testid="totp-required">
          {t('account.required')}
        </Alert>
      )}
      <Stack gap="lg">
        <Paper withBorder p="md">
          <Text size="sm" c="dimmed">
            {t('account.username')}
          </Text>
          <Text fw={600} dir="ltr" className="hw-ltr">
            {user.username}
          </Text>
        </Paper>

        <Paper withBorder p="md" component="section" aria-labelledby="account-language">
          <Title order={2} size="h4" mb="xs" id="account-language">
            {t('account.languageTitle')}
          </Title>
          <Radio.Group
            value={user.locale}
            onChange={(value) => {
              if (isLocale(value)) saveLocale.mutate(value);
            }}
            description={t('account.languageHint')}
            aria-labelledby="account-language"
          >
            <Group mt="sm" data-testid="account-language">
              {LOCALES.map((locale) => (
                <Radio key={locale} value={locale} label={LANGUAGE_NAMES[locale]} lang={locale} />
              ))}
            </Group>
          </Radio.Group>
          {saveLocale.isSuccess && (
            <Text size="sm" c="teal" mt="sm" role="status">
              {t('account.languageSaved')}
            </Text>
          )}
          {saveLocale.error && <ErrorAlert error={saveLocale.error} />}
        </Paper>

        <Paper withBorder p="md" component="section" aria-labelledby="account-password">
          <Title order={2} size="h4" mb="sm" id="account-password">
            {t('account.passwordTitle')}
          </Title>
          <ChangePasswordForm username={user.username} />
        </Paper>

        <Paper withBorder p="md" component="section" aria-labelledby="account-totp">
          <Title order={2} size="h4" mb="sm" id="account-totp">
            {t('account.twoFactorTitle')}
          </Title>
          <TotpEnrolment user={user} />
        </Paper>
      </Stack>
    </>
  );
}
