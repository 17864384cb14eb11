import { FileInput, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DOCUMENT_KINDS, MAX_PHOTO_BYTES, type NewDocument, PHOTO_TYPES, personEditApi } from '../api/personEdit';
import { useCountries, useCountryName } from '../api/queries';
import { EditFeedback, type EditFormProps, EditFormFrame, useMissing, usePersonEdit } from './EditForm';

/** Every country by its name in the user's language, for a select. */
function useCountryOptions() {
  const { i18n } = useTranslation();
  const countries = useCountries();
  const countryName = useCountryName();
  return useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return (countries.data ?? [])
      .map((c) => ({ value: c.code, label: countryName(c.code, countries.data) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language]);
}

/** A nationality the person claims; only the home country's answer makes it verified. */
export function AddNationalityForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const options = useCountryOptions();
  const recorded = new Set((person.nationalities ?? []).map((n) => n.countryCode));
  const [country, setCountry] = useState('');
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, personEditApi.claimNationality, onDone);
  const submit = () => {
    if (!country) {
      setMissing(new Set(['country']));
      return;
    }
    edit.mutation.mutate(country);
  };
  return (
    <EditFormFrame testId="edit-nationality-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={/^countryCode$/} />
        <Text size="sm" c="dimmed">
          {t('personEdit.nationalityHint')}
        </Text>
        <NativeSelect
          label={t('register.nationality')}
          value={country}
          onChange={(event) => {
            setCountry(event.currentTarget.value);
            clear('country');
          }}
          data={[{ value: '', label: t('personEdit.chooseCountry'), disabled: true }, ...options.filter((o) => !recorded.has(o.value))]}
          error={(has('country') ? t('personEdit.countryRequired') : undefined) ?? edit.serverError('countryCode')}
          required
          data-testid="edit-nationality-country"
        />
      </Stack>
    </EditFormFrame>
  );
}

const DOCUMENT_FIELDS = /^(kind|countryCode|number|issuedOn|expiresOn)$/;
const isDocumentKind = (v: string): v is NewDocument['kind'] => (DOCUMENT_KINDS as readonly string[]).includes(v);

/** An identity document; the server adds the holder's name as travel documents print it (ICAO 9303). */
export function AddDocumentForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const options = useCountryOptions();
  const [kind, setKind] = useState<NewDocument['kind']>('passport');
  const [draft, setDraft] = useState({ countryCode: '', number: '', issuedOn: '', expiresOn: '' });
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, personEditApi.addDocument, onDone);
  const set = (key: keyof typeof draft) => (value: string) => {
    setDraft((d) => ({ ...d, [key]: value }));
    clear(key);
  };
  const submit = () => {
    const absent = new Set<string>();
    if (!draft.number.trim() && !draft.countryCode) absent.add('number');
    if (draft.issuedOn && draft.expiresOn && draft.expiresOn < draft.issuedOn) absent.add('expiresOn');
    setMissing(absent);
    if (absent.size > 0) return;
    const filled = Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
    edit.mutation.mutate({ kind, ...filled });
  };
  return (
    <EditFormFrame testId="edit-document-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={DOCUMENT_FIELDS} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NativeSelect
            label={t('person.documentKind')}
            value={kind}
            onChange={(event) => {
              const value = event.currentTarget.value;
              if (isDocumentKind(value)) setKind(value);
            }}
            data={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`personEdit.documentKinds.${k}`) }))}
            error={edit.serverError('kind')}
            data-testid="edit-document-kind"
          />
          <NativeSelect
            label={t('personEdit.issuingCountry')}
            value={draft.countryCode}
            onChange={(event) => set('countryCode')(event.currentTarget.value)}
            data={[{ value: '', label: t('register.noNationality') }, ...options]}
            error={edit.serverError('countryCode')}
            data-testid="edit-document-country"
          />
        </SimpleGrid>
        <TextInput
          label={t('person.documentNumber')}
          description={t('personEdit.documentNumberHint')}
          value={draft.number}
          onChange={(event) => set('number')(event.currentTarget.value)}
          error={(has('number') ? t('personEdit.documentNumberRequired') : undefined) ?? edit.serverError('number')}
          maxLength={50}
          dir="ltr"
          className="hw-mono"
          data-testid="edit-document-number"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput type="date" label={t('personEdit.issuedOn')} value={draft.issuedOn} onChange={(event) => set('issuedOn')(event.currentTarget.value)} error={edit.serverError('issuedOn')} dir="ltr" data-testid="edit-document-issued-on" />
          <TextInput
            type="date"
            label={t('person.expiresOn')}
            value={draft.expiresOn}
            onChange={(event) => set('expiresOn')(event.currentTarget.value)}
            error={(has('expiresOn') ? t('personEdit.expiresBeforeIssued') : undefined) ?? edit.serverError('expiresOn')}
            dir="ltr"
            data-testid="edit-document-expires-on"
          />
        </SimpleGrid>
      </Stack>
    </EditFormFrame>
  );
}

/** A photo: JPEG, PNG or WebP up to 5 MB; the server checks the content itself, not only the name. */
export function UploadPhotoForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const { has, setMissing } = useMissing();
  const edit = usePersonEdit(person, personEditApi.addPhoto, onDone);
  const problem = has('file') ? t('personEdit.photoRequired') : has('type') ? t('personEdit.photoType') : has('size') ? t('personEdit.photoTooLarge') : undefined;
  const submit = () => {
    const absent = new Set<string>();
    if (!file) absent.add('file');
    else if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) absent.add('type');
    else if (file.size > MAX_PHOTO_BYTES) absent.add('size');
    setMissing(absent);
    if (file && absent.size === 0) edit.mutation.mutate(file);
  };
  return (
    <EditFormFrame testId="edit-photo-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending} submitLabel={t('personEdit.upload')}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={/^$/} />
        <FileInput
          label={t('personEdit.photo')}
          description={t('personEdit.photoHint')}
          placeholder={t('personEdit.choosePhoto')}
          accept={PHOTO_TYPES.join(',')}
          value={file}
          onChange={(value) => {
            setFile(value);
            setMissing(new Set());
          }}
          error={problem}
          clearable
          data-testid="edit-photo-file"
        />
      </Stack>
    </EditFormFrame>
  );
}
