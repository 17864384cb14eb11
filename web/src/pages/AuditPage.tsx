import { Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilter } from '../api/audit';
import { AuditFilterForm, NO_FILTER } from '../components/AuditFilterForm';
import { AuditTable } from '../components/AuditTable';
import { ExportMenu } from '../components/ExportMenu';
import { PageTitle } from '../components/PageTitle';
import { VerifyChain } from '../components/VerifyChain';

export function AuditPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <Stack gap="lg">
        <VerifyChain />
        <AuditFilterForm value={filter} onChange={setFilter} />
        <Group justify="flex-end">
          <ExportMenu url="/api/v1/audit-events/export" filters={{ entityType: filter.entityType.trim(), entityId: filter.entityId.trim() }} testId="audit-export" list={t('audit.title')} />
        </Group>
        <AuditTable filter={filter} />
      </Stack>
    </>
  );
}
