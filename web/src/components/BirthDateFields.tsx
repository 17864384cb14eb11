import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { type BirthDateInput, PRECISIONS, type Precision } from '../api/registryTypes';

export interface BirthDraft {
  readonly precision: Precision;
  /** YYYY-MM-DD, YYYY-MM or YYYY, as the precision asks. */
  readonly value: string;
}

export const EMPTY_BIRTH: BirthDraft = { precision: 'exact', value: '' };

const FORMATS: Readonly<Record<Precision, RegExp>> = {
  exact: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  year: /^\d{4}$/,
  estimated: /^\d{4}$/,
};

/** null when the value does not have the precision's shape; the server checks the calendar. */
export function birthDateInput(draft: BirthDraft): BirthDateInput | null {
  const value = draft.value.trim();
  if (!FORMATS[draft.precision].test(value)) return null;
  switch (draft.precision) {
    case 'exact':
      return { precision: 'exact', date: value };
    case 'month':
      return { precision: 'month', month: value };
    case 'year':
      return { precision: 'year', year: Number(value) };
    case 'estimated':
      return { precision: 'estimated', aboutYear: Number(value) };
  }
}

interface BirthDateFieldsProps {
  readonly value: BirthDraft;
  readonly onChange: (value: BirthDraft) => void;
  readonly error?: string;
  /** Prefix of the fields' data-testid attributes. */
  readonly testId?: string;
}

/** A date of birth as precise as it is known: a day, a month, a year, or "about" a year. */
export function BirthDateFields({ value, onChange, error, testId = 'register-birth' }: BirthDateFieldsProps) {
  const { t } = useTranslation();
  const isPrecision = (v: string): v is Precision => (PRECISIONS as readonly string[]).includes(v);
  const common = {
    label: t(`register.birthValue.${value.precision}`),
    value: value.value,
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, value: event.currentTarget.value }),
    error,
    required: true,
    dir: 'ltr' as const,
    'data-testid': `${testId}-value`,
  };
  return (
    <Group align="flex-start" gap="sm" grow>
      <NativeSelect
        label={t('register.precision')}
        value={value.precision}
        onChange={(event) => {
          const precision = event.currentTarget.value;
          // The shape changes with the precision: start the value again.
          if (isPrecision(precision)) onChange({ precision, value: '' });
        }}
        data={PRECISIONS.map((p) => ({ value: p, label: t(`register.precisions.${p}`) }))}
        data-testid={`${testId}-precision`}
      />
      {value.precision === 'exact' && <TextInput type="date" {...common} />}
      {value.precision === 'month' && <TextInput type="month" placeholder="YYYY-MM" {...common} />}
      {(value.precision === 'year' || value.precision === 'estimated') && (
        <TextInput inputMode="numeric" maxLength={4} placeholder="YYYY" {...common} />
      )}
    </Group>
  );
}
