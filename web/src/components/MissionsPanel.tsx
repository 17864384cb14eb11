import { Alert, Anchor, Button, Group, Loader, Modal, NativeSelect, SegmentedControl, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldError } from '../api/client';
import { MISSIONS_KEY, MISSION_RESIDENCIES, type Mission, type MissionInput, type MissionResidency, identificationApi } from '../api/identification';
import { useAgencies, useCountries, useCountryName } from '../api/queries';
import { ErrorAlert } from './ErrorAlert';
import { ExportMenu } from './ExportMenu';

/** The form's fields as text; empty means "not recorded". */
interface MissionDraft {
  readonly countryCode: string;
  readonly residency: MissionResidency;
  readonly accreditedFrom: string;
  readonly agencyId: string;
  readonly address: string;
  readonly phone: string;
  readonly email: string;
  readonly contactName: string;
  readonly notes: string;
}

function draftOf(countryCode: string, mission: Mission | undefined): MissionDraft {
  return {
    countryCode,
    residency: mission?.residency ?? 'resident',
    accreditedFrom: mission?.accreditedFrom ?? '',
    agencyId: mission?.agency?.id ?? '',
    address: mission?.address ?? '',
    phone: mission?.phone ?? '',
    email: mission?.email ?? '',
    contactName: mission?.contactName ?? '',
    notes: mission?.notes ?? '',
  };
}

const orNull = (value: string): string | null => (value.trim() ? value.trim() : null);

function inputOf(draft: MissionDraft): MissionInput {
  return {
    residency: draft.residency,
    accreditedFrom: draft.residency === 'non_resident' ? orNull(draft.accreditedFrom) : null,
    agencyId: draft.agencyId || null,
    address: orNull(draft.address),
    phone: orNull(draft.phone),
    email: orNull(draft.email),
    contactName: orNull(draft.contactName),
    notes: orNull(draft.notes),
  };
}

interface MissionFormProps {
  /** null: recording a mission for a country still to choose. */
  readonly countryCode: string | null;
  readonly missions: readonly Mission[];
  readonly onDone: () => void;
  /** After a stale answer: fetch the missions again and start afresh for this country. */
  readonly onReload: (countryCode: string) => void;
}

