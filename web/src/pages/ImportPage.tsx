import { Alert, Anchor, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ImportProgress, type ImportReport, TEMPLATE_URL, runImport } from '../api/imports';
import { PERSONS_KEY } from '../api/registry';
import { ErrorAlert } from '../components/ErrorAlert';
import { ImportProgressBar } from '../components/ImportProgressBar';
import { ImportReportView } from '../components/ImportReportView';
import { PageTitle } from '../components/PageTitle';
import { REGISTRY_PATH, registryListPath } from '../navigation';
import { onLinkClick } from '../router/router';

/** The wizard's steps: choose a file → check it (a dry run) → import it, all or nothing. */
type Step =
  | { readonly kind: 'choose' }
  | { readonly kind: 'running'; readonly dryRun: boolean; readonly progress: ImportProgress }
  | { readonly kind: 'checked'; readonly report: ImportReport }
  | { readonly kind: 'imported'; readonly report: ImportReport }
  | { readonly kind: 'failed'; readonly error: unknown };

const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Import people from a CSV or XLSX file in the template's columns, for the coordinator and custody officers. */
export function ImportPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const abort = useRef<(() => void) | null>(null);
  useEffect(() => () => abort.current?.(), []);

  const start = (dryRun: boolean) => {
    if (!file) return;
    setStep({ kind: 'running', dryRun, progress: { phase: 'uploading', done: 0, total: file.size } });
    const run = runImport(file, dryRun, (progress) => setStep({ kind: 'running', dryRun, progress }));
    abort.current = run.abort;
    run.promise.then(
      (report) => {
        if (report.committed) void client.invalidateQueries({ queryKey: PERSONS_KEY });
        setStep(report.committed ? { kind: 'imported', report } : { kind: 'checked', report });
      },
      (error: unknown) => {
        if (!(error instanceof DOMException && error.name === 'AbortError')) setStep({ kind: 'failed', error });
      },
    );
  };
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    setFile(event.currentTarget.files?.[0] ?? null);
    setStep({ kind: 'choose' });
  };
  const running = step.kind === 'running';
  const back = registryListPath();

  return (
    <Stack gap="md" data-testid="import-page" data-step={step.kind}>
      <Anchor href={back} onClick={onLinkClick(back)} size="sm">
        {t('person.back')}
      </Anchor>
      <PageTitle>{t('importWizard.title')}</PageTitle>
      <Text>{t('importWizard.intro')}</Text>
      <Group>
        <Anchor href={TEMPLATE_URL} download data-testid="import-template">
          {t('importWizard.template')}
        </Anchor>
      </Group>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <label htmlFor="import-file">
            <Text fw={600}>{t('importWizard.file')}</Text>
          </label>
          <input id="import-file" type="file" accept={ACCEPT} onChange={choose} disabled={running} data-testid="import-file" />
          {file && (
            <Text size="sm" c="dimmed" dir="auto" data-testid="import-file-name">
              {file.name} · {new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(file.size / 1024)} KB
            </Text>
          )}
          <Group>
            <Button onClick={() => start(true)} disabled={!file || running} data-testid="import-check">
              {t('importWizard.check')}
            </Button>
            {running && (
              <Button variant="subtle" color="gray" onClick={() => abort.current?.()} data-testid="import-cancel">
                {t('importWizard.cancel')}
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>

      {step.kind === 'running' && <ImportProgressBar progress={step.progress} dryRun={step.dryRun} />}
      {step.kind === 'failed' && <ErrorAlert error={step.error} testId="import-error" />}
      {step.kind === 'checked' && (
        <>
          <ImportReportView report={step.report} fileName={file?.name ?? 'import'} />
          {step.report.problems.length === 0 && (
            <Group>
              <Alert color="blue" data-testid="import-ready">
                {step.report.created > 0 ? t('importWizard.ready', { count: step.report.created }) : t('importWizard.nothingNew')}
              </Alert>
              {step.report.created > 0 && (
                <Button color="green" onClick={() => start(false)} data-testid="import-commit">
                  {t('importWizard.commit', { count: step.report.created })}
                </Button>
              )}
            </Group>
          )}
        </>
      )}
      {step.kind === 'imported' && (
        <>
          <Alert color="green" data-testid="import-done">
            {t('importWizard.done', { count: step.report.created })}
          </Alert>
          <ImportReportView report={step.report} fileName={file?.name ?? 'import'} />
          <Anchor href={REGISTRY_PATH} onClick={onLinkClick(REGISTRY_PATH)} data-testid="import-to-registry">
            {t('importWizard.toRegistry')}
          </Anchor>
        </>
      )}
    </Stack>
  );
}
