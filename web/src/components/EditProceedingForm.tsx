import { NativeSelect, NumberInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type NewProceeding, personEditApi } from '../api/personEdit';
import type { Charge, Sentence, Stage, Verdict } from '../api/registryTypes';
import { EditFeedback, type EditFormProps, EditFormFrame, useMissing, usePersonEdit } from './EditForm';

const CHARGES = ['anti_terrorism_article_4', 'illegal_entry', 'membership', 'other'] as const satisfies readonly Charge[];
const STAGES = ['investigation', 'trial', 'appeal', 'cassation', 'final'] as const satisfies readonly Stage[];
const VERDICTS = ['pending', 'convicted', 'acquitted', 'dismissed'] as const satisfies readonly Verdict[];
const SENTENCE_KINDS = ['term', 'life', 'death'] as const;
type SentenceKind = (typeof SENTENCE_KINDS)[number];
const TERM_PARTS = ['years', 'months', 'days'] as const;
const SHOWN_BY_FIELD = /^(charge|court|stage|verdict|actDate|verdictDate|sentence|sentenceStart)(\.|$)/;

const pick = <T extends string>(list: readonly T[], value: string): T | undefined => list.find((v) => v === value);
const whole = (value: number | string) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null);

/** A proceeding and, for a conviction, its sentence; the server refuses what the law forbids, in a clerk's words. */
export function AddProceedingForm({ person, onDone, onReload }: EditFormProps) {
  const { t } = useTranslation();
  const [charge, setCharge] = useState<Charge>('anti_terrorism_article_4');
  const [chargeText, setChargeText] = useState('');
  const [court, setCourt] = useState('');
  const [stage, setStage] = useState<Stage>('trial');
  const [verdict, setVerdict] = useState<Verdict>('pending');
  const [dates, setDates] = useState({ actDate: '', verdictDate: '', sentenceStart: '' });
  const [sentenceKind, setSentenceKind] = useState<SentenceKind | ''>('');
  const [term, setTerm] = useState<Record<(typeof TERM_PARTS)[number], number | string>>({ years: 0, months: 0, days: 0 });
  const { has, clear, setMissing } = useMissing();
  const edit = usePersonEdit(person, personEditApi.recordProceeding, onDone);
  const { serverError } = edit;
  const convicted = verdict === 'convicted';

  const sentence = (): Sentence | null | undefined => {
    if (!convicted || !sentenceKind) return undefined;
    if (sentenceKind !== 'term') return { kind: sentenceKind };
    const years = whole(term.years);
    const months = whole(term.months);
    const days = whole(term.days);
    if (years === null || months === null || days === null || years + months + days === 0) return null;
    return { kind: 'term', years, months, days };
  };

  const submit = () => {
    const absent = new Set<string>();
    if (charge === 'other' && !chargeText.trim()) absent.add('chargeText');
    if (convicted && !dates.actDate) absent.add('actDate');
    if (stage === 'final' && verdict === 'pending') absent.add('verdict');
    const s = sentence();
    if (s === null) absent.add('term');
    if (dates.sentenceStart && !s) absent.add('sentenceStart');
    setMissing(absent);
    if (absent.size > 0) return;
    const input: NewProceeding = {
      charge: charge === 'other' ? { code: 'other', text: chargeText.trim() } : { code: charge },
      stage,
      verdict,
      ...(court.trim() ? { court: court.trim() } : {}),
      ...(dates.actDate ? { actDate: dates.actDate } : {}),
      ...(dates.verdictDate && verdict !== 'pending' ? { verdictDate: dates.verdictDate } : {}),
      ...(s ? { sentence: s } : {}),
      ...(s && dates.sentenceStart ? { sentenceStart: dates.sentenceStart } : {}),
    };
    edit.mutation.mutate(input);
  };

  const date = (key: keyof typeof dates, label: string, missingMessage?: string) => (
    <TextInput
      type="date"
      label={label}
      value={dates[key]}
      onChange={(event) => {
        const value = event.currentTarget.value;
        setDates((d) => ({ ...d, [key]: value }));
        clear(key);
      }}
      error={(has(key) ? missingMessage : undefined) ?? serverError(key)}
      required={key === 'actDate' && convicted}
      dir="ltr"
      data-testid={`edit-proceeding-${key}`}
    />
  );

  return (
    <EditFormFrame testId="edit-proceeding-form" onSubmit={submit} onCancel={onDone} pending={edit.mutation.isPending}>
      <Stack gap="md">
        <EditFeedback error={edit.mutation.error} onReload={onReload} shownByFields={SHOWN_BY_FIELD} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NativeSelect
            label={t('personEdit.charge')}
            value={charge}
            onChange={(event) => setCharge(pick(CHARGES, event.currentTarget.value) ?? charge)}
            data={CHARGES.map((c) => ({ value: c, label: t(`person.charges.${c}`) }))}
            error={charge === 'other' ? undefined : serverError('charge')}
            data-testid="edit-proceeding-charge"
          />
          <TextInput label={t('person.court')} value={court} onChange={(event) => setCourt(event.currentTarget.value)} error={serverError('court')} maxLength={200} attributes={{ input: { dir: 'auto' } }} data-testid="edit-proceeding-court" />
          {charge === 'other' && (
            <TextInput
              label={t('personEdit.chargeText')}
              value={chargeText}
              onChange={(event) => {
                setChargeText(event.currentTarget.value);
                clear('chargeText');
              }}
              error={(has('chargeText') ? t('personEdit.chargeTextRequired') : undefined) ?? serverError('charge')}
              maxLength={500}
              required
              attributes={{ input: { dir: 'auto' } }}
              data-testid="edit-proceeding-charge-text"
            />
          )}
          <NativeSelect
            label={t('person.stage')}
            value={stage}
            onChange={(event) => {
              setStage(pick(STAGES, event.currentTarget.value) ?? stage);
              clear('verdict');
            }}
            data={STAGES.map((s) => ({ value: s, label: t(`person.stages.${s}`) }))}
            error={serverError('stage')}
            data-testid="edit-proceeding-stage"
          />
          <NativeSelect
            label={t('personEdit.verdict')}
            value={verdict}
            onChange={(event) => {
              setVerdict(pick(VERDICTS, event.currentTarget.value) ?? verdict);
              clear('verdict');
            }}
            data={VERDICTS.map((v) => ({ value: v, label: t(`person.verdicts.${v}`) }))}
            error={(has('verdict') ? t('personEdit.finalNeedsVerdict') : undefined) ?? serverError('verdict')}
            data-testid="edit-proceeding-verdict"
          />
          {date('actDate', t('person.actDate'), t('personEdit.actDateRequired'))}
          {verdict !== 'pending' && date('verdictDate', t('person.verdictDate'))}
        </SimpleGrid>
        {convicted && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <NativeSelect
              label={t('person.sentence')}
              value={sentenceKind}
              onChange={(event) => {
                setSentenceKind(pick(SENTENCE_KINDS, event.currentTarget.value) ?? '');
                clear('term');
              }}
              data={[{ value: '', label: t('personEdit.noSentence') }, ...SENTENCE_KINDS.map((k) => ({ value: k, label: t(`personEdit.sentenceKinds.${k}`) }))]}
              error={sentenceKind === 'term' ? undefined : serverError('sentence')}
              data-testid="edit-proceeding-sentence-kind"
            />
            {sentenceKind && date('sentenceStart', t('person.sentenceStart'), t('personEdit.sentenceStartNeedsSentence'))}
          </SimpleGrid>
        )}
        {convicted && sentenceKind === 'term' && (
          <SimpleGrid cols={3} spacing="sm" data-testid="edit-proceeding-term">
            {TERM_PARTS.map((part, i) => (
              <NumberInput
                key={part}
                label={t(`personEdit.term.${part}`)}
                value={term[part]}
                onChange={(value) => {
                  setTerm((old) => ({ ...old, [part]: value }));
                  clear('term');
                }}
                min={0}
                allowDecimal={false}
                // The server's refusal of the sentence (e.g. over 15 years for a juvenile) shows under the years.
                error={i === 0 ? ((has('term') ? t('personEdit.termRequired') : undefined) ?? serverError('sentence')) : undefined}
                data-testid={`edit-proceeding-${part}`}
              />
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </EditFormFrame>
  );
}
