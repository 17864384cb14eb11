import { Button, Group, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilter } from '../api/audit';

export const NO_FILTER: AuditFilter = { entityType: '', entityId: '' };

interface AuditFilterFormProps {
  readonly value: AuditFilter;
  readonly onChange: (filter: AuditFilter) => void;
}

/** Narrow the trail to one entity type, or one entity. Applied on submit, not per keystroke. */
export function AuditFilterForm({ value, onChange }: AuditFilterFormProps) {
  const { t } = useTranslation();
  const [entityType, setEntityType] = useState(value.entityType);
  const [entityId, setEntityId] = useState(value.entityId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ entityType: entityType.trim(), entityId: entityId.trim() });
  };
  const clear = () => {
    setEntityType('');
    setEntityId('');
    onChange(NO_FILTER);
  };

  return (
    <form onSubmit={submit} data-testid="audit-filter">
      <Group align="flex-end" gap="sm">
        <TextInput
          label={t('audit.entityType')}
          value={entityType}
          onChange={(e) => setEntityType(e.currentTarget.value)}
          dir="ltr"
          spellCheck={false}
          data-testid="audit-filter-entity-type"
        />
        <TextInput
          label={t('audit.entityId')}
          value={entityId}
          onChange={(e) => setEntityId(e.currentTarget.value)}
          dir="ltr"
          spellCheck={false}
          className="hw-wide-input"
          data-testid="audit-filter-entity-id"
        />
        <Button type="submit" data-testid="audit-filter-submit">
          {t('audit.filter')}
        </Button>
        <Button variant="default" onClick={clear} type="button">
          {t('audit.clear')}
        </Button>
      </Group>
    </form>
  );
}
