import { NativeSelect, Radio, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type NewName, personEditApi } from '../api/personEdit';
import type { NameKind } from '../api/registryTypes';
import { EditFeedback, type EditFormProps, EditFormFrame, useMissing, usePersonEdit } from './EditForm';

const KINDS = ['primary', 'alias', 'kunya', 'birth'] as const satisfies readonly NameKind[];
const PARTS = ['givenName', 'fatherName', 'grandfatherName', 'familyName'] as const;
type Part = (typeof PARTS)[number] | 'fullName';
const SHOWN_BY_FIELD = /^(kind|givenName|fatherName|grandfatherName|familyName|fullName)$/;

/** A name in any script — another rendering, an alias, a kunya; Homeward adds its Latin form. */
export function AddNameForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<NameKind>('alias');
  const [parts, setParts] = useState<Record<Part, string>>({ givenName: '', fatherName: '', grandfatherName: '', familyName: '', fullName: '' });
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, personEditApi.addName, onDone);

  const submit = () => {
    const filled = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
    if (!filled.givenName && !filled.familyName && !filled.fullName) {
      setMissing(new Set(['name']));
      return;
    }
    setMissing(new Set());
    edit.mutation.mutate({ kind, ...filled } as NewName);
  };
  const field = (part: Part, label: string) => (
    <TextInput
      key={part}
      label={label}
      value={parts[part]}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setParts((p) => ({ ...p, [part]: value }));
        clear('name');
      }}
      error={(part === 'givenName' && has('name') ? t('personEdit.nameRequired') : undefined) ?? edit.serverError(part)}
      // A name is written in its own direction: an Arabic name right to left, even on an English page.
      attributes={{ input: { dir: 'auto' } }}
      autoComplete="off"
      spellCheck={false}
      maxLength={part === 'fullName' ? 300 : 100}
      data-testid={`edit-name-${part}`}
    />
  );

  return (
    <EditFormFrame testId="edit-name-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={SHOWN_BY_FIELD} />
        <Text size="sm" c="dimmed">
          {t('personEdit.nameHint')}
        </Text>
        <NativeSelect
          label={t('person.nameKind')}
          description={kind === 'primary' ? t('personEdit.primaryHint') : undefined}
          value={kind}
          onChange={(event) => {
            const value = KINDS.find((k) => k === event.currentTarget.value);
            if (value) setKind(value);
          }}
          data={KINDS.map((k) => ({ value: k, label: t(`person.nameKinds.${k}`) }))}
          error={edit.serverError('kind')}
          data-testid="edit-name-kind"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {PARTS.map((part) => field(part, t(`person.parts.${part}`)))}
        </SimpleGrid>
        {field('fullName', t('personEdit.fullName'))}
      </Stack>
    </EditFormFrame>
  );
}

/** Removes a name recorded in error; the server keeps at least one and promotes another to primary. */
export function RemoveNameForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const [nameId, setNameId] = useState('');
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, personEditApi.removeName, onDone);
  const submit = () => {
    if (!nameId) {
      setMissing(new Set(['name']));
      return;
    }
    edit.mutation.mutate(nameId);
  };
  return (
    <EditFormFrame testId="edit-remove-name-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending} submitLabel={t('personEdit.remove')} submitColor="red">
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={/^$/} />
        <Radio.Group
          label={t('personEdit.chooseName')}
          value={nameId}
          onChange={(value) => {
            setNameId(value);
            clear('name');
          }}
          error={has('name') ? t('personEdit.nameToRemoveRequired') : undefined}
        >
          <Stack gap="xs" mt="xs">
            {(person.names ?? []).map((name) => (
              <Radio
                key={name.id}
                value={name.id}
                label={
                  <>
                    <bdi>{name.fullName}</bdi> ({t(`person.nameKinds.${name.kind}`)})
                  </>
                }
                data-testid="edit-remove-name-option"
                data-name={name.fullName}
              />
            ))}
          </Stack>
        </Radio.Group>
      </Stack>
    </EditFormFrame>
  );
}
