import { Button, Fieldset, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { NameInput, NameKind } from '../api/registryTypes';

export const NAME_PARTS = ['givenName', 'fatherName', 'familyName'] as const;
export type NamePart = (typeof NAME_PARTS)[number];
const EXTRA_KINDS = ['alias', 'kunya', 'birth'] as const satisfies readonly NameKind[];

export interface NameDraft {
  /** Stable across removals, for React. */
  readonly key: number;
  readonly kind: NameKind;
  readonly givenName: string;
  readonly fatherName: string;
  readonly familyName: string;
}

export const emptyName = (key: number, kind: NameKind): NameDraft => ({ key, kind, givenName: '', fatherName: '', familyName: '' });
export const hasName = (name: NameDraft) => name.givenName.trim() !== '' || name.familyName.trim() !== '';

/** The parts that were filled in; the server builds the full name and its Latin rendering. */
export function nameInput(name: NameDraft): NameInput {
  const parts: Partial<Record<NamePart, string>> = {};
  for (const part of NAME_PARTS) if (name[part].trim()) parts[part] = name[part].trim();
  return { kind: name.kind, ...parts };
}

interface NameFieldsProps {
  readonly index: number;
  readonly value: NameDraft;
  readonly onChange: (value: NameDraft) => void;
  readonly onRemove?: () => void;
  readonly errorFor: (part: NamePart) => string | undefined;
}

/** One name in the script it was recorded in: given name, father's name, family name. */
export function NameFields({ index, value, onChange, onRemove, errorFor }: NameFieldsProps) {
  const { t } = useTranslation();
  const primary = value.kind === 'primary';
  const set = (field: NamePart) => (event: React.ChangeEvent<HTMLInputElement>) =>
    onChange({ ...value, [field]: event.currentTarget.value });
  return (
    <Fieldset
      legend={primary ? t('register.primaryName') : t('register.additionalName', { n: index })}
      data-testid={`register-name-${index}`}
    >
      <SimpleGrid cols={{ base: 1, sm: primary ? 3 : 4 }} spacing="sm">
        {!primary && (
          <NativeSelect
            label={t('person.nameKind')}
            value={value.kind}
            onChange={(event) => {
              const kind = EXTRA_KINDS.find((k) => k === event.currentTarget.value);
              if (kind) onChange({ ...value, kind });
            }}
            data={EXTRA_KINDS.map((k) => ({ value: k, label: t(`person.nameKinds.${k}`) }))}
            data-testid={`register-name-${index}-kind`}
          />
        )}
        {NAME_PARTS.map((part) => (
          <TextInput
            key={part}
            label={t(`person.parts.${part}`)}
            value={value[part]}
            onChange={set(part)}
            error={errorFor(part)}
            // dir on the input itself: a name is written in its own direction (Mantine puts `dir` on the wrapper).
            attributes={{ input: { dir: 'auto' } }}
            autoComplete="off"
            spellCheck={false}
            maxLength={100}
            data-testid={`register-name-${index}-${part}`}
          />
        ))}
      </SimpleGrid>
      {onRemove && (
        <Button variant="subtle" color="red" size="compact-sm" mt="xs" onClick={onRemove} data-testid={`register-name-${index}-remove`}>
          {t('register.removeName')}
        </Button>
      )}
    </Fieldset>
  );
}
