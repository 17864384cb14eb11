import { Loader, NativeSelect, NumberInput, Radio, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { personEditApi } from '../api/personEdit';
import { PERSONS_KEY, registryApi } from '../api/registry';
import type { Relation, Verification } from '../api/registryTypes';
import { EditFeedback, type EditFormProps, EditFormFrame, useMissing, usePersonEdit } from './EditForm';
import { useRegistryFormat } from './registryFormat';

const RELATIONS = ['mother', 'father', 'child', 'sibling', 'guardian', 'ward', 'caregiver', 'cared_for'] as const satisfies readonly Relation[];
const VERIFICATIONS = ['unverified', 'document', 'dna', 'testimony', 'embassy'] as const satisfies readonly Verification[];
const SHOWN_BY_FIELD = /^(relativeId|relation|verification|confidence)$/;
const TYPING_PAUSE_MS = 300;
const CANDIDATES = 10;

/** Links a relative found by name in any script; the server records the link in both directions. */
export function AddFamilyLinkForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const format = useRegistryFormat();
  const [query, setQuery] = useState('');
  const [settled] = useDebouncedValue(query.trim(), TYPING_PAUSE_MS);
  const [relativeId, setRelativeId] = useState('');
  const [relation, setRelation] = useState<Relation | ''>('');
  const [verification, setVerification] = useState<Verification>('unverified');
  const [confidence, setConfidence] = useState<number | string>(50);
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, personEditApi.linkFamily, onDone);
  const linked = new Set((person.family ?? []).map((f) => f.relative.id));

  const found = useQuery({
    queryKey: [...PERSONS_KEY, 'relative-search', settled],
    queryFn: () => registryApi.search({ q: settled }, null, CANDIDATES),
    enabled: settled.length > 0,
    select: (page) => page.data.filter((p) => p.id !== person.id),
  });

  const submit = () => {
    const absent = new Set<string>();
    if (!relativeId) absent.add('relative');
    if (!relation) absent.add('relation');
    const percent = typeof confidence === 'number' ? confidence : Number.NaN;
    if (!(percent >= 0 && percent <= 100)) absent.add('confidence');
    setMissing(absent);
    if (absent.size > 0 || !relation) return;
    edit.mutation.mutate({ relativeId, relation, verification, confidence: percent / 100 });
  };

  return (
    <EditFormFrame testId="edit-family-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={SHOWN_BY_FIELD} />
        <TextInput
          label={t('personEdit.findRelative')}
          description={t('personEdit.findRelativeHint')}
          value={query}
          onChange={(event) => setQuery(event.currentTarget.value)}
          rightSection={found.isFetching ? <Loader size="xs" /> : null}
          attributes={{ input: { dir: 'auto' } }}
          autoComplete="off"
          data-testid="edit-family-search"
        />
        <Radio.Group
          label={t('person.relative')}
          value={relativeId}
          onChange={(value) => {
            setRelativeId(value);
            clear('relative');
          }}
          error={(has('relative') ? t('personEdit.relativeRequired') : undefined) ?? edit.serverError('relativeId')}
        >
          <Stack gap="xs" mt="xs" data-testid="edit-family-results" data-q={settled}>
            {settled && found.data?.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('personEdit.noRelativeFound')}
              </Text>
            )}
            {(found.data ?? []).map((candidate) => (
              <Radio
                key={candidate.id}
                value={candidate.id}
                disabled={linked.has(candidate.id)}
                label={
                  <>
                    <bdi>{candidate.displayName}</bdi>
                    <Text span size="xs" c="dimmed">
                      {' · '}
                      {t(`registry.kinds.${candidate.kind}`)} · {t('personEdit.age', { age: format.age(candidate.age) })}
                      {candidate.nationalities?.length ? ` · ${candidate.nationalities.map((n) => n.countryCode).join(', ')}` : ''}
                    </Text>
                  </>
                }
                data-testid="edit-family-candidate"
                data-person-id={candidate.id}
              />
            ))}
          </Stack>
        </Radio.Group>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <NativeSelect
            label={t('personEdit.relationToPerson', { name: person.displayName })}
            value={relation}
            onChange={(event) => {
              const value = RELATIONS.find((r) => r === event.currentTarget.value);
              setRelation(value ?? '');
              clear('relation');
            }}
            data={[{ value: '', label: t('personEdit.chooseRelation'), disabled: true }, ...RELATIONS.map((r) => ({ value: r, label: t(`person.relations.${r}`) }))]}
            error={(has('relation') ? t('personEdit.relationRequired') : undefined) ?? edit.serverError('relation')}
            required
            data-testid="edit-family-relation"
          />
          <NativeSelect
            label={t('person.verification')}
            value={verification}
            onChange={(event) => {
              const value = VERIFICATIONS.find((v) => v === event.currentTarget.value);
              if (value) setVerification(value);
            }}
            data={VERIFICATIONS.map((v) => ({ value: v, label: t(`person.verifications.${v}`) }))}
            error={edit.serverError('verification')}
            data-testid="edit-family-verification"
          />
          <NumberInput
            label={t('personEdit.confidence')}
            value={confidence}
            onChange={(value) => {
              setConfidence(value);
              clear('confidence');
            }}
            min={0}
            max={100}
            suffix=" %"
            error={(has('confidence') ? t('personEdit.confidenceRange') : undefined) ?? edit.serverError('confidence')}
            data-testid="edit-family-confidence"
          />
        </SimpleGrid>
      </Stack>
    </EditFormFrame>
  );
}
