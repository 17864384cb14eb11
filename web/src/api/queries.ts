import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { adminApi } from './admin';
import { type Country, isLocale } from './types';

/** Reference data changes rarely; keep it for the session. */
const REFERENCE_STALE_MS = 10 * 60_000;

export function useCountries(enabled = true) {
  return useQuery({
    queryKey: ['countries'],
    queryFn: adminApi.countries,
    select: (page) => page.data,
    staleTime: REFERENCE_STALE_MS,
    enabled,
    retry: false,
  });
}

export function useAgencies(enabled = true) {
  return useQuery({
    queryKey: ['agencies'],
    queryFn: adminApi.agencies,
    select: (page) => page.data,
    staleTime: REFERENCE_STALE_MS,
    enabled,
  });
}

/** A country's name in the current language, falling back to English and then to its code. */
export function useCountryName(): (code: string, countries?: readonly Country[]) => string {
  const { i18n } = useTranslation();
  const language = isLocale(i18n.language) ? i18n.language : 'en';
  return (code, countries) => {
    const country = countries?.find((c) => c.code === code);
    return country?.names[language] || country?.names.en || code;
  };
}
