import { Badge, Button, Checkbox, Group, NativeSelect, Radio, SimpleGrid, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Case,
  CONSENT_EXEMPTIONS,
  CONSENT_KINDS,
  type CaseMember,
  type ConsentExemptionReason,
  type ConsentKind,
  type ConsentRecordView,
  type MemberPanels,
  type ConsentInput,
  casesApi,
  consentDocumentUrl,
  localDay,
  mayRecordConsent,
  witnessesKey,
} from '../api/cases';
import { personKey, registryApi } from '../api/registry';
import type { User } from '../api/types';
import { DocumentForm, DocumentLink } from './CaseDocumentForm';
import { CaseFormModal, useCaseWrite, useRequired } from './CaseForm';
import { useCaseText } from './caseText';
import { PanelSection } from './CasePanelSection';

const EFFECTIVE_COLOR = { given: 'green', refused: 'red', revoked: 'red', none: 'yellow' } as const;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Records a parent's decision (consent, refusal, revocation) for one or more children of the case. */
function ConsentForm({ c, member, user, onClose }: { readonly c: Case; readonly member: CaseMember; readonly user: User; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const person = useQuery({ queryKey: personKey(member.personId), queryFn: () => registryApi.person(member.personId) });
  const parents = (person.data?.family ?? []).filter((l) => ['mother', 'father', 'guardian'].includes(l.relation));
  const children = c.members.filter((m) => !m.left && m.verdict?.subject === 'child');
  const [givenBy, setGivenBy] = useState('');
  const [kind, setKind] = useState<ConsentKind>('consent');
  const [decidedOn, setDecidedOn] = useState(localDay());
  const [language, setLanguage] = useState('');
  const officer = user.role === 'child_protection';
  const [witnessName, setWitnessName] = useState(officer ? user.displayName : '');
  // The coordinator names the child-protection officer who witnessed it ('none': nobody did, and the record will not count).
  const [witnessUserId, setWitnessUserId] = useState('');
  const witnesses = useQuery({ queryKey: witnessesKey, queryFn: () => casesApi.witnesses(), enabled: !officer, staleTime: 60_000 });
  const named = !officer && witnessUserId !== '' && witnessUserId !== 'none';
  const [childIds, setChildIds] = useState<readonly string[]>([member.personId]);
  const [note, setNote] = useState('');
  const required = useRequired();
  const chosen = givenBy || parents[0]?.relative.id || '';
  const write = useCaseWrite(c.id, casesApi.recordConsent, onClose);
  const submit = () => {
    const filled = {
      givenBy: chosen !== '',
      decidedOn: ISO_DAY.test(decidedOn),
      language: language.trim() !== '',
      witnessUserId: officer || witnessUserId !== '',
      witnessName: named || witnessName.trim() !== '',
      childIds: childIds.length > 0,
    };
    if (!required.check(filled)) return;
    const input: ConsentInput = {
      givenBy: chosen,
      kind,
      decidedOn,
      language: language.trim(),
      childIds,
      ...(named ? { witnessUserId } : {}),
      ...(witnessName.trim() && !named ? { witnessName: witnessName.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    write.mutation.mutate(input);
  };
  return (
    <CaseFormModal
      title={t('cases.consent.record')}
      testId="consent-form"
      onClose={onClose}
      onSubmit={submit}
      pending={write.mutation.isPending}
      error={write.mutation.error}
      shownByFields={/^(givenBy|kind|decidedOn|language|witnessName|witnessUserId|childIds|note)/}
    >
      <NativeSelect
        label={t('cases.consent.givenBy')}
        description={parents.length === 0 && !person.isPending ? t('cases.consent.noParents') : t('cases.consent.givenByHint')}
        required
        value={chosen}
        onChange={(event) => {
          setGivenBy(event.currentTarget.value);
          required.clear('givenBy');
        }}
        data={parents.map((l) => ({ value: l.relative.id, label: `${l.relative.displayName} (${t(`person.relations.${l.relation}`)})` }))}
        error={required.error('givenBy', write.serverError('givenBy'))}
        data-testid="consent-given-by"
      />
      <Radio.Group label={t('cases.consent.kind')} value={kind} onChange={(value) => setKind(value as ConsentKind)} data-testid="consent-kind">
        <Group gap="md" mt={4}>
          {CONSENT_KINDS.map((k) => (
            <Radio key={k} value={k} label={t(`cases.consentKinds.${k}`)} data-testid={`consent-kind-${k}`} />
          ))}
        </Group>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput type="date" label={t('cases.consent.decidedOn')} required value={decidedOn} max={localDay()} onChange={(e) => setDecidedOn(e.currentTarget.value)} error={required.error('decidedOn', write.serverError('decidedOn'))} data-testid="consent-decided-on" />
        <TextInput
          label={t('cases.consent.language')}
          description={t('cases.consent.languageHint')}
          required
          value={language}
          onChange={(e) => {
            setLanguage(e.currentTarget.value);
            required.clear('language');
          }}
          maxLength={50}
          error={required.error('language', write.serverError('language'))}
          data-testid="consent-language"
        />
      </SimpleGrid>
      {!officer && (
        <NativeSelect
          label={t('cases.consent.witnessOfficer')}
          description={t('cases.consent.witnessCoordinatorHint')}
          required
          value={witnessUserId}
          onChange={(event) => {
            setWitnessUserId(event.currentTarget.value);
            required.clear('witnessUserId');
          }}
          data={[
            { value: '', label: witnesses.isPending ? t('common.loading') : t('cases.consent.chooseWitness') },
            ...(witnesses.data?.data ?? []).map((w) => ({ value: w.id, label: w.displayName })),
            { value: 'none', label: t('cases.consent.noWitness') },
          ]}
          error={required.error('witnessUserId', write.serverError('witnessUserId'))}
          data-testid="consent-witness-officer"
        />
      )}
      {!officer && witnessUserId === 'none' && (
        <Text size="sm" c="orange.8" data-testid="consent-witness-warning">
          {t('cases.consent.noWitnessWarning')}
        </Text>
      )}
      {!named && (
      <TextInput
        label={officer ? t('cases.consent.witness') : t('cases.consent.witnessName')}
        description={officer ? t('cases.consent.witnessHint') : t('cases.consent.witnessNameHint')}
        required
        value={witnessName}
        onChange={(e) => {
          setWitnessName(e.currentTarget.value);
          required.clear('witnessName');
        }}
        maxLength={200}
        attributes={{ input: { dir: 'auto' } }}
        error={required.error('witnessName', write.serverError('witnessName'))}
        data-testid="consent-witness"
      />
      )}
      <Checkbox.Group
        label={t('cases.consent.children')}
        value={[...childIds]}
        onChange={(value) => {
          setChildIds(value);
          required.clear('childIds');
        }}
        error={required.error('childIds', write.serverError('childIds'))}
        data-testid="consent-children"
      >
        <Stack gap={4} mt={4}>
          {children.map((m) => (
            <Checkbox key={m.personId} value={m.personId} label={<bdi>{m.displayName}</bdi>} data-testid="consent-child" />
          ))}
        </Stack>
      </Checkbox.Group>
      <Textarea label={t('cases.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={write.serverError('note')} data-testid="consent-note" />
    </CaseFormModal>
  );
}

/** No consent is needed: both parents deceased, no parent with custody, or a court order. */
function ExemptionForm({ c, member, onClose }: { readonly c: Case; readonly member: CaseMember; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<ConsentExemptionReason>('both_parents_deceased');
  const [recordedOn, setRecordedOn] = useState(localDay());
  const [note, setNote] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (input: { reason: ConsentExemptionReason; recordedOn: string; note?: string }) => casesApi.recordExemption(member.personId, input), onClose);
  const submit = () => {
    if (!required.check({ recordedOn: ISO_DAY.test(recordedOn) })) return;
    write.mutation.mutate({ reason, recordedOn, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  return (
    <CaseFormModal title={t('cases.consent.exempt')} testId="exemption-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} shownByFields={/^(reason|recordedOn|note)/}>
      <NativeSelect
        label={t('cases.consent.exemptionReason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value as ConsentExemptionReason)}
        data={CONSENT_EXEMPTIONS.map((r) => ({ value: r, label: t(`cases.exemptions.${r}`) }))}
        error={write.serverError('reason')}
        data-testid="exemption-reason"
      />
      <TextInput type="date" label={t('cases.consent.recordedOn')} required value={recordedOn} max={localDay()} onChange={(e) => setRecordedOn(e.currentTarget.value)} error={required.error('recordedOn', write.serverError('recordedOn'))} data-testid="exemption-recorded-on" />
      <Textarea label={t('cases.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={write.serverError('note')} />
    </CaseFormModal>
  );
}

/** An exemption withdrawn (entered in error, or the facts changed): consent is needed again. */
function WithdrawExemptionForm({ c, exemptionId, onClose }: { readonly c: Case; readonly exemptionId: string; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (r: string) => casesApi.withdrawExemption(exemptionId, r), onClose);
  const submit = () => {
    if (!required.check({ reason: reason.trim() !== '' })) return;
    write.mutation.mutate(reason.trim());
  };
  return (
    <CaseFormModal title={t('cases.consent.withdrawExemption')} testId="exemption-withdraw-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} submitColor="red" submitLabel={t('cases.consent.withdrawExemption')} shownByFields={/^reason/}>
      <Text size="sm">{t('cases.consent.withdrawExemptionHint')}</Text>
      <Textarea label={t('cases.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={required.error('reason', write.serverError('reason'))} data-testid="exemption-withdraw-reason" />
    </CaseFormModal>
  );
}

/** A record entered in error is voided, with a reason; it never counts again. */
function VoidForm({ c, record, onClose }: { readonly c: Case; readonly record: ConsentRecordView; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (r: string) => casesApi.voidConsent(record.id, r), onClose);
  const submit = () => {
    if (!required.check({ reason: reason.trim() !== '' })) return;
    write.mutation.mutate(reason.trim());
  };
  return (
    <CaseFormModal title={t('cases.consent.void')} testId="consent-void-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} submitColor="red" submitLabel={t('cases.consent.void')} shownByFields={/^reason/}>
      <Textarea label={t('cases.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={required.error('reason', write.serverError('reason'))} data-testid="consent-void-reason" />
    </CaseFormModal>
  );
}

type Open =
  | { readonly kind: 'record' }
  | { readonly kind: 'exempt' }
  | { readonly kind: 'withdraw-exemption'; readonly id: string }
  | { readonly kind: 'void'; readonly record: ConsentRecordView }
  | { readonly kind: 'document'; readonly record: ConsentRecordView }
  | null;

/** Consent: the decision in force, every record behind it, and (for child protection and the coordinator) a new one. */
export function ConsentPanel({ c, member, consent, user }: { readonly c: Case; readonly member: CaseMember; readonly consent: NonNullable<MemberPanels['consent']>; readonly user: User }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const [open, setOpen] = useState<Open>(null);
  const may = mayRecordConsent(user);
  const effective = consent.effective.status;
  const status = consent.exemption ? 'exempt' : effective;
  return (
    <PanelSection title={t('cases.consent.title')} testId="consent-panel" personId={member.personId} status={status}>
      <Group gap="xs" mb="xs">
        <Badge color={consent.exemption ? 'green' : EFFECTIVE_COLOR[effective]} variant="light" className="hw-badge" data-testid="consent-effective" data-status={status}>
          {consent.exemption ? t('cases.consent.exempted') : t(`cases.consentStatus.${effective}`)}
        </Badge>
      </Group>
      {consent.exemption && (
        <Group gap="xs" mb="xs" wrap="wrap" data-testid="consent-exemption" data-exemption-id={consent.exemption.id}>
          <Text size="sm">{t('cases.consent.exemptionOn', { reason: t(`cases.exemptions.${consent.exemption.reason}`), date: text.date(consent.exemption.recordedOn) })}</Text>
          {consent.exemption.note && (
            <Text size="xs" c="dimmed" dir="auto" className="hw-evidence">
              {consent.exemption.note}
            </Text>
          )}
          {may && consent.exemption.id && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => setOpen({ kind: 'withdraw-exemption', id: consent.exemption?.id ?? '' })} data-testid="exemption-withdraw">
              {t('cases.consent.withdrawExemption')}
            </Button>
          )}
        </Group>
      )}
      {consent.records.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('cases.consent.noRecords')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table fz="sm" data-testid="consent-records">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cases.consent.kind')}</Table.Th>
                <Table.Th>{t('cases.consent.decidedOn')}</Table.Th>
                <Table.Th>{t('cases.consent.givenBy')}</Table.Th>
                <Table.Th>{t('cases.consent.language')}</Table.Th>
                <Table.Th>{t('cases.consent.witness')}</Table.Th>
                <Table.Th>{t('cases.consent.document')}</Table.Th>
                {may && <Table.Th aria-label={t('cases.actions')} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {consent.records.map((r) => (
                <Table.Tr key={r.id} data-testid="consent-record" data-kind={r.kind} data-voided={String(r.voided !== null)} data-in-force={String(r.id === consent.effective.recordId)} className={r.voided ? 'hw-struck' : undefined}>
                  <Table.Td>
                    {t(`cases.consentKinds.${r.kind}`)}
                    {r.id === consent.effective.recordId && (
                      <Badge ms={6} size="xs" color="blue" variant="light" className="hw-badge">
                        {t('cases.consent.inForce')}
                      </Badge>
                    )}
                    {r.voided && (
                      <Badge ms={6} size="xs" color="gray" className="hw-badge">
                        {t('cases.consent.voided')}
                      </Badge>
                    )}
                    {r.ignoredBecause && !r.voided && (
                      <Text size="xs" c="orange.8" data-testid="consent-ignored" data-reason={r.ignoredBecause}>
                        {text.or(`cases.consent.ignored.${r.ignoredBecause}`, r.ignoredBecause)}
                      </Text>
                    )}
                    {r.voided?.reason && (
                      <Text size="xs" c="dimmed" dir="auto">
                        {r.voided.reason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className="hw-nowrap">{text.date(r.decidedOn)}</Table.Td>
                  <Table.Td dir="auto" className="hw-name">
                    {r.givenBy.displayName ?? t('common.none')}
                  </Table.Td>
                  <Table.Td dir="auto">{r.language ?? t('common.none')}</Table.Td>
                  <Table.Td dir="auto">
                    {r.witnessName ?? t('common.none')}
                    {r.witnessed !== undefined && (
                      <Text size="xs" c={r.witnessed ? 'dimmed' : 'orange.8'} data-testid="consent-witnessed" data-witnessed={String(r.witnessed)}>
                        {r.witnessed ? t('cases.consent.witnessedByOfficer') : t('cases.consent.notWitnessedByOfficer')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td data-testid="consent-document" data-has-document={String(r.hasDocument)}>
                    {r.hasDocument && may ? <DocumentLink href={consentDocumentUrl(r.id)} testId="consent-document-link" /> : r.hasDocument ? t('common.yes') : t('common.no')}
                  </Table.Td>
                  {may && (
                    <Table.Td className="hw-nowrap">
                      {!r.voided && (
                        <Button size="compact-xs" variant="subtle" onClick={() => setOpen({ kind: 'document', record: r })} data-testid="consent-document-upload">
                          {r.hasDocument ? t('cases.document.replace') : t('cases.document.upload')}
                        </Button>
                      )}
                      {!r.voided && (
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => setOpen({ kind: 'void', record: r })} data-testid="consent-void">
                          {t('cases.consent.void')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {may && (
        <Group gap="xs" mt="sm">
          <Button size="compact-sm" onClick={() => setOpen({ kind: 'record' })} data-testid="consent-record-open">
            {t('cases.consent.record')}
          </Button>
          {!consent.exemption && (
            <Button size="compact-sm" variant="light" onClick={() => setOpen({ kind: 'exempt' })} data-testid="consent-exempt-open">
              {t('cases.consent.exempt')}
            </Button>
          )}
        </Group>
      )}
      {open?.kind === 'record' && <ConsentForm c={c} member={member} user={user} onClose={() => setOpen(null)} />}
      {open?.kind === 'exempt' && <ExemptionForm c={c} member={member} onClose={() => setOpen(null)} />}
      {open?.kind === 'void' && <VoidForm c={c} record={open.record} onClose={() => setOpen(null)} />}
      {open?.kind === 'withdraw-exemption' && <WithdrawExemptionForm c={c} exemptionId={open.id} onClose={() => setOpen(null)} />}
      {open?.kind === 'document' && (
        <DocumentForm
          caseId={c.id}
          title={t('cases.consent.documentTitle')}
          subject={`${t(`cases.consentKinds.${open.record.kind}`)} · ${text.date(open.record.decidedOn)}${open.record.givenBy.displayName ? ` · \u2068${open.record.givenBy.displayName}\u2069` : ''}`}
          testId="consent-document-form"
          send={(file) => casesApi.attachConsentDocument(open.record.id, file)}
          onClose={() => setOpen(null)}
        />
      )}
    </PanelSection>
  );
}
