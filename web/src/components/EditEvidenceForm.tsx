import { NativeSelect, SimpleGrid, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type NewEvidence, personEditApi } from '../api/personEdit';
import { DNA_RESULTS, type DnaResult, EVIDENCE_KINDS, type EvidenceKind } from '../api/registryTypes';
import { EditFeedback, EditFormFrame, type EditFormProps, useMissing, usePersonEdit } from './EditForm';

const FIELDS = /^(kind|observedOn|supports|summary|source|dna)(\.|$)/;
const isKind = (v: string): v is EvidenceKind => (EVIDENCE_KINDS as readonly string[]).includes(v);
const isResult = (v: string): v is DnaResult => (DNA_RESULTS as readonly string[]).includes(v);

/** Records identity evidence: a document examined, an embassy interview, or a DNA kinship test. */
export function AddEvidenceForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const edit = usePersonEdit(person, personEditApi.addEvidence, onDone);
  const { has, setMissing, clear } = useMissing();
  const [kind, setKind] = useState<EvidenceKind>('document');
  const [observedOn, setObservedOn] = useState('');
  const [supports, setSupports] = useState(true);
  const [summary, setSummary] = useState('');
  const [source, setSource] = useState('');
  const [laboratory, setLaboratory] = useState('');
  const [relationship, setRelationship] = useState('');
  const [result, setResult] = useState<DnaResult>('match');

  const submit = () => {
    const absent = new Set<string>();
    if (!observedOn) absent.add('observedOn');
    if (kind === 'dna' && !laboratory.trim()) absent.add('laboratory');
    if (kind === 'dna' && !relationship.trim()) absent.add('relationship');
    setMissing(absent);
    if (absent.size > 0) return;
    const input: NewEvidence = {
      kind,
      observedOn,
      ...(kind === 'dna' ? { dna: { laboratory: laboratory.trim(), relationship: relationship.trim(), result } } : { supports }),
      ...(summary.trim() ? { summary: summary.trim() } : {}),
      ...(source.trim() ? { source: source.trim() } : {}),
    };
    edit.mutation.mutate(input);
  };
  const required = (key: string) => (has(key) ? t('fieldErrors.required') : undefined);

  return (
    <EditFormFrame testId="edit-evidence-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={FIELDS} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NativeSelect
            label={t('evidence.kind')}
            value={kind}
            onChange={(e) => isKind(e.currentTarget.value) && setKind(e.currentTarget.value)}
            data={EVIDENCE_KINDS.map((k) => ({ value: k, label: t(`evidence.kinds.${k}`) }))}
            data-testid="edit-evidence-kind"
          />
          <TextInput
            type="date"
            label={t('evidence.observedOn')}
            value={observedOn}
            onChange={(e) => {
              setObservedOn(e.currentTarget.value);
              clear('observedOn');
            }}
            error={required('observedOn') ?? edit.serverError('observedOn')}
            dir="ltr"
            data-testid="edit-evidence-date"
          />
        </SimpleGrid>
        {kind === 'dna' ? (
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
            <TextInput label={t('evidence.laboratory')} value={laboratory} onChange={(e) => setLaboratory(e.currentTarget.value)} error={required('laboratory') ?? edit.serverError('dna.laboratory')} data-testid="edit-evidence-laboratory" />
            <TextInput label={t('evidence.relationship')} description={t('evidence.relationshipHint')} value={relationship} onChange={(e) => setRelationship(e.currentTarget.value)} error={required('relationship') ?? edit.serverError('dna.relationship')} data-testid="edit-evidence-relationship" />
            <NativeSelect label={t('evidence.result')} value={result} onChange={(e) => isResult(e.currentTarget.value) && setResult(e.currentTarget.value)} data={DNA_RESULTS.map((r) => ({ value: r, label: t(`evidence.results.${r}`) }))} data-testid="edit-evidence-result" />
          </SimpleGrid>
        ) : (
          <Switch label={t('evidence.supports')} checked={supports} onChange={(e) => setSupports(e.currentTarget.checked)} data-testid="edit-evidence-supports" />
        )}
        <TextInput label={t('evidence.source')} description={t('evidence.sourceHint')} value={source} onChange={(e) => setSource(e.currentTarget.value)} error={edit.serverError('source')} maxLength={200} data-testid="edit-evidence-source" />
        <Textarea label={t('evidence.summary')} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} error={edit.serverError('summary')} autosize minRows={2} maxLength={4000} data-testid="edit-evidence-summary" />
      </Stack>
    </EditFormFrame>
  );
}
