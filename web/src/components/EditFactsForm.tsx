import { Alert, Checkbox, Fieldset, Group, NativeSelect, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type PersonChanges, personEditApi } from '../api/personEdit';
import { type BirthDate, type Person, SEXES, type Sex, type VitalStatus } from '../api/registryTypes';
import { BirthDateFields, type BirthDraft, birthDateInput } from './BirthDateFields';
import { EditFeedback, type EditFormProps, EditFormFrame, useMissing, usePersonEdit } from './EditForm';

const VITAL_STATUSES = ['alive', 'deceased', 'executed'] as const satisfies readonly VitalStatus[];
const FLAGS = ['unaccompanied', 'separated', 'orphan', 'medicalNeeds'] as const;
type Flag = (typeof FLAGS)[number];
const SHOWN_BY_FIELD = /^(sex|birthDate|vitalStatus|vitalDate|vulnerability|withheldFromEmbassy|crimesAgainstHumanity|securityNotes|reason)(\.|$)/;

/** The stored date of birth as the form's draft, at the precision it was recorded with. */
function draftOf(birth: BirthDate): BirthDraft {
  switch (birth.precision) {
    case 'exact':
      return { precision: 'exact', value: birth.earliest };
    case 'month':
      return { precision: 'month', value: birth.earliest.slice(0, 7) };
    case 'year':
      return { precision: 'year', value: birth.earliest.slice(0, 4) };
    case 'estimated':
      return { precision: 'estimated', value: String(Math.round((Number(birth.earliest.slice(0, 4)) + Number(birth.latest.slice(0, 4))) / 2)) };
  }
}

const isSex = (v: string): v is Sex => (SEXES as readonly string[]).includes(v);
const isVital = (v: string): v is VitalStatus => (VITAL_STATUSES as readonly string[]).includes(v);

