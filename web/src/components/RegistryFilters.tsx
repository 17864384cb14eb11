import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCountries, useCountryName } from '../api/queries';
import { useFacilityOptions } from '../api/registry';
import { LEGAL_STATUSES, PERSON_KINDS, type PersonSearch, SEXES } from '../api/registryTypes';

export const NO_SEARCH: PersonSearch = { q: '', nationality: '', facilityId: '', kind: '', sex: '', ageMin: '', ageMax: '', legalStatus: '' };
const FIELDS = Object.keys(NO_SEARCH) as (keyof PersonSearch)[];
/** Results follow the typing, a moment after the last key. */
const TYPING_PAUSE_MS = 300;

/** The filters as a query string (for the address bar), and back. */
export function searchToParams(search: PersonSearch): URLSearchParams {
  const params = new URLSearchParams();
  for (const field of FIELDS) if (search[field].trim()) params.set(field, search[field].trim());
  return params;
}
export function searchFromParams(params: URLSearchParams): PersonSearch {
  return Object.fromEntries(FIELDS.map((field) => [field, params.get(field) ?? ''])) as unknown as PersonSearch;
}

const sameSearch = (a: PersonSearch, b: PersonSearch) => FIELDS.every((field) => a[field] === b[field]);
const AGE = /^\d{0,3}$/;

interface RegistryFiltersProps {
  readonly value: PersonSearch;
  readonly onChange: (search: PersonSearch) => void;
  /** The facility filter, for users who see where people are held. */
  readonly withFacility: boolean;
  /** The legal status filter, for users who see legal data. */
  readonly withLegalStatus: boolean;
}

/** One search box for a name in any script, and the filters beside it. */
export function RegistryFilters({ value, onChange, withFacility, withLegalStatus }: RegistryFiltersProps) {
  const { t, i18n } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  const facilities = useFacilityOptions(withFacility);
  const [draft, setDraft] = useState<PersonSearch>(value);
  const [settled] = useDebouncedValue(draft, TYPING_PAUSE_MS);

  useEffect(() => {
    if (!sameSearch(settled, value)) onChange(settled);
    // Only a newly settled draft is applied: `value` changing on submit must not re-apply an old one.
  }, [settled]);

  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? [])
      .map((c) => ({ value: c.code, label: countryName(c.code, countries.data) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);

  const set = (field: keyof PersonSearch) => (event: { currentTarget: { value: string } }) => {
    const next = event.currentTarget.value;
    if ((field === 'ageMin' || field === 'ageMax') && !AGE.test(next)) return;
    setDraft((d) => ({ ...d, [field]: next }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft); // Enter searches at once
  };
  const clear = () => {
    setDraft(NO_SEARCH);
    onChange(NO_SEARCH);
  };
  const any = { value: '', label: t('registry.any') };

  return (
    <form onSubmit={submit} role="search" data-testid="registry-filters">
      <TextInput
        type="search"
        label={t('registry.search')}
        description={t('registry.searchHint')}
        placeholder={t('registry.searchPlaceholder')}
        value={draft.q}
        onChange={set('q')}
        // dir on the input itself: a name is written in its own direction (Mantine puts `dir` on the wrapper).
        attributes={{ input: { dir: 'auto' } }}
        spellCheck={false}
        autoComplete="off"
        maxLength={200}
        mb="sm"
        data-testid="registry-search"
      />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 + Number(withFacility) + Number(withLegalStatus) }} spacing="sm">
        <NativeSelect
          label={t('registry.nationality')}
          value={draft.nationality}
          onChange={set('nationality')}
          data={[any, ...countryOptions]}
          data-testid="registry-filter-nationality"
        />
        {withFacility && (
          <NativeSelect
            label={t('registry.facility')}
            value={draft.facilityId}
            onChange={set('facilityId')}
            data={[any, ...(facilities.data ?? []).map((f) => ({ value: f.id, label: f.name }))]}
            data-testid="registry-filter-facility"
          />
        )}
        <NativeSelect
          label={t('registry.kind')}
          value={draft.kind}
          onChange={set('kind')}
          data={[any, ...PERSON_KINDS.map((k) => ({ value: k, label: t(`registry.kinds.${k}`) }))]}
          data-testid="registry-filter-kind"
        />
        <NativeSelect
          label={t('registry.sex')}
          value={draft.sex}
          onChange={set('sex')}
          data={[any, ...SEXES.map((s) => ({ value: s, label: t(`registry.sexes.${s}`) }))]}
          data-testid="registry-filter-sex"
        />
        <TextInput
          label={t('registry.ageMin')}
          value={draft.ageMin}
          onChange={set('ageMin')}
          inputMode="numeric"
          data-testid="registry-filter-age-min"
        />
        <TextInput
          label={t('registry.ageMax')}
          value={draft.ageMax}
          onChange={set('ageMax')}
          inputMode="numeric"
          data-testid="registry-filter-age-max"
        />
        {withLegalStatus && (
          <NativeSelect
            label={t('registry.legalStatus')}
            value={draft.legalStatus}
            onChange={set('legalStatus')}
            data={[any, ...LEGAL_STATUSES.map((s) => ({ value: s, label: t(`registry.legalStatuses.${s}`) }))]}
            data-testid="registry-filter-legal-status"
          />
        )}
      </SimpleGrid>
      <Group mt="sm" gap="sm">
        <Button type="submit" data-testid="registry-search-submit">
          {t('registry.searchButton')}
        </Button>
        <Button type="button" variant="default" onClick={clear} data-testid="registry-clear">
          {t('registry.clear')}
        </Button>
      </Group>
    </form>
  );
}
