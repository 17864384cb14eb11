import { NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { END_OF_CUSTODY, personEditApi } from '../api/personEdit';
import { useFacilityOptions } from '../api/registry';
import { EditFeedback, type EditFormProps, EditFormFrame, useMissing, usePersonEdit } from './EditForm';

const today = () => new Date().toISOString().slice(0, 10);

/** Admission to a facility; for someone already held it is a transfer, which ends the current episode. */
export function AdmitForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const facilities = useFacilityOptions(true);
  const current = person.currentFacility ?? null;
  const [facilityId, setFacilityId] = useState('');
  const [admittedOn, setAdmittedOn] = useState(today);
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, (id, version, input: { facilityId: string; admittedOn: string }) => personEditApi.admit(id, version, input.facilityId, input.admittedOn), onDone);
  const submit = () => {
    const absent = new Set<string>();
    if (!facilityId) absent.add('facility');
    if (!admittedOn) absent.add('admittedOn');
    setMissing(absent);
    if (absent.size === 0) edit.mutation.mutate({ facilityId, admittedOn });
  };
  return (
    <EditFormFrame testId="edit-admit-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={/^(facilityId|admittedOn)$/} />
        {current && (
          <Text size="sm" data-testid="edit-admit-current">
            {t('personEdit.transferFrom', { name: current.name })}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NativeSelect
            label={current ? t('personEdit.transferTo') : t('registry.facility')}
            value={facilityId}
            onChange={(event) => {
              setFacilityId(event.currentTarget.value);
              clear('facility');
            }}
            data={[
              { value: '', label: t('register.chooseFacility'), disabled: true },
              ...(facilities.data ?? []).filter((f) => f.id !== current?.id).map((f) => ({ value: f.id, label: f.name })),
            ]}
            error={(has('facility') ? t('personEdit.facilityRequired') : undefined) ?? edit.serverError('facilityId')}
            required
            data-testid="edit-admit-facility"
          />
          <TextInput
            type="date"
            label={t('person.admittedOn')}
            value={admittedOn}
            onChange={(event) => {
              setAdmittedOn(event.currentTarget.value);
              clear('admittedOn');
            }}
            error={(has('admittedOn') ? t('personEdit.dateRequired') : undefined) ?? edit.serverError('admittedOn')}
            required
            dir="ltr"
            data-testid="edit-admit-date"
          />
        </SimpleGrid>
      </Stack>
    </EditFormFrame>
  );
}

type EndReason = (typeof END_OF_CUSTODY)[number];

/** The end of the current custody episode: the day and why. */
export function ReleaseForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const [releasedOn, setReleasedOn] = useState(today);
  const [reason, setReason] = useState<EndReason | ''>('');
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, (id, version, input: { releasedOn: string; reason: EndReason }) => personEditApi.release(id, version, input.releasedOn, input.reason), onDone);
  const submit = () => {
    const absent = new Set<string>();
    if (!releasedOn) absent.add('releasedOn');
    if (!reason) absent.add('reason');
    setMissing(absent);
    if (absent.size === 0 && reason) edit.mutation.mutate({ releasedOn, reason });
  };
  return (
    <EditFormFrame testId="edit-release-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={/^(releasedOn|reason)$/} />
        {person.currentFacility && (
          <Text size="sm">{t('personEdit.releaseFrom', { name: person.currentFacility.name })}</Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            type="date"
            label={t('person.releasedOn')}
            value={releasedOn}
            onChange={(event) => {
              setReleasedOn(event.currentTarget.value);
              clear('releasedOn');
            }}
            error={(has('releasedOn') ? t('personEdit.dateRequired') : undefined) ?? edit.serverError('releasedOn')}
            required
            dir="ltr"
            data-testid="edit-release-date"
          />
          <NativeSelect
            label={t('person.releaseReason')}
            value={reason}
            onChange={(event) => {
              setReason(END_OF_CUSTODY.find((r) => r === event.currentTarget.value) ?? '');
              clear('reason');
            }}
            data={[{ value: '', label: t('personEdit.chooseReason'), disabled: true }, ...END_OF_CUSTODY.map((r) => ({ value: r, label: t(`person.releaseReasons.${r}`) }))]}
            error={(has('reason') ? t('personEdit.reasonRequired') : undefined) ?? edit.serverError('reason')}
            required
            data-testid="edit-release-reason"
          />
        </SimpleGrid>
      </Stack>
    </EditFormFrame>
  );
}