/** Sex, date of birth, vital status, vulnerability and the sharing and security flags — each part only for the roles that answer for it. */
export function EditFactsForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const allowed = new Set(person.allowedActions ?? []);
  const identity = allowed.has('updateIdentity');
  const welfare = allowed.has('updateWelfare') && person.vulnerability !== undefined;
  const withhold = allowed.has('withhold') && person.withheldFromEmbassy !== undefined;
  const security = allowed.has('updateSecurity') && person.crimesAgainstHumanity !== undefined;

  const initialBirth = draftOf(person.birthDate);
  const [sex, setSex] = useState<Sex>(person.sex);
  const [birth, setBirth] = useState<BirthDraft>(initialBirth);
  const [vital, setVital] = useState<VitalStatus>(person.vitalStatus);
  const [vitalDate, setVitalDate] = useState(person.vitalDate ?? '');
  const [flags, setFlags] = useState<Record<Flag, boolean>>(() => {
    const v = person.vulnerability;
    return { unaccompanied: v?.unaccompanied ?? false, separated: v?.separated ?? false, orphan: v?.orphan ?? false, medicalNeeds: v?.medicalNeeds ?? false };
  });
  const [notes, setNotes] = useState(person.vulnerability?.notes ?? '');
  const [withheld, setWithheld] = useState(person.withheldFromEmbassy ?? false);
  const [cah, setCah] = useState(person.crimesAgainstHumanity ?? false);
  const [securityNotes, setSecurityNotes] = useState(person.securityNotes ?? '');
  const [reason, setReason] = useState('');
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, personEditApi.update, onDone);
  const { serverError } = edit;

  /** Only what changed is sent: each field needs its own role, and an unchanged one is no change. */
  const changes = (): PersonChanges | null => {
    const out: PersonChanges = {};
    if (identity) {
      if (sex !== person.sex) out.sex = sex;
      if (birth.precision !== initialBirth.precision || birth.value.trim() !== initialBirth.value) {
        const input = birthDateInput(birth);
        if (!input) return null;
        out.birthDate = input;
      }
      if (vital !== person.vitalStatus) out.vitalStatus = vital;
      if (vital !== 'alive' && vitalDate !== (person.vitalDate ?? '')) out.vitalDate = vitalDate || null;
    }
    if (welfare && person.vulnerability) {
      const v = person.vulnerability;
      const changed: NonNullable<PersonChanges['vulnerability']> = {};
      for (const flag of FLAGS) if (flags[flag] !== v[flag]) changed[flag] = flags[flag];
      if (notes.trim() !== (v.notes ?? '')) changed.notes = notes.trim();
      if (Object.keys(changed).length > 0) out.vulnerability = changed;
    }
    if (withhold && withheld !== person.withheldFromEmbassy) out.withheldFromEmbassy = withheld;
    if (security) {
      if (cah !== person.crimesAgainstHumanity) out.crimesAgainstHumanity = cah;
      if (securityNotes.trim() !== (person.securityNotes ?? '')) out.securityNotes = securityNotes.trim() || null;
    }
    return out;
  };

  const submit = () => {
    const out = changes();
    const absent = new Set<string>();
    if (!out) absent.add('birth');
    else if (Object.keys(out).length === 0) absent.add('nothing');
    setMissing(absent);
    if (!out || absent.size > 0) return;
    edit.mutation.mutate(reason.trim() ? { ...out, reason: reason.trim() } : out);
  };

  return (
    <EditFormFrame testId="edit-facts-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={SHOWN_BY_FIELD} />
        {has('nothing') && (
          <Alert color="yellow" data-testid="edit-nothing">
            {t('personEdit.nothingChanged')}
          </Alert>
        )}
        {identity && (
          <>
            <NativeSelect
              label={t('registry.sex')}
              value={sex}
              onChange={(event) => {
                const value = event.currentTarget.value;
                if (isSex(value)) setSex(value);
              }}
              data={SEXES.map((s) => ({ value: s, label: t(`registry.sexes.${s}`) }))}
              error={serverError('sex')}
              data-testid="edit-facts-sex"
            />
            <BirthDateFields
              value={birth}
              onChange={(value) => {
                setBirth(value);
                clear('birth');
              }}
              error={(has('birth') ? t(`personEdit.birthFormat.${birth.precision}`) : undefined) ?? serverError('birthDate')}
              testId="edit-facts-birth"
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <NativeSelect
                label={t('person.vitalStatus')}
                value={vital}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  if (isVital(value)) setVital(value);
                }}
                data={VITAL_STATUSES.map((s) => ({ value: s, label: t(`person.vital.${s}`) }))}
                error={serverError('vitalStatus')}
                data-testid="edit-facts-vital-status"
              />
              {vital !== 'alive' && (
                <TextInput
                  type="date"
                  label={t('personEdit.vitalDate')}
                  value={vitalDate}
                  onChange={(event) => setVitalDate(event.currentTarget.value)}
                  error={serverError('vitalDate')}
                  dir="ltr"
                  data-testid="edit-facts-vital-date"
                />
              )}
            </SimpleGrid>
          </>
        )}
        {welfare && (
          <Fieldset legend={t('person.vulnerability')}>
            <Group gap="md" mb="sm">
              {FLAGS.map((flag) => (
                <Checkbox
                  key={flag}
                  label={t(`person.vulnerabilities.${flag}`)}
                  checked={flags[flag]}
                  onChange={(event) => {
                    const checked = event.currentTarget.checked;
                    setFlags((f) => ({ ...f, [flag]: checked }));
                  }}
                  data-testid={`edit-facts-flag-${flag}`}
                />
              ))}
            </Group>
            <Textarea
              label={t('personEdit.welfareNotes')}
              value={notes}
              onChange={(event) => setNotes(event.currentTarget.value)}
              error={serverError('vulnerability')}
              autosize
              minRows={2}
              maxLength={2000}
              attributes={{ input: { dir: 'auto' } }}
              data-testid="edit-facts-notes"
            />
          </Fieldset>
        )}
        {withhold && (
          <Checkbox
            label={t('person.withheldFromEmbassy')}
            description={t('personEdit.withheldHint')}
            checked={withheld}
            onChange={(event) => setWithheld(event.currentTarget.checked)}
            error={serverError('withheldFromEmbassy')}
            data-testid="edit-facts-withheld"
          />
        )}
        {security && (
          <>
            <Checkbox
              label={t('person.crimesAgainstHumanity')}
              checked={cah}
              onChange={(event) => setCah(event.currentTarget.checked)}
              error={serverError('crimesAgainstHumanity')}
              data-testid="edit-facts-cah"
            />
            <Textarea
              label={t('person.securityNotes')}
              value={securityNotes}
              onChange={(event) => setSecurityNotes(event.currentTarget.value)}
              error={serverError('securityNotes')}
              autosize
              minRows={2}
              maxLength={4000}
              attributes={{ input: { dir: 'auto' } }}
              data-testid="edit-facts-security-notes"
            />
          </>
        )}
        <TextInput
          label={t('personEdit.reason')}
          description={t('personEdit.reasonHint')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={serverError('reason')}
          maxLength={500}
          attributes={{ input: { dir: 'auto' } }}
          data-testid="edit-facts-reason"
        />
      </Stack>
    </EditFormFrame>
  );
}
