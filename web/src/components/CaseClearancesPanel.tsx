import { Badge, Button, Radio, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Group } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CLEARANCE_DECISIONS,
  CLEARING_AGENCIES,
  type Case,
  type CaseMember,
  type ClearanceDecision,
  type ClearanceInput,
  type ClearanceView,
  type ClearingAgency,
  type EffectiveClearance,
  type MemberPanels,
  casesApi,
  clearingAgencyOf,
  localDay,
} from '../api/cases';
import type { User } from '../api/types';
import { CaseFormModal, useCaseWrite, useRequired } from './CaseForm';
import { PanelSection } from './CasePanelSection';
import { useCaseText } from './caseText';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const EFFECTIVE_COLOR: Readonly<Record<EffectiveClearance, string>> = { approved: 'green', denied: 'red', expired: 'orange', missing: 'yellow' };
const EFFECTIVE_MARK: Readonly<Record<EffectiveClearance, string>> = { approved: '✓', denied: '✗', expired: '⟳', missing: '?' };

/** The caller's agency's decision on this person's return: approve, approve with conditions, or deny, with reasons and validity. */
function ClearanceForm({ c, member, agency, onClose }: { readonly c: Case; readonly member: CaseMember; readonly agency: ClearingAgency; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const [decision, setDecision] = useState<ClearanceDecision>('approve');
  const [decidedOn, setDecidedOn] = useState(localDay());
  const [validUntil, setValidUntil] = useState(localDay(180));
  const [conditions, setConditions] = useState('');
  const [reasons, setReasons] = useState('');
  const required = useRequired();
  const write = useCaseWrite(c.id, (input: ClearanceInput) => casesApi.recordClearance(c.id, input), onClose);
  const conditionList = conditions.split('\n').map((l) => l.trim()).filter(Boolean);
  const submit = () => {
    const ok = required.check({
      decidedOn: ISO_DAY.test(decidedOn),
      reasons: reasons.trim() !== '',
      conditions: decision !== 'approve_with_conditions' || conditionList.length > 0,
      validUntil: validUntil === '' || (ISO_DAY.test(validUntil) && validUntil >= decidedOn),
    });
    if (!ok) return;
    const input: ClearanceInput = {
      personId: member.personId,
      decision,
      decidedOn,
      reasons: reasons.trim(),
      ...(decision !== 'deny' && validUntil ? { validUntil } : {}),
      ...(decision === 'approve_with_conditions' ? { conditions: conditionList } : {}),
    };
    write.mutation.mutate(input);
  };
  return (
    <CaseFormModal
      title={t('cases.clearances.decideAs', { agency: text.agency(agency) })}
      testId="clearance-form"
      onClose={onClose}
      onSubmit={submit}
      pending={write.mutation.isPending}
      error={write.mutation.error}
      shownByFields={/^(decision|decidedOn|validUntil|conditions|reasons)/}
    >
      <Text size="sm" dir="auto">
        <bdi>{member.displayName}</bdi>
      </Text>
      <Radio.Group label={t('cases.clearances.decision')} value={decision} onChange={(v) => setDecision(v as ClearanceDecision)} data-testid="clearance-decision">
        <Group gap="md" mt={4}>
          {CLEARANCE_DECISIONS.map((d) => (
            <Radio key={d} value={d} label={t(`cases.clearanceDecisions.${d}`)} data-testid={`clearance-decision-${d}`} />
          ))}
        </Group>
      </Radio.Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput type="date" label={t('cases.clearances.decidedOn')} required value={decidedOn} max={localDay()} onChange={(e) => setDecidedOn(e.currentTarget.value)} error={required.error('decidedOn', write.serverError('decidedOn'))} data-testid="clearance-decided-on" />
        {decision !== 'deny' && (
          <TextInput type="date" label={t('cases.clearances.validUntil')} description={t('cases.clearances.validUntilHint')} value={validUntil} min={decidedOn} onChange={(e) => setValidUntil(e.currentTarget.value)} error={required.error('validUntil', write.serverError('validUntil'))} data-testid="clearance-valid-until" />
        )}
      </SimpleGrid>
      {decision === 'approve_with_conditions' && (
        <Textarea label={t('cases.clearances.conditions')} description={t('cases.clearances.conditionsHint')} required value={conditions} onChange={(e) => { setConditions(e.currentTarget.value); required.clear('conditions'); }} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={required.error('conditions', write.serverError('conditions'))} data-testid="clearance-conditions" />
      )}
      <Textarea label={t('cases.clearances.reasons')} required value={reasons} onChange={(e) => { setReasons(e.currentTarget.value); required.clear('reasons'); }} maxLength={4000} autosize minRows={2} attributes={{ input: { dir: 'auto' } }} error={required.error('reasons', write.serverError('reasons'))} data-testid="clearance-reasons" />
    </CaseFormModal>
  );
}

/** The four clearances, one row per agency: the status that counts, the decision behind it, its validity; the caller's own agency decides here. */
export function ClearancesPanel({ c, member, panels, user }: { readonly c: Case; readonly member: CaseMember; readonly panels: MemberPanels; readonly user: User }) {
  const { t } = useTranslation();
  const text = useCaseText();
  const [open, setOpen] = useState(false);
  const own = clearingAgencyOf(user);
  const latest = (agency: ClearingAgency): ClearanceView | undefined => {
    const all = (panels.clearances ?? []).filter((x) => x.agency === agency);
    return all.find((x) => x.current) ?? all[0];
  };
  const allApproved = CLEARING_AGENCIES.every((a) => panels.effectiveClearances?.[a] === 'approved');
  return (
    <PanelSection title={t('cases.clearances.title')} testId="clearances-panel" personId={member.personId} status={allApproved ? 'cleared' : 'pending'}>
      <Table fz="sm" data-testid="clearances">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('cases.clearances.agency')}</Table.Th>
            <Table.Th>{t('cases.clearances.status')}</Table.Th>
            <Table.Th>{t('cases.clearances.decision')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {CLEARING_AGENCIES.map((agency) => {
            const effective: EffectiveClearance = panels.effectiveClearances?.[agency] ?? 'missing';
            const record = latest(agency);
            return (
              <Table.Tr key={agency} data-testid="clearance-row" data-agency={agency} data-status={effective}>
                <Table.Td>{t(`cases.agencyTitles.${agency}`)}</Table.Td>
                <Table.Td>
                  <Badge color={EFFECTIVE_COLOR[effective]} variant="light" className="hw-badge" leftSection={<span aria-hidden>{EFFECTIVE_MARK[effective]}</span>}>
                    {t(`cases.effectiveClearance.${effective}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {record ? (
                    <Stack gap={0}>
                      <Text size="sm">
                        {t(`cases.clearanceDecisions.${record.decision}`)} · {text.date(record.decidedOn)}
                      </Text>
                      {record.validUntil && (
                        <Text size="xs" c="dimmed" data-testid="clearance-valid-until-value">
                          {t('cases.clearances.validUntilValue', { date: text.date(record.validUntil) })}
                        </Text>
                      )}
                      {record.conditions.length > 0 && (
                        <Text size="xs" c="dimmed" dir="auto">
                          {t('cases.clearances.conditionsList', { list: text.list(record.conditions) })}
                        </Text>
                      )}
                      {record.reasons && (
                        <Text size="xs" c="dimmed" dir="auto" className="hw-evidence">
                          {record.reasons}
                        </Text>
                      )}
                    </Stack>
                  ) : (
                    t('common.none')
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {own && (
        <Button size="compact-sm" mt="sm" onClick={() => setOpen(true)} data-testid="clearance-open" data-agency={own}>
          {t('cases.clearances.decideAs', { agency: text.agency(own) })}
        </Button>
      )}
      {open && own && <ClearanceForm c={c} member={member} agency={own} onClose={() => setOpen(false)} />}
    </PanelSection>
  );
}
