import { Button, Center, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './components/ErrorAlert';
import { FullPageLoader } from './components/FullPageLoader';
import { LoginPage } from './pages/LoginPage';
import { useSession } from './session/session';
import { SignedIn } from './SignedIn';

/** Asks the server for the session on load: signed in → the app, 401 → the login page. */
export function Root() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError) {
    return (
      <Center className="hw-full-page">
        <Stack align="center">
          <ErrorAlert error={session.error} />
          <Button onClick={() => void session.refetch()}>{t('common.retry')}</Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) return <LoginPage />;
  return <SignedIn user={session.data.user} />;
}
