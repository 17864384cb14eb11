import { Badge, Button, Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Case, type CaseMember, type NonRefoulement, casesApi, mayAgreeTransfer, mayRecordNonRefoulement } from '../api/cases';
import type { User } from '../api/types';
import { CaseFormModal, useCaseWrite } from './CaseForm';
import { PanelSection } from './CasePanelSection';

/** Records or lifts the concern that the person could face persecution or the death penalty at home. */
function NonRefoulementForm({ c, member, value, onClose }: { readonly c: Case; readonly member: CaseMember; readonly value: NonRefoulement; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [concern, setConcern] = useState(value.concern ? 'yes' : 'no');
  const [note, setNote] = useState(value.note ?? '');
  const write = useCaseWrite(c.id, (input: { concern: boolean; note?: string }) => casesApi.setNonRefoulement(member.personId, input), onClose);
  const submit = () => write.mutation.mutate({ concern: concern === 'yes', ...(note.trim() ? { note: note.trim() } : {}) });
  return (
    <CaseFormModal title={t('cases.nonRefoulement.title')} testId="non-refoulement-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} shownByFields={/^(concern|note)/}>
      <Text size="sm" dir="auto">
        <bdi>{member.displayName}</bdi>
      </Text>
      <Radio.Group label={t('cases.nonRefoulement.question')} value={concern} onChange={setConcern} data-testid="non-refoulement-concern">
        <Stack gap={4} mt={4}>
          <Radio value="yes" label={t('cases.nonRefoulement.concern')} data-testid="non-refoulement-yes" />
          <Radio value="no" label={t('cases.nonRefoulement.noConcern')} data-testid="non-refoulement-no" />
        </Stack>
      </Radio.Group>
      <Textarea label={t('cases.note')} description={t('cases.nonRefoulement.noteHint')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={4000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={write.serverError('note')} data-testid="non-refoulement-note" />
    </CaseFormModal>
  );
}

/** Non-refoulement: nobody is returned to persecution or the death penalty. Seen (and set) by the coordinator, security and child protection. */
export function NonRefoulementPanel({ c, member, value, user }: { readonly c: Case; readonly member: CaseMember; readonly value: NonRefoulement; readonly user: User }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <PanelSection title={t('cases.nonRefoulement.title')} testId="non-refoulement-panel" personId={member.personId} status={value.concern ? 'concern' : 'none'}>
      <Badge color={value.concern ? 'red' : 'green'} variant="light" className="hw-badge" data-testid="non-refoulement-status" data-concern={String(value.concern)}>
        {value.concern ? t('cases.nonRefoulement.concern') : t('cases.nonRefoulement.noConcern')}
      </Badge>
      {value.note && (
        <Text size="sm" mt={4} dir="auto" className="hw-evidence" data-testid="non-refoulement-note-text">
          {value.note}
        </Text>
      )}
      {mayRecordNonRefoulement(user) && (
        <Group mt="sm">
          <Button size="compact-sm" variant="light" onClick={() => setOpen(true)} data-testid="non-refoulement-open">
            {t('cases.nonRefoulement.change')}
          </Button>
        </Group>
      )}
      {open && <NonRefoulementForm c={c} member={member} value={value} onClose={() => setOpen(false)} />}
    </PanelSection>
  );
}

/** The home country agreed (or not) to take over the sentence. */
function TransferForm({ c, member, onClose }: { readonly c: Case; readonly member: CaseMember; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [agreed, setAgreed] = useState(member.transferAgreed ? 'yes' : 'no');
  const write = useCaseWrite(c.id, (value: boolean) => casesApi.setTransferAgreed(c.id, member.personId, value), onClose);
  return (
    <CaseFormModal title={t('cases.transfer.title')} testId="transfer-form" onClose={onClose} onSubmit={() => write.mutation.mutate(agreed === 'yes')} pending={write.mutation.isPending} error={write.mutation.error} shownByFields={/^agreed/}>
      <Text size="sm" dir="auto">
        <bdi>{member.displayName}</bdi>
      </Text>
      <Radio.Group label={t('cases.transfer.question')} value={agreed} onChange={setAgreed} data-testid="transfer-agreed">
        <Stack gap={4} mt={4}>
          <Radio value="yes" label={t('cases.transfer.agreed')} data-testid="transfer-yes" />
          <Radio value="no" label={t('cases.transfer.notAgreed')} data-testid="transfer-no" />
        </Stack>
      </Radio.Group>
    </CaseFormModal>
  );
}

/** For an adult serving a sentence: the home country's agreement to take it over (the coordinator records it). */
export function TransferPanel({ c, member, user }: { readonly c: Case; readonly member: CaseMember; readonly user: User }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <PanelSection title={t('cases.transfer.title')} testId="transfer-panel" personId={member.personId} status={String(member.transferAgreed)}>
      <Badge color={member.transferAgreed ? 'green' : 'gray'} variant="light" className="hw-badge" data-testid="transfer-status" data-agreed={String(member.transferAgreed)}>
        {member.transferAgreed ? t('cases.transfer.agreed') : t('cases.transfer.notAgreed')}
      </Badge>
      <Text size="xs" c="dimmed" mt={4}>
        {t('cases.transfer.hint')}
      </Text>
      {mayAgreeTransfer(user) && (
        <Group mt="sm">
          <Button size="compact-sm" variant="light" onClick={() => setOpen(true)} data-testid="transfer-open">
            {t('cases.transfer.change')}
          </Button>
        </Group>
      )}
      {open && <TransferForm c={c} member={member} onClose={() => setOpen(false)} />}
    </PanelSection>
  );
}
