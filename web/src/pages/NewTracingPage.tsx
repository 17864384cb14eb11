import { Anchor, Button, CloseButton, Group, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../api/client';
import { useCountries, useCountryName } from '../api/queries';
import { SEXES, type Sex } from '../api/registryTypes';
import { type NewTracingRequest, TRACING_KEY, tracingApi, tracingKey } from '../api/tracing';
import type { User } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageTitle } from '../components/PageTitle';
import { EMPTY_SOUGHT_BIRTH, SoughtBirthFields, type SoughtBirthDraft, soughtBirthInput } from '../components/SoughtBirthFields';
import { TRACING_LIST_PATH, tracingPath } from '../navigation';
import { navigate, onLinkClick } from '../router/router';

/** The server takes at most this many names of the sought person. */
const MAX_NAMES = 10;

type Required = 'country' | 'name' | 'enquirerName' | 'relationship' | 'birth';

interface NameDraft {
  readonly key: number;
  readonly value: string;
}

const trimmed = (value: string): string | undefined => value.trim() || undefined;

/** A family looking for someone: who is sought (names in any script, birth, parents, last place) and who asks. */
export function NewTracingPage({ user }: { readonly user: User }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const coordinator = user.role === 'coordinator';
  const countries = useCountries(coordinator);
  const countryName = useCountryName();
  const [countryCode, setCountryCode] = useState('');
  const [names, setNames] = useState<readonly NameDraft[]>([{ key: 0, value: '' }]);
  const [nextKey, setNextKey] = useState(1);
  const [sex, setSex] = useState<Sex>('unknown');
  const [birth, setBirth] = useState<SoughtBirthDraft>(EMPTY_SOUGHT_BIRTH);
  const [parents, setParents] = useState({ motherName: '', fatherName: '', lastKnownPlace: '' });
  const [enquirer, setEnquirer] = useState({ name: '', relationship: '', contact: '' });
  const [notes, setNotes] = useState('');
  const [missing, setMissing] = useState<ReadonlySet<Required>>(new Set());

  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? []).map((c) => ({ value: c.code, label: countryName(c.code, countries.data) })).sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);

  const file = useMutation({
    mutationFn: (input: NewTracingRequest) => tracingApi.file(input),
    onSuccess: (created) => {
      client.setQueryData(tracingKey(created.id), created);
      void client.invalidateQueries({ queryKey: TRACING_KEY });
      navigate(tracingPath(created.id));
    },
  });
  const serverError = (field: string) => fieldError(file.error, field);
  /** Still empty since "File" was pressed: a required message; else the server's words. */
  const stillEmpty: Record<Required, boolean> = {
    country: !countryCode,
    name: names.every((n) => !n.value.trim()),
    enquirerName: !enquirer.name.trim(),
    relationship: !enquirer.relationship.trim(),
    birth: soughtBirthInput(birth) === 'invalid',
  };
  const required = (key: Required, field: string) => (missing.has(key) && stillEmpty[key] ? t('common.required') : serverError(field));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const given = names.map((n) => n.value.trim()).filter(Boolean);
    const birthInput = soughtBirthInput(birth);
    const gaps = new Set<Required>();
    if (coordinator && !countryCode) gaps.add('country');
    if (given.length === 0) gaps.add('name');
    if (!enquirer.name.trim()) gaps.add('enquirerName');
    if (!enquirer.relationship.trim()) gaps.add('relationship');
    if (birthInput === 'invalid') gaps.add('birth');
    setMissing(gaps);
    if (gaps.size > 0 || birthInput === 'invalid') return;
    file.mutate({
      ...(coordinator ? { countryCode } : {}),
      sought: {
        names: given,
        sex,
        ...(birthInput ? { birthDate: birthInput } : {}),
        motherName: trimmed(parents.motherName),
        fatherName: trimmed(parents.fatherName),
        lastKnownPlace: trimmed(parents.lastKnownPlace),
      },
      enquirer: { name: enquirer.name.trim(), relationship: enquirer.relationship.trim(), contact: trimmed(enquirer.contact) },
      notes: trimmed(notes),
    });
  };

  const setName = (key: number, value: string) => setNames((list) => list.map((n) => (n.key === key ? { ...n, value } : n)));
  const addName = () => {
    setNames((list) => [...list, { key: nextKey, value: '' }]);
    setNextKey((k) => k + 1);
  };
  const text = (label: string, value: string, onChange: (v: string) => void, testId: string, extra: { error?: string; required?: boolean; description?: string; maxLength?: number } = {}) => (
    <TextInput
      label={label}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      attributes={{ input: { dir: 'auto' } }}
      autoComplete="off"
      spellCheck={false}
      maxLength={extra.maxLength ?? 200}
      error={extra.error}
      required={extra.required}
      description={extra.description}
      data-testid={testId}
    />
  );
  const birthMissing = missing.has('birth') && stillEmpty.birth;
  const birthError = birthMissing && birth.value.trim() === '' ? t('common.required') : birthMissing && birth.precision !== 'age' ? t('fieldErrors.invalid_format') : serverError('sought.birthDate');
  const onDateError = birthMissing && birth.precision === 'age' && !birth.onDate ? t('common.required') : serverError('sought.birthDate.onDate');

  return (
    <form onSubmit={submit} noValidate data-testid="tracing-new-page">
      <Stack gap="md">
        <Anchor href={TRACING_LIST_PATH} onClick={onLinkClick(TRACING_LIST_PATH)} size="sm">
          {t('tracing.back')}
        </Anchor>
        <PageTitle>{t('tracing.new')}</PageTitle>
        <Text>{t('tracing.form.intro')}</Text>

        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('tracing.sought')}
          </Title>
          <Stack gap="sm">
            {coordinator && (
              <NativeSelect
                label={t('identification.country')}
                description={t('tracing.form.countryHint')}
                required
                value={countryCode}
                onChange={(event) => setCountryCode(event.currentTarget.value)}
                data={[{ value: '', label: t('identification.chooseCountry') }, ...countryOptions]}
                error={required('country', 'countryCode')}
                data-testid="tracing-country"
              />
            )}
            {names.map((name, index) => (
              <Group key={name.key} align="flex-end" gap="xs" wrap="nowrap">
                <div className="hw-grow">
                  {text(index === 0 ? t('tracing.form.name') : t('tracing.form.otherName', { n: index + 1 }), name.value, (v) => setName(name.key, v), `tracing-name-${index}`, {
                    required: index === 0,
                    description: index === 0 ? t('tracing.form.nameHint') : undefined,
                    error: index === 0 ? (missing.has('name') && stillEmpty.name ? t('common.required') : (serverError('sought.names') ?? serverError('sought.names.0'))) : serverError(`sought.names.${index}`),
                  })}
                </div>
                {index > 0 && (
                  <CloseButton mb={6} onClick={() => setNames((list) => list.filter((n) => n.key !== name.key))} aria-label={t('tracing.form.removeName')} data-testid={`tracing-name-${index}-remove`} />
                )}
              </Group>
            ))}
            {names.length < MAX_NAMES && (
              <Group>
                <Button variant="subtle" size="compact-sm" onClick={addName} data-testid="tracing-add-name">
                  {t('tracing.form.addName')}
                </Button>
              </Group>
            )}
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <NativeSelect
                label={t('registry.sex')}
                value={sex}
                onChange={(event) => setSex(event.currentTarget.value as Sex)}
                data={SEXES.map((s) => ({ value: s, label: t(`registry.sexes.${s}`) }))}
                error={serverError('sought.sex')}
                data-testid="tracing-sex"
              />
              {text(t('tracing.lastKnownPlace'), parents.lastKnownPlace, (v) => setParents((p) => ({ ...p, lastKnownPlace: v })), 'tracing-last-place', { error: serverError('sought.lastKnownPlace') })}
            </SimpleGrid>
            <SoughtBirthFields value={birth} onChange={setBirth} error={birthError} onDateError={onDateError} />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              {text(t('tracing.fatherName'), parents.fatherName, (v) => setParents((p) => ({ ...p, fatherName: v })), 'tracing-father', { error: serverError('sought.fatherName') })}
              {text(t('tracing.motherName'), parents.motherName, (v) => setParents((p) => ({ ...p, motherName: v })), 'tracing-mother', { error: serverError('sought.motherName') })}
            </SimpleGrid>
          </Stack>
        </Paper>

        <Paper withBorder p="md">
          <Title order={2} size="h4" mb="sm">
            {t('tracing.enquirer')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            {text(t('tracing.form.enquirerName'), enquirer.name, (v) => setEnquirer((e) => ({ ...e, name: v })), 'tracing-enquirer-name', { required: true, error: required('enquirerName', 'enquirer.name') })}
            {text(t('tracing.form.relationship'), enquirer.relationship, (v) => setEnquirer((e) => ({ ...e, relationship: v })), 'tracing-enquirer-relationship', {
              required: true,
              maxLength: 100,
              description: t('tracing.form.relationshipHint'),
              error: required('relationship', 'enquirer.relationship'),
            })}
            {text(t('tracing.form.contact'), enquirer.contact, (v) => setEnquirer((e) => ({ ...e, contact: v })), 'tracing-enquirer-contact', { maxLength: 500, error: serverError('enquirer.contact') })}
          </SimpleGrid>
          <Textarea
            mt="sm"
            label={t('tracing.notes')}
            value={notes}
            onChange={(event) => setNotes(event.currentTarget.value)}
            maxLength={4000}
            autosize
            minRows={2}
            attributes={{ input: { dir: 'auto' } }}
            error={serverError('notes')}
            data-testid="tracing-notes"
          />
        </Paper>

        {file.error && <ErrorAlert error={file.error} testId="tracing-file-error" />}
        <Group justify="flex-end">
          <Button type="submit" loading={file.isPending} data-testid="tracing-file">
            {t('tracing.form.file')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
