import { Group, NativeSelect, NumberInput, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SoughtBirthDate } from '../api/tracing';

/** How much the family knows of the date of birth: nothing, a day, a month, a year, about a year, or an age on a day. */
export const SOUGHT_PRECISIONS = ['none', 'exact', 'month', 'year', 'aboutYear', 'age'] as const;
export type SoughtPrecision = (typeof SOUGHT_PRECISIONS)[number];

export interface SoughtBirthDraft {
  readonly precision: SoughtPrecision;
  /** YYYY-MM-DD, YYYY-MM or YYYY as the precision asks; for an age, the age in years. */
  readonly value: string;
  /** For an age: the day it was true (YYYY-MM-DD). */
  readonly onDate: string;
}

export const EMPTY_SOUGHT_BIRTH: SoughtBirthDraft = { precision: 'none', value: '', onDate: '' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;
const YEAR = /^\d{4}$/;

/** What to send: undefined when nothing is known; 'invalid' when a value is missing or malformed (the server checks the calendar). */
export function soughtBirthInput(draft: SoughtBirthDraft): SoughtBirthDate | undefined | 'invalid' {
  const value = draft.value.trim();
  switch (draft.precision) {
    case 'none':
      return undefined;
    case 'exact':
      return DAY.test(value) ? { precision: 'exact', date: value } : 'invalid';
    case 'month':
      return MONTH.test(value) ? { precision: 'month', month: value } : 'invalid';
    case 'year':
      return YEAR.test(value) ? { precision: 'year', year: Number(value) } : 'invalid';
    case 'aboutYear':
      return YEAR.test(value) ? { precision: 'estimated', aboutYear: Number(value) } : 'invalid';
    case 'age':
      return /^\d{1,3}$/.test(value) && DAY.test(draft.onDate) ? { precision: 'estimated', age: Number(value), onDate: draft.onDate } : 'invalid';
  }
}

interface SoughtBirthFieldsProps {
  readonly value: SoughtBirthDraft;
  readonly onChange: (value: SoughtBirthDraft) => void;
  /** The value's error (required, or the server's words). */
  readonly error?: string;
  readonly onDateError?: string;
}

/** The sought person's date of birth as precise as the family knows it, "about 10 years old on 1 June 2025" included. */
export function SoughtBirthFields({ value, onChange, error, onDateError }: SoughtBirthFieldsProps) {
  const { t } = useTranslation();
  const isPrecision = (v: string): v is SoughtPrecision => (SOUGHT_PRECISIONS as readonly string[]).includes(v);
  const common = {
    label: t(`tracing.form.birthValue.${value.precision === 'none' ? 'year' : value.precision}`),
    value: value.value,
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => onChange({ ...value, value: event.currentTarget.value }),
    error,
    required: true,
    dir: 'ltr' as const,
    'data-testid': 'tracing-birth-value',
  };
  return (
    <Group align="flex-start" gap="sm" grow>
      <NativeSelect
        label={t('tracing.form.birthPrecision')}
        value={value.precision}
        onChange={(event) => {
          const precision = event.currentTarget.value;
          // The shape changes with the precision: start the value again.
          if (isPrecision(precision)) onChange({ precision, value: '', onDate: '' });
        }}
        data={SOUGHT_PRECISIONS.map((p) => ({ value: p, label: t(`tracing.form.precisions.${p}`) }))}
        data-testid="tracing-birth-precision"
      />
      {value.precision === 'exact' && <TextInput type="date" {...common} />}
      {value.precision === 'month' && <TextInput type="month" placeholder="YYYY-MM" {...common} />}
      {(value.precision === 'year' || value.precision === 'aboutYear') && <TextInput inputMode="numeric" maxLength={4} placeholder="YYYY" {...common} />}
      {value.precision === 'age' && (
        <>
          <NumberInput
            label={t('tracing.form.birthValue.age')}
            value={value.value === '' ? '' : Number(value.value)}
            onChange={(v) => onChange({ ...value, value: v === '' ? '' : String(v) })}
            min={0}
            max={120}
            allowDecimal={false}
            allowNegative={false}
            error={error}
            required
            data-testid="tracing-birth-age"
          />
          <TextInput
            type="date"
            label={t('tracing.form.onDate')}
            value={value.onDate}
            onChange={(event) => onChange({ ...value, onDate: event.currentTarget.value })}
            error={onDateError}
            required
            dir="ltr"
            data-testid="tracing-birth-on-date"
          />
        </>
      )}
    </Group>
  );
}
