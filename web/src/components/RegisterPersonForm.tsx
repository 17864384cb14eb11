import { Alert, Button, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, detailText, fieldOf } from '../api/client';
import { useCountries, useCountryName } from '../api/queries';
import { PERSONS_KEY, personKey, registryApi, useFacilityOptions } from '../api/registry';
import { type NewPerson, SEXES, type Sex } from '../api/registryTypes';
import type { User } from '../api/types';
import { personPath } from '../navigation';
import { navigate } from '../router/router';
import { BirthDateFields, type BirthDraft, EMPTY_BIRTH, birthDateInput } from './BirthDateFields';
import { CategoryNote } from './CategoryNote';
import { ErrorAlert } from './ErrorAlert';
import { LikelyDuplicates } from './LikelyDuplicates';
import { type NameDraft, NameFields, type NamePart, emptyName, hasName, nameInput } from './NameFields';

const MAX_NAMES = 20;
/** Server paths (without "body.") that a field of this form shows next to itself. */
const SHOWN_BY_FIELD = /^(sex|birthDate|nationalities|custody)(\.|$)|^names\.\d+\.(givenName|fatherName|familyName|fullName)$/;
const isSex = (value: string): value is Sex => (SEXES as readonly string[]).includes(value);

/** Field problems are shown by their fields; the alert says so and lists only what no field shows. */
function SubmitError({ error }: { readonly error: Error }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || error.code !== 'invalid_input' || error.details.length === 0) {
    return <ErrorAlert error={error} testId="register-error" />;
  }
  const elsewhere = error.details.filter((d) => !SHOWN_BY_FIELD.test(fieldOf(d)));
  return (
    <Alert color="red" role="alert" data-testid="register-error">
      {t('register.invalid')}
      {elsewhere.length > 0 && (
        <ul className="hw-error-details">
          {elsewhere.map((d) => (
            <li key={`${d.path}:${d.message}`}>
              <bdi>{fieldOf(d)}</bdi>: {detailText(d)}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

/** Registers a person: sex, date of birth with its precision, names, claimed nationality, custody. */
export function RegisterPersonForm({ user }: { readonly user: User }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const countries = useCountries();
  const countryName = useCountryName();
  const facilities = useFacilityOptions(user.capabilities.includes('facilities'));
  const custodyRequired = user.role === 'custody';

  const [sex, setSex] = useState('');
  const [birth, setBirth] = useState<BirthDraft>(EMPTY_BIRTH);
  const [names, setNames] = useState<readonly NameDraft[]>([emptyName(0, 'primary')]);
  const [nextKey, setNextKey] = useState(1);
  const [nationality, setNationality] = useState('');
  const [facilityId, setFacilityId] = useState('');
  const [admittedOn, setAdmittedOn] = useState('');
  const [missing, setMissing] = useState<ReadonlySet<string>>(new Set());
  const [duplicates, setDuplicates] = useState(0);
  const [acknowledged, setAcknowledged] = useState(false);

  const register = useMutation({
    mutationFn: (person: NewPerson) => registryApi.register(person),
    onSuccess: (person) => {
      client.setQueryData(personKey(person.id), person);
      void client.invalidateQueries({ queryKey: PERSONS_KEY });
      navigate(personPath(person.id));
    },
  });

  /** The server's message for a field (its path without "body."), or for anything below it. */
  const serverError = (...paths: string[]): string | undefined => {
    const error = register.error;
    if (!(error instanceof ApiError)) return undefined;
    const detail = error.details.find((d) => paths.some((p) => fieldOf(d) === p || fieldOf(d).startsWith(`${p}.`)));
    return detail ? detailText(detail) : undefined;
  };
  const clientError = (key: string, message: string) => (missing.has(key) ? message : undefined);

  // A custody officer registers people in their own agency's facilities only.
  const facilityOptions = (facilities.data ?? []).filter((f) => !custodyRequired || f.agency?.id === user.agency?.id);
  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? [])
      .map((c) => ({ value: c.code, label: countryName(c.code, countries.data) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const absent = new Set<string>();
    if (!isSex(sex)) absent.add('sex');
    const birthDate = birthDateInput(birth);
    if (!birthDate) absent.add('birth');
    names.forEach((name, i) => {
      if (!hasName(name)) absent.add(`name.${i}`);
    });
    if ((custodyRequired || admittedOn) && !facilityId) absent.add('facility');
    if (facilityId && !admittedOn) absent.add('admittedOn');
    if (duplicates > 0 && !acknowledged) absent.add('duplicates');
    setMissing(absent);
    if (absent.size > 0 || !isSex(sex) || !birthDate) return;
    register.mutate({
      sex,
      birthDate,
      names: names.map(nameInput),
      nationalities: nationality ? [{ countryCode: nationality, status: 'claimed' }] : [],
      ...(facilityId ? { custody: { facilityId, admittedOn } } : {}),
    });
  };

  const nameError = (i: number) => (part: NamePart) =>
    (part === 'givenName' ? clientError(`name.${i}`, t('register.nameRequired')) : undefined) ??
    serverError(`names.${i}.${part}`, ...(part === 'givenName' ? [`names.${i}.fullName`] : []));
  const updateName = (i: number) => (value: NameDraft) => {
    setNames((list) => list.map((n, j) => (j === i ? value : n)));
    setMissing((m) => new Set([...m].filter((k) => k !== `name.${i}`)));
  };
  const addName = () => {
    setNames((list) => [...list, emptyName(nextKey, 'alias')]);
    setNextKey((k) => k + 1);
  };
  const removeName = (i: number) => () => {
    setNames((list) => list.filter((_, j) => j !== i));
    setMissing(new Set());
  };
  const clear = (key: string) => setMissing((m) => new Set([...m].filter((k) => k !== key)));

  return (
    <form onSubmit={submit} noValidate data-testid="register-form">
      <Stack gap="md">
        {register.error && <SubmitError error={register.error} />}
        <CategoryNote categories={['identity']} />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <NativeSelect
            label={t('registry.sex')}
            value={sex}
            onChange={(event) => {
              setSex(event.currentTarget.value);
              clear('sex');
            }}
            data={[{ value: '', label: t('register.chooseSex'), disabled: true }, ...SEXES.map((s) => ({ value: s, label: t(`registry.sexes.${s}`) }))]}
            error={clientError('sex', t('common.required')) ?? serverError('sex')}
            required
            data-testid="register-sex"
          />
          <BirthDateFields
            value={birth}
            onChange={(value) => {
              setBirth(value);
              clear('birth');
            }}
            error={clientError('birth', t(`register.birthFormat.${birth.precision}`)) ?? serverError('birthDate')}
          />
        </SimpleGrid>

        <div>
          <Title order={2} size="h4">
            {t('register.names')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('register.namesHint')}
          </Text>
          <Stack gap="sm">
            {names.map((name, i) => (
              <NameFields
                key={name.key}
                index={i}
                value={name}
                onChange={updateName(i)}
                onRemove={i > 0 ? removeName(i) : undefined}
                errorFor={nameError(i)}
              />
            ))}
          </Stack>
          {names.length < MAX_NAMES && (
            <Button variant="light" mt="sm" onClick={addName} data-testid="register-add-name">
              {t('register.addName')}
            </Button>
          )}
        </div>

        <LikelyDuplicates
          names={names.filter(hasName).map(nameInput)}
          sex={isSex(sex) ? sex : null}
          birthDate={birthDateInput(birth)}
          acknowledged={acknowledged}
          onAcknowledge={(value) => {
            setAcknowledged(value);
            clear('duplicates');
          }}
          onFound={setDuplicates}
        />
        {missing.has('duplicates') && (
          <Text c="red" size="sm" role="alert" data-testid="register-duplicates-required">
            {t('register.duplicates.required')}
          </Text>
        )}

        <CategoryNote categories={['custody']} />
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
          <NativeSelect
            label={t('register.nationality')}
            value={nationality}
            onChange={(event) => setNationality(event.currentTarget.value)}
            data={[{ value: '', label: t('register.noNationality') }, ...countryOptions]}
            error={serverError('nationalities')}
            data-testid="register-nationality"
          />
          <NativeSelect
            label={t('registry.facility')}
            description={custodyRequired ? t('register.custodyRequired') : undefined}
            value={facilityId}
            onChange={(event) => {
              setFacilityId(event.currentTarget.value);
              clear('facility');
            }}
            data={[
              { value: '', label: custodyRequired ? t('register.chooseFacility') : t('register.noFacility') },
              ...facilityOptions.map((f) => ({ value: f.id, label: f.name })),
            ]}
            error={clientError('facility', t('common.required')) ?? serverError('custody.facilityId', 'custody')}
            required={custodyRequired}
            data-testid="register-facility"
          />
          <TextInput
            type="date"
            label={t('person.admittedOn')}
            value={admittedOn}
            onChange={(event) => {
              setAdmittedOn(event.currentTarget.value);
              clear('admittedOn');
            }}
            error={clientError('admittedOn', t('common.required')) ?? serverError('custody.admittedOn')}
            required={custodyRequired || facilityId !== ''}
            dir="ltr"
            data-testid="register-admitted-on"
          />
        </SimpleGrid>

        <Group>
          <Button type="submit" loading={register.isPending} data-testid="register-submit">
            {t('register.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
