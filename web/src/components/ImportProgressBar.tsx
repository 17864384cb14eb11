import { Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportProgress } from '../api/imports';

/** One bar for the whole import: sending the file (0–20 %), checking (20–30 %), then the rows (30–100 %). */
function share(progress: ImportProgress): number {
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  if (progress.phase === 'uploading') return 20 * fraction;
  if (progress.phase === 'checking') return 20 + 10 * fraction;
  return 30 + 70 * fraction;
}

export function ImportProgressBar({ progress, dryRun }: { readonly progress: ImportProgress; readonly dryRun: boolean }) {
  const { t, i18n } = useTranslation();
  const percent = Math.round(share(progress));
  const number = new Intl.NumberFormat(i18n.language);
  const label =
    progress.phase === 'writing'
      ? t(dryRun ? 'importWizard.progress.trying' : 'importWizard.progress.writing', { done: number.format(progress.done), total: number.format(progress.total) })
      : t(`importWizard.progress.${progress.phase}`);
  return (
    <Stack gap={4} data-testid="import-progress" data-phase={progress.phase} data-percent={percent}>
      <Text size="sm">{label}</Text>
      <Progress value={percent} size="lg" striped animated aria-label={label} aria-valuenow={percent} />
      <Text size="xs" c="dimmed">
        {number.format(percent)} %
      </Text>
    </Stack>
  );
}
