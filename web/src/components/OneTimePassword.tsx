import { Alert, Button, Code, CopyButton, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CreatedUser } from '../api/types';

/** The new user's one-time password: the only time anyone sees it. */
export function OneTimePassword({ created, onDismiss }: { readonly created: CreatedUser; readonly onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert
      color="teal"
      title={t('users.createdTitle', { username: created.user.username })}
      withCloseButton
      onClose={onDismiss}
      closeButtonLabel={t('common.close')}
      data-testid="one-time-password"
    >
      <Text size="sm" mb="sm">
        {t('users.createdText')}
      </Text>
      <Group gap="sm">
        <Text size="sm" fw={600}>
          {t('users.oneTimePassword')}
        </Text>
        <Code className="hw-ltr hw-secret" dir="ltr" data-testid="one-time-password-value">
          {created.oneTimePassword}
        </Code>
        <CopyButton value={created.oneTimePassword}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? t('common.copied') : t('common.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Alert>
  );
}
