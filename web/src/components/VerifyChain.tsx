import { Alert, Button, Group, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { auditApi } from '../api/audit';
import { ErrorAlert } from './ErrorAlert';

/** Asks the server to recompute every hash chain and reports the outcome. */
export function VerifyChain() {
  const { t, i18n } = useTranslation();
  const verify = useMutation({ mutationFn: auditApi.verify });
  const number = new Intl.NumberFormat(i18n.language);
  const result = verify.data;
  return (
    <Stack gap="sm">
      <Group>
        <Button variant="light" onClick={() => verify.mutate()} loading={verify.isPending} data-testid="audit-verify">
          {t('audit.verify')}
        </Button>
      </Group>
      {verify.error && <ErrorAlert error={verify.error} />}
      {result && (
        <Alert color={result.ok ? 'teal' : 'red'} role="status" data-testid="audit-verify-result" data-ok={result.ok}>
          {result.ok
            ? t('audit.verifyOk', { chains: number.format(result.chains), events: number.format(result.eventsChecked) })
            : t('audit.verifyFailed', { problem: result.problem ?? '' })}
        </Alert>
      )}
    </Stack>
  );
}