/** One country's mission; a change is sent with the version the form read (If-Match). */
function MissionForm({ countryCode, missions, onDone, onReload }: MissionFormProps) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const countries = useCountries();
  const countryName = useCountryName();
  const agencies = useAgencies();
  const existing = countryCode ? missions.find((m) => m.countryCode === countryCode) : undefined;
  // The version read when the form opened, not whatever a background refetch brings since.
  const [version] = useState<number | null>(existing?.version ?? null);
  const [draft, setDraft] = useState<MissionDraft>(() => draftOf(countryCode ?? '', existing));
  const [missingCountry, setMissingCountry] = useState(false);
  const save = useMutation({
    mutationFn: (d: MissionDraft) => identificationApi.saveMission(d.countryCode, version, inputOf(d)),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: MISSIONS_KEY });
      onDone();
    },
  });

  const countryOptions = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    const recorded = new Set(missions.map((m) => m.countryCode));
    return (countries.data ?? [])
      .filter((c) => !recorded.has(c.code))
      .map((c) => ({ value: c.code, label: countryName(c.code, countries.data) }))
      .sort((a, b) => collator.compare(a.label, b.label));
  }, [countries.data, countryName, i18n.language, missions]);
  // The mission answers through the embassy agency of its own country.
  const agencyOptions = (agencies.data ?? []).filter((a) => a.kind === 'embassy' && a.countryCode === draft.countryCode);

  const set = (field: keyof MissionDraft) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setDraft((d) => ({ ...d, [field]: value }));
    if (field === 'countryCode') setMissingCountry(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.countryCode) return setMissingCountry(true);
    save.mutate(draft);
  };
  const error = save.error;
  const stale = error instanceof ApiError && error.status === 412;
  const problem = (field: string) => fieldError(error, field);

  return (
    <form onSubmit={submit} noValidate data-testid="mission-form" data-version={version ?? 'new'}>
      <Stack gap="sm">
        {countryCode ? (
          <Text fw={600} data-testid="mission-form-country">
            {countryName(countryCode, countries.data)}
          </Text>
        ) : (
          <NativeSelect
            label={t('identification.country')}
            required
            value={draft.countryCode}
            onChange={set('countryCode')}
            data={[{ value: '', label: t('identification.chooseCountry') }, ...countryOptions]}
            error={missingCountry ? t('common.required') : problem('countryCode')}
            data-testid="mission-country"
          />
        )}
        <div>
          <Text size="sm" fw={500} mb={4} id="mission-residency-label">
            {t('identification.missions.residency')}
          </Text>
          <SegmentedControl
            aria-labelledby="mission-residency-label"
            value={draft.residency}
            onChange={(value) => setDraft((d) => ({ ...d, residency: value as MissionResidency }))}
            data={MISSION_RESIDENCIES.map((r) => ({ value: r, label: t(`identification.missions.residencies.${r}`) }))}
            data-testid="mission-residency"
          />
        </div>
        {draft.residency === 'non_resident' && (
          <TextInput
            label={t('identification.missions.accreditedFrom')}
            description={t('identification.missions.accreditedFromHint')}
            value={draft.accreditedFrom}
            onChange={set('accreditedFrom')}
            error={problem('accreditedFrom')}
            maxLength={200}
            data-testid="mission-accredited-from"
          />
        )}
        <NativeSelect
          label={t('identification.missions.agency')}
          description={t('identification.missions.agencyHint')}
          value={draft.agencyId}
          onChange={set('agencyId')}
          data={[{ value: '', label: t('common.none') }, ...agencyOptions.map((a) => ({ value: a.id, label: a.name }))]}
          error={problem('agencyId')}
          data-testid="mission-agency"
        />
        <TextInput
          label={t('identification.missions.contactName')}
          value={draft.contactName}
          onChange={set('contactName')}
          error={problem('contactName')}
          maxLength={200}
          attributes={{ input: { dir: 'auto' } }}
          data-testid="mission-contact-name"
        />
        <Group grow align="flex-start">
          <TextInput
            label={t('identification.missions.phone')}
            type="tel"
            value={draft.phone}
            onChange={set('phone')}
            error={problem('phone')}
            maxLength={100}
            attributes={{ input: { dir: 'ltr' } }}
            data-testid="mission-phone"
          />
          <TextInput
            label={t('identification.missions.email')}
            type="email"
            value={draft.email}
            onChange={set('email')}
            error={problem('email')}
            maxLength={200}
            attributes={{ input: { dir: 'ltr' } }}
            data-testid="mission-email"
          />
        </Group>
        <Textarea
          label={t('identification.missions.address')}
          value={draft.address}
          onChange={set('address')}
          error={problem('address')}
          maxLength={500}
          autosize
          minRows={2}
          attributes={{ input: { dir: 'auto' } }}
          data-testid="mission-address"
        />
        <Textarea
          label={t('identification.missions.notes')}
          value={draft.notes}
          onChange={set('notes')}
          error={problem('notes')}
          maxLength={2000}
          autosize
          minRows={2}
          attributes={{ input: { dir: 'auto' } }}
          data-testid="mission-notes"
        />
        {stale && (
          <Alert color="yellow" role="alert" title={t('personEdit.stale.title')} data-testid="mission-stale" lang={i18n.language}>
            {/* The server names who changed the mission and when, in its own (English) words. */}
            <Text size="sm" dir="auto" data-testid="mission-stale-message">
              {error.message}
            </Text>
            <Button mt="sm" size="compact-sm" variant="light" onClick={() => onReload(draft.countryCode)} data-testid="mission-reload">
              {t('identification.missions.reload')}
            </Button>
          </Alert>
        )}
        {error && !stale && <ErrorAlert error={error} testId="mission-error" />}
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onDone} data-testid="mission-cancel">
            {t('personEdit.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="mission-save">
            {t('personEdit.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Contact({ mission }: { readonly mission: Mission }) {
  const { t } = useTranslation();
  if (!mission.contactName && !mission.phone && !mission.email) return <>{t('common.none')}</>;
  return (
    <Stack gap={0}>
      {mission.contactName && (
        <Text size="sm" dir="auto">
          {mission.contactName}
        </Text>
      )}
      {mission.phone && (
        <Text size="sm" className="hw-ltr">
          {mission.phone}
        </Text>
      )}
      {mission.email && (
        <Anchor size="sm" href={`mailto:${mission.email}`} className="hw-ltr">
          {mission.email}
        </Anchor>
      )}
    </Stack>
  );
}

/** Each country's mission to the host state, and (for those who keep them) a form to record or change one. */
export function MissionsPanel({ editable }: { readonly editable: boolean }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const countries = useCountries();
  const countryName = useCountryName();
  const missions = useQuery({ queryKey: MISSIONS_KEY, queryFn: identificationApi.missions, select: (page) => page.data });
  /** undefined: closed; null: a new mission; a code: that country's. */
  const [editing, setEditing] = useState<string | null | undefined>(undefined);
  const [generation, setGeneration] = useState(0);

  if (missions.isPending) return <Loader aria-label={t('common.loading')} />;
  if (missions.isError) return <ErrorAlert error={missions.error} testId="missions-error" />;
  const rows = [...missions.data].sort((a, b) => countryName(a.countryCode, countries.data).localeCompare(countryName(b.countryCode, countries.data)));
  const reload = (countryCode: string) => {
    void client.refetchQueries({ queryKey: MISSIONS_KEY }).then(() => {
      setEditing(countryCode || null);
      setGeneration((g) => g + 1);
    });
  };

  return (
    <Stack gap="sm" data-testid="missions-panel">
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          {t('identification.missions.intro')}
        </Text>
        <Group gap="xs">
          <ExportMenu url="/api/v1/missions/export" testId="missions-export" list={t('identification.missions.title')} />
          {editable && (
            <Button variant="light" onClick={() => setEditing(null)} data-testid="mission-new">
              {t('identification.missions.new')}
            </Button>
          )}
        </Group>
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table striped data-testid="missions-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('identification.country')}</Table.Th>
              <Table.Th>{t('identification.missions.residency')}</Table.Th>
              <Table.Th>{t('identification.missions.agency')}</Table.Th>
              <Table.Th>{t('identification.missions.contact')}</Table.Th>
              <Table.Th>{t('identification.missions.address')}</Table.Th>
              {editable && <Table.Th aria-label={t('identification.missions.edit')} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((mission) => (
              <Table.Tr key={mission.countryCode} data-testid="mission-row" data-country={mission.countryCode} data-version={mission.version}>
                <Table.Td fw={600}>{countryName(mission.countryCode, countries.data)}</Table.Td>
                <Table.Td>
                  <Text size="sm" data-testid="mission-row-residency">
                    {t(`identification.missions.residencies.${mission.residency}`)}
                  </Text>
                  {mission.accreditedFrom && (
                    <Text size="xs" c="dimmed" dir="auto">
                      {t('identification.missions.from', { place: mission.accreditedFrom })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td dir="auto">{mission.agency?.name ?? t('common.none')}</Table.Td>
                <Table.Td data-testid="mission-row-contact">
                  <Contact mission={mission} />
                </Table.Td>
                <Table.Td dir="auto">
                  <Text size="sm" className="hw-evidence">
                    {mission.address ?? t('common.none')}
                  </Text>
                </Table.Td>
                {editable && (
                  <Table.Td>
                    <Button size="compact-sm" variant="subtle" onClick={() => setEditing(mission.countryCode)} data-testid="mission-edit">
                      {t('identification.missions.edit')}
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 && (
        <Text c="dimmed" data-testid="missions-empty">
          {t('identification.missions.empty')}
        </Text>
      )}
      {editing !== undefined && (
        // lockScroll would inject a <style> element without the page's nonce, which the Content-Security-Policy refuses.
        <Modal
          opened
          onClose={() => setEditing(undefined)}
          title={editing ? t('identification.missions.editTitle') : t('identification.missions.new')}
          size="lg"
          lockScroll={false}
          data-testid="mission-modal"
        >
          <MissionForm
            key={`${editing ?? 'new'}:${generation}`}
            countryCode={editing}
            missions={missions.data}
            onDone={() => setEditing(undefined)}
            onReload={reload}
          />
        </Modal>
      )}
    </Stack>
  );
}
