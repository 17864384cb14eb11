import { Stack } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilter } from '../api/audit';
import { AuditFilterForm, NO_FILTER } from '../components/AuditFilterForm';
import { AuditTable } from '../components/AuditTable';
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
        <AuditTable filter={filter} />
      </Stack>
    </>
  );
}
