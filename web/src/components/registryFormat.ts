import { useTranslation } from 'react-i18next';
import type { AgeRange, BirthDate, Sentence } from '../api/registryTypes';

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcDate(iso: string): Date | null {
  const match = ISO_DAY.exec(iso);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
}

/** Registry values in the user's language: dates, ages, dates of birth with their precision, sentences. */
export function useRegistryFormat() {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  const dayFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
  const monthFormat = new Intl.DateTimeFormat(language, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const yearFormat = new Intl.DateTimeFormat(language, { year: 'numeric', timeZone: 'UTC' });
  const numberFormat = new Intl.NumberFormat(language);

  const withFormat = (format: Intl.DateTimeFormat) => (iso: string | null | undefined): string => {
    if (!iso) return t('common.none');
    const date = utcDate(iso);
    return date ? format.format(date) : iso;
  };
  const date = withFormat(dayFormat);
  const month = withFormat(monthFormat);
  const year = withFormat(yearFormat);

  /** "7" when the age is certain, "6–8" when the date of birth is not. */
  const age = (range: AgeRange): string =>
    range.min === range.max ? numberFormat.format(range.min) : `${numberFormat.format(range.min)}–${numberFormat.format(range.max)}`;

  /** As precise as it was recorded: a day, a month, a year, or an estimate. */
  const birthDate = (birth: BirthDate): string => {
    switch (birth.precision) {
      case 'exact':
        return date(birth.earliest);
      case 'month':
        return month(birth.earliest);
      case 'year':
        return year(birth.earliest);
      case 'estimated': {
        const wholeYears = birth.earliest.endsWith('-01-01') && birth.latest.endsWith('-12-31');
        if (wholeYears) {
          const [from, to] = [year(birth.earliest), year(birth.latest)];
          return from === to ? t('birth.about', { date: from }) : t('birth.aboutRange', { from, to });
        }
        if (birth.earliest === birth.latest) return t('birth.about', { date: date(birth.earliest) });
        return t('birth.between', { from: date(birth.earliest), to: date(birth.latest) });
      }
    }
  };

  const unit = (value: number, name: 'year' | 'month' | 'day') =>
    new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: 'long' }).format(value);

  const sentence = (s: Sentence): string => {
    let text: string;
    if (s.kind === 'term') {
      const parts = [
        s.years ? unit(s.years, 'year') : null,
        s.months ? unit(s.months, 'month') : null,
        s.days ? unit(s.days, 'day') : null,
      ].filter((p): p is string => p !== null);
      text = t('sentence.term', { term: new Intl.ListFormat(language, { type: 'unit', style: 'long' }).format(parts) });
    } else {
      text = t(`sentence.${s.kind}`);
    }
    return s.commutedTo ? t('sentence.commuted', { from: text, to: sentence(s.commutedTo) }) : text;
  };

  return { date, age, birthDate, sentence, number: (n: number) => numberFormat.format(n) };
}
