import { Badge, Button, NativeSelect, SimpleGrid, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AssuranceInput, type AssuranceView, type Case, assuranceDocumentUrl, casesApi, localDay, mayGiveAssurance } from '../api/cases';
import type { User } from '../api/types';
import { DocumentForm, DocumentLink } from './CaseDocumentForm';
import { CaseFormModal, useCaseWrite, useRequired } from './CaseForm';
import { PanelSection } from './CasePanelSection';
import { useCaseText } from './caseText';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Kinds of assurance commonly given; the field takes any words. */
const SUGGESTED_TYPES = ['child_rights', 'no_prosecution', 'reintegration', 'family_reunification', 'education_health'] as const;

/** An assurance the home country gives for the whole case, or for one person on it. */
function AssuranceForm({ c, onClose }: { readonly c: Case; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [type, setType] = useState('');
  const [givenOn, setGivenOn] = useState(localDay());
  const [issuingAuthority, setIssuingAuthority] = useState('');
  const [personId, setPersonId] = useState('');
  const [note, setNote] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (input: AssuranceInput) => casesApi.addAssurance(c.id, input), onClose);
  const submit = () => {
    if (!required.check({ type: type.trim() !== '', givenOn: ISO_DAY.test(givenOn), issuingAuthority: issuingAuthority.trim() !== '' })) return;
    write.mutation.mutate({ type: type.trim(), givenOn, issuingAuthority: issuingAuthority.trim(), ...(personId ? { personId } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
  };
  const listId = `assurance-types-${c.id}`;
  return (
    <CaseFormModal title={t('cases.assurances.add')} testId="assurance-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} shownByFields={/^(type|givenOn|issuingAuthority|personId|note)/}>
      <TextInput
        label={t('cases.assurances.type')}
        description={t('cases.assurances.typeHint')}
        required
        value={type}
        onChange={(e) => {
          setType(e.currentTarget.value);
          required.clear('type');
        }}
        maxLength={200}
        list={listId}
        attributes={{ input: { dir: 'auto' } }}
        error={required.error('type', write.serverError('type'))}
        data-testid="assurance-type"
      />
      <datalist id={listId}>
        {SUGGESTED_TYPES.map((s) => (
          <option key={s} value={t(`cases.assuranceTypes.${s}`)} />
        ))}
      </datalist>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput type="date" label={t('cases.assurances.givenOn')} required value={givenOn} max={localDay()} onChange={(e) => setGivenOn(e.currentTarget.value)} error={required.error('givenOn', write.serverError('givenOn'))} data-testid="assurance-given-on" />
        <NativeSelect
          label={t('cases.assurances.for')}
          value={personId}
          onChange={(e) => setPersonId(e.currentTarget.value)}
          data={[{ value: '', label: t('cases.assurances.wholeCase') }, ...c.members.filter((m) => !m.left).map((m) => ({ value: m.personId, label: m.displayName }))]}
          error={write.serverError('personId')}
          data-testid="assurance-person"
        />
      </SimpleGrid>
      <TextInput
        label={t('cases.assurances.issuingAuthority')}
        required
        value={issuingAuthority}
        onChange={(e) => {
          setIssuingAuthority(e.currentTarget.value);
          required.clear('issuingAuthority');
        }}
        maxLength={300}
        attributes={{ input: { dir: 'auto' } }}
        error={required.error('issuingAuthority', write.serverError('issuingAuthority'))}
        data-testid="assurance-authority"
      />
      <Textarea label={t('cases.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={write.serverError('note')} data-testid="assurance-note" />
    </CaseFormModal>
  );
}

/** An assurance withdrawn by the country no longer counts. */
function WithdrawForm({ c, assurance, onClose }: { readonly c: Case; readonly assurance: AssuranceView; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (r: string) => casesApi.withdrawAssurance(assurance.id, r), onClose);
  const submit = () => {
    if (!required.check({ reason: reason.trim() !== '' })) return;
    write.mutation.mutate(reason.trim());
  };
  return (
    <CaseFormModal title={t('cases.assurances.withdraw')} testId="assurance-withdraw-form" onClose={onClose} onSubmit={submit} pending={write.mutation.isPending} error={write.mutation.error} submitColor="red" submitLabel={t('cases.assurances.withdraw')} shownByFields={/^reason/}>
      <Text size="sm" dir="auto">
        <bdi>{assurance.type}</bdi> — <bdi>{assurance.issuingAuthority}</bdi>
      </Text>
      <Textarea label={t('cases.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={required.error('reason', write.serverError('reason'))} data-testid="assurance-withdraw-reason" />
    </CaseFormModal>
  );
}

/** The legal assurances the home country gave for the case (or one person on it); the embassy and the coordinator record them. */
export function AssurancesPanel({ c, assurances, user }: { readonly c: Case; readonly assurances: readonly AssuranceView[]; readonly user: User }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const [open, setOpen] = useState<'add' | AssuranceView | null>(null);
  const [uploading, setUploading] = useState<AssuranceView | null>(null);
  const may = mayGiveAssurance(user);
  const names = new Map(c.members.map((m) => [m.personId, m.displayName]));
  const inForce = assurances.filter((a) => !a.withdrawnAt).length;
  return (
    <PanelSection title={t('cases.assurances.title')} testId="assurances-panel" status={String(inForce)}>
      <Text size="sm" c="dimmed" mb="xs">
        {t('cases.assurances.intro', { country: text.country(c.countryCode) })}
      </Text>
      {assurances.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="assurances-none">
          {t('cases.assurances.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="sm" data-testid="assurances">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('cases.assurances.type')}</Table.Th>
                <Table.Th>{t('cases.assurances.givenOn')}</Table.Th>
                <Table.Th>{t('cases.assurances.issuingAuthority')}</Table.Th>
                <Table.Th>{t('cases.assurances.for')}</Table.Th>
                <Table.Th>{t('cases.consent.document')}</Table.Th>
                {may && <Table.Th aria-label={t('cases.actions')} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {assurances.map((a) => (
                <Table.Tr key={a.id} data-testid="assurance-row" data-withdrawn={String(a.withdrawnAt !== null)} className={a.withdrawnAt ? 'hw-struck' : undefined}>
                  <Table.Td dir="auto">
                    <bdi>{a.type}</bdi>
                    {a.withdrawnAt && (
                      <Badge ms={6} size="xs" color="gray" className="hw-badge">
                        {t('cases.assurances.withdrawn')}
                      </Badge>
                    )}
                    {a.note && (
                      <Text size="xs" c="dimmed" className="hw-evidence">
                        {a.note}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td className="hw-nowrap">{text.date(a.givenOn)}</Table.Td>
                  <Table.Td dir="auto">{a.issuingAuthority}</Table.Td>
                  <Table.Td dir="auto">{a.personId ? (names.get(a.personId) ?? t('common.none')) : t('cases.assurances.wholeCase')}</Table.Td>
                  <Table.Td data-testid="assurance-document" data-has-document={String(a.hasDocument)}>
                    {a.hasDocument && may ? <DocumentLink href={assuranceDocumentUrl(a.id)} testId="assurance-document-link" /> : a.hasDocument ? t('common.yes') : t('common.no')}
                  </Table.Td>
                  {may && (
                    <Table.Td className="hw-nowrap">
                      {!a.withdrawnAt && (
                        <Button size="compact-xs" variant="subtle" onClick={() => setUploading(a)} data-testid="assurance-document-upload">
                          {a.hasDocument ? t('cases.document.replace') : t('cases.document.upload')}
                        </Button>
                      )}
                      {!a.withdrawnAt && (
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => setOpen(a)} data-testid="assurance-withdraw">
                          {t('cases.assurances.withdraw')}
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
        <Button size="compact-sm" mt="sm" onClick={() => setOpen('add')} data-testid="assurance-open">
          {t('cases.assurances.add')}
        </Button>
      )}
      {open === 'add' && <AssuranceForm c={c} onClose={() => setOpen(null)} />}
      {open && open !== 'add' && <WithdrawForm c={c} assurance={open} onClose={() => setOpen(null)} />}
      {uploading && (
        <DocumentForm
          caseId={c.id}
          title={t('cases.assurances.documentTitle')}
          subject={`\u2068${uploading.type}\u2069 — \u2068${uploading.issuingAuthority}\u2069`}
          testId="assurance-document-form"
          send={(file) => casesApi.attachAssuranceDocument(uploading.id, file)}
          onClose={() => setUploading(null)}
        />
      )}
    </PanelSection>
  );
}
