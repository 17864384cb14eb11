import { Alert, Badge, Button, CloseButton, Group, List, NativeSelect, Paper, Radio, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  BIA_KINDS,
  BID_OUTCOMES,
  type AssessmentInput,
  type BiaKind,
  type BidOutcome,
  type Case,
  type CaseMember,
  type DeterminationInput,
  type DeterminationView,
  type MemberPanels,
  casesApi,
  localDay,
  mayDetermineBestInterests,
} from '../api/cases';
import type { User } from '../api/types';
import { CaseFormModal, useCaseWrite, useRequired } from './CaseForm';
import { PanelSection } from './CasePanelSection';
import { useCaseText } from './caseText';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A determination is made by a panel of at least three, each of whom signed a confidentiality undertaking. */
const MIN_PANEL = 3;
const MAX_PANEL = 20;

interface PanelMemberDraft {
  readonly key: number;
  readonly name: string;
  readonly role: string;
  readonly undertakingSignedOn: string;
}

/** The panel's determination: outcome, recommendation, reasoned decision, dissent, review date, and its members. */
function DeterminationForm({ c, member, onClose }: { readonly c: Case; readonly member: CaseMember; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<BidOutcome>('return');
  const [decidedOn, setDecidedOn] = useState(localDay());
  const [recommendation, setRecommendation] = useState('');
  const [reasoning, setReasoning] = useState('');
  const [dissent, setDissent] = useState('');
  const [reviewOn, setReviewOn] = useState('');
  const [panel, setPanel] = useState<readonly PanelMemberDraft[]>(() => [0, 1, 2].map((key) => ({ key, name: '', role: '', undertakingSignedOn: localDay() })));
  const [nextKey, setNextKey] = useState(3);
  const required = useRequired();
  const write = useCaseWrite(c.id, (input: DeterminationInput) => casesApi.recordDetermination(member.personId, input), onClose);
  const change = (key: number, part: Partial<PanelMemberDraft>) => setPanel((p) => p.map((m) => (m.key === key ? { ...m, ...part } : m)));
  const filled = panel.filter((m) => m.name.trim() !== '');
  const submit = () => {
    const ok = required.check({
      decidedOn: ISO_DAY.test(decidedOn),
      recommendation: recommendation.trim() !== '',
      reasoning: reasoning.trim() !== '',
      panel: filled.length >= MIN_PANEL && filled.every((m) => ISO_DAY.test(m.undertakingSignedOn)),
    });
    if (!ok) return;
    write.mutation.mutate({
      outcome,
      decidedOn,
      recommendation: recommendation.trim(),
      reasoning: reasoning.trim(),
      ...(dissent.trim() ? { dissent: dissent.trim() } : {}),
      ...(ISO_DAY.test(reviewOn) ? { reviewOn } : {}),
      panel: filled.map((m) => ({ name: m.name.trim(), ...(m.role.trim() ? { role: m.role.trim() } : {}), undertakingSignedOn: m.undertakingSignedOn })),
    });
  };
  return (
    <CaseFormModal title={t('cases.bid.determine')} testId="bid-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} size="xl" shownByFields={/^(outcome|decidedOn|recommendation|reasoning|dissent|reviewOn|panel)/}>
      <Radio.Group label={t('cases.bid.outcome')} value={outcome} onChange={(v) => setOutcome(v as BidOutcome)} data-testid="bid-outcome">
        <Group gap="md" mt={4}>
          {BID_OUTCOMES.map((o) => (
            <Radio key={o} value={o} label={t(`cases.bidOutcomes.${o}`)} data-testid={`bid-outcome-${o}`} />
          ))}
        </Group>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput type="date" label={t('cases.bid.decidedOn')} required value={decidedOn} max={localDay()} onChange={(e) => setDecidedOn(e.currentTarget.value)} error={required.error('decidedOn', write.serverError('decidedOn'))} data-testid="bid-decided-on" />
        <TextInput type="date" label={t('cases.bid.reviewOn')} value={reviewOn} onChange={(e) => setReviewOn(e.currentTarget.value)} error={write.serverError('reviewOn')} data-testid="bid-review-on" />
      </SimpleGrid>
      <Textarea label={t('cases.bid.recommendation')} required value={recommendation} onChange={(e) => { setRecommendation(e.currentTarget.value); required.clear('recommendation'); }} maxLength={4000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={required.error('recommendation', write.serverError('recommendation'))} data-testid="bid-recommendation" />
      <Textarea label={t('cases.bid.reasoning')} required value={reasoning} onChange={(e) => { setReasoning(e.currentTarget.value); required.clear('reasoning'); }} maxLength={20000} autosize minRows={3} attributes={{ input: { dir: 'auto' } }} error={required.error('reasoning', write.serverError('reasoning'))} data-testid="bid-reasoning" />
      <Textarea label={t('cases.bid.dissent')} value={dissent} onChange={(e) => setDissent(e.currentTarget.value)} maxLength={10000} autosize minRows={1} attributes={{ input: { dir: 'auto' } }} error={write.serverError('dissent')} data-testid="bid-dissent" />
      <Paper withBorder p="sm">
        <Text fw={600} size="sm">
          {t('cases.bid.panel')}
        </Text>
        <Text size="xs" c="dimmed" mb="xs">
          {t('cases.bid.panelHint', { count: MIN_PANEL })}
        </Text>
        <Stack gap="xs" data-testid="bid-panel">
          {panel.map((m, index) => (
            <Group key={m.key} gap="xs" align="flex-end" wrap="nowrap" data-testid="bid-panel-member">
              <TextInput className="hw-grow" label={t('cases.bid.memberName', { n: index + 1 })} value={m.name} onChange={(e) => change(m.key, { name: e.currentTarget.value })} maxLength={200} attributes={{ input: { dir: 'auto' } }} data-testid="bid-member-name" />
              <TextInput className="hw-grow" label={t('cases.bid.memberRole')} value={m.role} onChange={(e) => change(m.key, { role: e.currentTarget.value })} maxLength={200} attributes={{ input: { dir: 'auto' } }} data-testid="bid-member-role" />
              <TextInput type="date" label={t('cases.bid.undertaking')} value={m.undertakingSignedOn} onChange={(e) => change(m.key, { undertakingSignedOn: e.currentTarget.value })} data-testid="bid-member-undertaking" />
              <CloseButton aria-label={t('personEdit.remove')} disabled={panel.length <= MIN_PANEL} onClick={() => setPanel((p) => p.filter((x) => x.key !== m.key))} mb={6} />
            </Group>
          ))}
        </Stack>
        {required.error('panel', write.serverError('panel')) && (
          <Text size="sm" c="red" mt="xs" data-testid="bid-panel-error">
            {required.error('panel') ? t('cases.bid.panelTooSmall', { count: MIN_PANEL }) : write.serverError('panel')}
          </Text>
        )}
        <Button
          mt="xs"
          size="compact-sm"
          variant="light"
          disabled={panel.length >= MAX_PANEL}
          onClick={() => {
            setPanel((p) => [...p, { key: nextKey, name: '', role: '', undertakingSignedOn: localDay() }]);
            setNextKey((k) => k + 1);
          }}
          data-testid="bid-add-member"
        >
          {t('cases.bid.addMember')}
        </Button>
      </Paper>
    </CaseFormModal>
  );
}

/** A best-interests assessment (short or comprehensive) by child protection. */
function AssessmentForm({ c, member, onClose }: { readonly c: Case; readonly member: CaseMember; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<BiaKind>('short');
  const [assessedOn, setAssessedOn] = useState(localDay());
  const [summary, setSummary] = useState('');
  const [recommendation, setRecommendation] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (input: AssessmentInput) => casesApi.recordAssessment(member.personId, input), onClose);
  const submit = () => {
    if (!required.check({ assessedOn: ISO_DAY.test(assessedOn), summary: summary.trim() !== '' })) return;
    write.mutation.mutate({ kind, assessedOn, summary: summary.trim(), ...(recommendation.trim() ? { recommendation: recommendation.trim() } : {}) });
  };
  return (
    <CaseFormModal title={t('cases.bid.assess')} testId="bia-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} shownByFields={/^(kind|assessedOn|summary|recommendation)/}>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <NativeSelect label={t('cases.bid.assessmentKind')} value={kind} onChange={(e) => setKind(e.currentTarget.value as BiaKind)} data={BIA_KINDS.map((k) => ({ value: k, label: t(`cases.biaKinds.${k}`) }))} data-testid="bia-kind" />
        <TextInput type="date" label={t('cases.bid.assessedOn')} required value={assessedOn} max={localDay()} onChange={(e) => setAssessedOn(e.currentTarget.value)} error={required.error('assessedOn', write.serverError('assessedOn'))} data-testid="bia-assessed-on" />
      </SimpleGrid>
      <Textarea label={t('cases.bid.summary')} required value={summary} onChange={(e) => { setSummary(e.currentTarget.value); required.clear('summary'); }} maxLength={20000} autosize minRows={3} attributes={{ input: { dir: 'auto' } }} error={required.error('summary', write.serverError('summary'))} data-testid="bia-summary" />
      <Textarea label={t('cases.bid.recommendation')} value={recommendation} onChange={(e) => setRecommendation(e.currentTarget.value)} maxLength={4000} autosize minRows={1} attributes={{ input: { dir: 'auto' } }} error={write.serverError('recommendation')} />
    </CaseFormModal>
  );
}

const STATUS_COLOR: Readonly<Record<DeterminationView['status'], string>> = { final: 'blue', under_review: 'yellow', reopened: 'orange' };

/** Putting a determination under review, or reopening it: it stops counting until a panel decides again. */
function StatusChangeForm({ c, determination, change, onClose }: { readonly c: Case; readonly determination: DeterminationView; readonly change: 'review' | 'reopen'; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const [reason, setReason] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (r: string) => (change === 'review' ? casesApi.reviewDetermination(determination.id, r) : casesApi.reopenDetermination(determination.id, r)), onClose);
  const submit = () => {
    if (!required.check({ reason: reason.trim() !== '' })) return;
    write.mutation.mutate(reason.trim());
  };
  const label = change === 'review' ? t('cases.bid.review') : t('cases.bid.reopen');
  return (
    <CaseFormModal title={label} testId={`bid-${change}-form`} onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} submitColor="orange" submitLabel={label} shownByFields={/^reason/}>
      <Text size="sm">
        {t(`cases.bidOutcomes.${determination.outcome}`)} · {t('cases.bid.decidedOnValue', { date: text.date(determination.decidedOn) })}
      </Text>
      <Text size="sm">{change === 'review' ? t('cases.bid.reviewHint') : t('cases.bid.reopenHint')}</Text>
      <Textarea label={t('cases.reason')} description={t('cases.bid.reasonHint')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={required.error('reason', write.serverError('reason'))} data-testid="bid-status-reason" />
    </CaseFormModal>
  );
}

/** Best interests: whether a determination is required and why, its outcome (for all who see the case), its content (child protection). */
export function BestInterestsPanel({ c, member, bestInterests, user }: { readonly c: Case; readonly member: CaseMember; readonly bestInterests: NonNullable<MemberPanels['bestInterests']>; readonly user: User }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const [open, setOpen] = useState<'determine' | 'assess' | 'review' | 'reopen' | null>(null);
  const may = mayDetermineBestInterests(user);
  const d = bestInterests.determination;
  const content = d?.content;
  return (
    <PanelSection title={t('cases.bid.title')} testId="bid-panel-section" personId={member.personId} status={d ? `${d.status}:${d.outcome}` : bestInterests.required ? 'missing' : 'not_required'}>
      <Text size="sm" mb="xs" data-testid="bid-required" data-required={String(bestInterests.required)}>
        {!bestInterests.required
          ? t('cases.bid.notRequired')
          : bestInterests.requiredBecause && bestInterests.requiredBecause.length > 0
            ? t('cases.bid.requiredBecause', { why: text.list(bestInterests.requiredBecause.map((w) => text.or(`cases.bidWhy.${w}`, w))) })
            : t('cases.bid.required')}
      </Text>
      {d ? (
        <Stack gap={4} data-testid="bid-determination" data-outcome={d.outcome} data-status={d.status}>
          <Group gap="xs">
            <Badge color={d.outcome === 'return' ? 'green' : 'red'} variant="light" className="hw-badge">
              {t(`cases.bidOutcomes.${d.outcome}`)}
            </Badge>
            <Badge color={STATUS_COLOR[d.status]} variant={d.status === 'final' ? 'outline' : 'filled'} className="hw-badge" data-testid="bid-status" data-status={d.status}>
              {t(`cases.bidStatus.${d.status}`)}
            </Badge>
          </Group>
          {d.status === 'final' ? (
            <Text size="xs" c="dimmed" data-testid="bid-status-note">
              {t('cases.bid.statusNote.final')}
            </Text>
          ) : (
            <Alert color={STATUS_COLOR[d.status]} p="xs" data-testid="bid-status-note" data-status={d.status}>
              <Text size="sm">{t(`cases.bid.statusNote.${d.status}`)}</Text>
            </Alert>
          )}
          <Text size="sm">
            {t('cases.bid.decidedOnValue', { date: text.date(d.decidedOn) })}
            {d.reviewOn ? ` · ${t('cases.bid.reviewOnValue', { date: text.date(d.reviewOn) })}` : ''}
          </Text>
          {content ? (
            <Stack gap={4} data-testid="bid-content">
              {content.recommendation && (
                <Text size="sm" className="hw-evidence">
                  <Text span c="dimmed">
                    {t('cases.bid.recommendation')}:{' '}
                  </Text>
                  <bdi>{content.recommendation}</bdi>
                </Text>
              )}
              {content.reasoning && (
                <Text size="sm" className="hw-evidence">
                  <Text span c="dimmed">
                    {t('cases.bid.reasoning')}:{' '}
                  </Text>
                  <bdi>{content.reasoning}</bdi>
                </Text>
              )}
              {content.dissent && (
                <Text size="sm" className="hw-evidence">
                  <Text span c="dimmed">
                    {t('cases.bid.dissent')}:{' '}
                  </Text>
                  <bdi>{content.dissent}</bdi>
                </Text>
              )}
              {content.panel && content.panel.length > 0 && (
                <List size="sm">
                  {content.panel.map((p) => (
                    <List.Item key={`${p.name}:${p.undertakingSignedOn}`}>
                      <bdi>{p.name}</bdi>
                      {p.role ? ` (${p.role})` : ''} — {t('cases.bid.undertakingOn', { date: text.date(p.undertakingSignedOn) })}
                    </List.Item>
                  ))}
                </List>
              )}
            </Stack>
          ) : (
            <Text size="xs" c="dimmed" data-testid="bid-content-withheld">
              {t('cases.bid.contentWithheld')}
            </Text>
          )}
        </Stack>
      ) : (
        bestInterests.required && (
          <Text size="sm" c="dimmed" data-testid="bid-none">
            {t('cases.bid.none')}
          </Text>
        )
      )}
      {bestInterests.assessments && bestInterests.assessments.length > 0 && (
        <Stack gap={2} mt="xs" data-testid="bid-assessments">
          <Text size="sm" fw={600}>
            {t('cases.bid.assessments')}
          </Text>
          {bestInterests.assessments.map((a) => (
            <Text size="sm" key={a.id} data-testid="bid-assessment">
              {t(`cases.biaKinds.${a.kind}`)} · {text.date(a.assessedOn)}
              {a.content?.summary ? (
                <Text span size="sm" c="dimmed" className="hw-evidence" display="block">
                  {a.content.summary}
                </Text>
              ) : null}
            </Text>
          ))}
        </Stack>
      )}
      {may && (
        <Group gap="xs" mt="sm">
          <Button size="compact-sm" variant={d && d.status === 'final' ? 'light' : 'filled'} onClick={() => setOpen('determine')} data-testid="bid-determine-open">
            {d ? t('cases.bid.determineAgain') : t('cases.bid.determine')}
          </Button>
          {d && d.status === 'final' && (
            <Button size="compact-sm" variant="light" color="orange" onClick={() => setOpen('review')} data-testid="bid-review-open">
              {t('cases.bid.review')}
            </Button>
          )}
          {d && d.status !== 'reopened' && (
            <Button size="compact-sm" variant="light" color="orange" onClick={() => setOpen('reopen')} data-testid="bid-reopen-open">
              {t('cases.bid.reopen')}
            </Button>
          )}
          <Button size="compact-sm" variant="light" onClick={() => setOpen('assess')} data-testid="bia-open">
            {t('cases.bid.assess')}
          </Button>
        </Group>
      )}
      {open === 'determine' && <DeterminationForm c={c} member={member} onClose={() => setOpen(null)} />}
      {open === 'assess' && <AssessmentForm c={c} member={member} onClose={() => setOpen(null)} />}
      {(open === 'review' || open === 'reopen') && d && <StatusChangeForm c={c} determination={d} change={open} onClose={() => setOpen(null)} />}
    </PanelSection>
  );
}
