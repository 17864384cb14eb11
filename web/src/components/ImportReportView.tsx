import { Alert, Button, Group, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type ImportReport, problemsCsv } from '../api/imports';

function Figure({ label, value, testId }: { readonly label: string; readonly value: number; readonly testId: string }) {
  const { i18n } = useTranslation();
  return (
    <Stack gap={0}>
      <Text size="xl" fw={700} data-testid={testId}>
        {new Intl.NumberFormat(i18n.language).format(value)}
      </Text>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

function downloadProblems(report: ImportReport, fileName: string) {
  const url = URL.createObjectURL(new Blob([problemsCsv(report.problems)], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${fileName.replace(/\.[^.]+$/, '')}-problems.csv`;
  link.click();
  URL.revokeObjectURL(url);
}

/** What a dry run or an import found: the counts and, if any, every problem by row and column. */
export function ImportReportView({ report, fileName }: { readonly report: ImportReport; readonly fileName: string }) {
  const { t } = useTranslation();
  const problems = report.problems;
  return (
    <Stack gap="md" data-testid="import-report" data-committed={report.committed} data-problems={problems.length}>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Figure label={t('importWizard.report.rows')} value={report.total} testId="import-total" />
        <Figure label={t(report.committed ? 'importWizard.report.created' : 'importWizard.report.toCreate')} value={report.created} testId="import-created" />
        <Figure label={t('importWizard.report.alreadyRegistered')} value={report.alreadyRegistered} testId="import-already" />
        <Figure label={t('importWizard.report.familyLinks')} value={report.familyLinks} testId="import-links" />
      </SimpleGrid>
      {problems.length > 0 && (
        <>
          <Alert color="red" role="alert" data-testid="import-problems-alert">
            {t('importWizard.report.problems', { count: problems.length })}
          </Alert>
          <Group>
            <Button variant="light" onClick={() => downloadProblems(report, fileName)} data-testid="import-problems-download">
              {t('importWizard.report.download')}
            </Button>
          </Group>
          <Table.ScrollContainer minWidth={600}>
            <Table striped data-testid="import-problems">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('importWizard.report.row')}</Table.Th>
                  <Table.Th>{t('importWizard.report.column')}</Table.Th>
                  <Table.Th>{t('importWizard.report.message')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {problems.map((p) => (
                  <Table.Tr key={`${p.row}:${p.column}:${p.message}`} data-testid="import-problem" data-row={p.row} data-column={p.column}>
                    <Table.Td>{p.row}</Table.Td>
                    <Table.Td>
                      <bdi>{p.column}</bdi>
                    </Table.Td>
                    <Table.Td lang="en" dir="ltr">
                      {p.message}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
