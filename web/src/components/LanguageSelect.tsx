import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale, isLocale } from '../api/types';
import { LANGUAGE_NAMES } from '../i18n';

interface LanguageSelectProps {
  readonly onChange: (language: Locale) => void;
  /** Show the label above the select; otherwise it is only announced to screen readers. */
  readonly withLabel?: boolean;
  readonly disabled?: boolean;
}

const OPTIONS = LOCALES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }));

/** The native <select> that switches the language (data-testid="language-select"). */
export function LanguageSelect({ onChange, withLabel = false, disabled = false }: LanguageSelectProps) {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      data-testid="language-select"
      data={OPTIONS}
      value={isLocale(i18n.language) ? i18n.language : 'en'}
      onChange={(event) => {
        const value = event.currentTarget.value;
        if (isLocale(value)) onChange(value);
      }}
      disabled={disabled}
      label={withLabel ? t('language.label') : undefined}
      aria-label={withLabel ? undefined : t('language.label')}
      size="sm"
    />
  );
}
