import { Alert, Anchor, Badge, Button, Group, List, Loader, NativeSelect, Paper, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { casesApi } from '../api/cases';
import { ApiError, type ErrorDetail, fieldError } from '../api/client';
import {
  ESCORT_ROLES,
  type EscortRole,
  type FailedCheck,
  INVOICES_KEY,
  type Movement,
  type Passenger,
  type TransitionName,
  manifestPdfUrl,
  mayPlanMovements,
  mayRecordFitness,
  maySeeInvoices,
  movementKey,
  movementsApi,
  sentManifestUrl,
} from '../api/movements';
import { useCountryName } from '../api/queries';
import type { User } from '../api/types';
import { ErrorAlert } from '../components/ErrorAlert';
import { COMPLETION_REFUSALS, CompletionRefusal, HandoverCell, ReceiptForm } from '../components/HandoverReceipt';
import { FormModal, useMovementAction } from '../components/MovementForm';
import { PageTitle } from '../components/PageTitle';
import { CategoryNote } from '../components/CategoryNote';
import { useMoment } from '../components/VerificationStatus';
import { MOVEMENTS_PATH, casePath } from '../navigation';
import { onLinkClick } from '../router/router';
import { InvoiceCard, MovementStatusBadge } from './MovementsPage';

const todayIso = () => new Date().toISOString().slice(0, 10);
const addDaysIso = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A failed pre-departure check in the user's language, by its code (`manifest_<check>`). */
function useCheckText() {
  const { t, i18n } = useTranslation();
  return (f: { code?: string; params?: Readonly<Record<string, string | number>>; message: string }) => {
    const key = `movements.checkCodes.${f.code ?? ''}`;
    return f.code && i18n.exists(key) ? String(t(key as 'movements.checkCodes.manifest_travel_document', { ...(f.params ?? {}) })) : f.message;
  };
}

/** The refusal of a lock: every failed check, passenger by passenger. */
function LockRefusal({ error, m }: { readonly error: ApiError; readonly m: Movement }) {
  const { t } = useTranslation();
  const checkText = useCheckText();
  const names = new Map(m.passengers.map((p) => [p.personId, p.displayName]));
  const byPassenger = new Map<string, ErrorDetail[]>();
  const general: ErrorDetail[] = [];
  for (const d of error.details) {
    const match = /^passengers\.([^.]+)\./.exec(d.path);
    if (match?.[1]) byPassenger.set(match[1], [...(byPassenger.get(match[1]) ?? []), d]);
    else general.push(d);
  }
  return (
    <Alert color="red" role="alert" title={t('movements.lock.refused')} data-testid="lock-refusal">
      {general.length > 0 && (
        <List size="sm" mb="xs">
          {general.map((d) => (
            <List.Item key={d.path} data-testid="lock-refusal-movement" data-code={d.code}>
              {checkText(d)}
            </List.Item>
          ))}
        </List>
      )}
      <List size="sm">
        {[...byPassenger].map(([personId, details]) => (
          <List.Item key={personId} data-testid="lock-refusal-passenger" data-person-id={personId}>
            <Text span fw={600} dir="auto">
              <bdi>{names.get(personId) ?? String(details[0]?.params?.name ?? personId)}</bdi>:{' '}
            </Text>
            {details.map((d) => checkText(d)).join(' · ')}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** Lock, unlock, depart, complete, cancel: the movement's transitions open to the caller. */
function Actions({ m }: { readonly m: Movement }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState<TransitionName | null>(null);
  const [reason, setReason] = useState('');
  const move = useMovementAction(m, ({ name, reason }: { name: TransitionName; reason?: string }) => movementsApi.transition(m.id, name, m.version, reason), () => setAsking(null));
  const options = m.allowedActions.transitions;
  if (options.length === 0) return null;
  const lockError = move.error instanceof ApiError && move.error.code === 'manifest_checks_failed' ? move.error : null;
  const completeError = move.error instanceof ApiError && COMPLETION_REFUSALS.has(move.error.code) ? move.error : null;
  return (
    <Paper withBorder p="md" component="section" data-testid="movement-actions">
      <Title order={2} size="h4" mb="xs">
        {t('movements.actionsTitle')}
      </Title>
      {lockError ? <LockRefusal error={lockError} m={m} /> : completeError ? <CompletionRefusal error={completeError} /> : move.error && !asking ? <ErrorAlert error={move.error} testId="movement-action-error" /> : null}
      <Group mt="sm" gap="sm">
        {options.map((o) => (
          <Button
            key={`${o.name}:${o.to}`}
            variant={o.name === 'cancel' || o.name === 'unlock' ? 'light' : 'filled'}
            color={o.name === 'cancel' ? 'red' : undefined}
            loading={move.isPending && move.variables?.name === o.name}
            onClick={() => {
              move.reset();
              if (o.needsReason) {
                setReason('');
                setAsking(o.name);
              } else move.mutate({ name: o.name });
            }}
            data-testid={`movement-${o.name}`}
            data-allowed={String(o.allowed)}
          >
            {t(`movements.transitions.${o.name}`)}
          </Button>
        ))}
      </Group>
      {m.status === 'planned' && m.checks && !m.checks.ok && (
        <Text size="sm" c="dimmed" mt="xs">
          {t('movements.lock.hint')}
        </Text>
      )}
      {asking && (
        <FormModal title={t(`movements.transitions.${asking}`)} testId="movement-reason" onClose={() => setAsking(null)} onSubmit={() => move.mutate({ name: asking, reason: reason.trim() })} pending={move.isPending} error={move.error} submitLabel={t(`movements.transitions.${asking}`)}>
          <Textarea label={t('cases.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} maxLength={2000} attributes={{ input: { dir: 'auto' } }} data-testid="movement-reason-input" />
        </FormModal>
      )}
    </Paper>
  );
}

/** The pre-departure checks, as they stand for the departure date, passenger by passenger. */
function Checks({ m }: { readonly m: Movement }) {
  const { t } = useTranslation();
  const checkText = useCheckText();
  if (!m.checks) return null;
  return (
    <Paper withBorder p="md" component="section" data-testid="movement-checks" data-ok={String(m.checks.ok)}>
      <Title order={2} size="h4" mb="xs">
        {t('movements.checks.title', { date: m.departureDate })}
      </Title>
      {m.checks.ok ? (
        <Text c="green.8" data-testid="checks-ok">
          {t('movements.checks.ok')}
        </Text>
      ) : (
        <Stack gap={4}>
          {m.checks.movement.map((f) => (
            <Text key={f.code} size="sm" c="red.8" data-testid="check-movement" data-code={f.code}>
              {checkText(f)}
            </Text>
          ))}
          {m.checks.passengers.map((p) => (
            <Text key={p.personId} size="sm" data-testid="check-passenger" data-person-id={p.personId}>
              <Text span fw={600} dir="auto">
                <bdi>{p.displayName}</bdi>:{' '}
              </Text>
              {p.failed.map((f: FailedCheck) => (
                <Badge key={f.code} color="red" variant="light" mx={2} className="hw-badge" data-testid="check-failed" data-code={f.code} title={f.message}>
                  {checkText(f)}
                </Badge>
              ))}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}

function TravelDocumentForm({ m, p, onClose }: { readonly m: Movement; readonly p: Passenger; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState('');
  const [expiresOn, setExpiresOn] = useState(addDaysIso(365));
  const save = useMovementAction(m, () => movementsApi.travelDocument(p.personId, { kind: 'travel_document', number: number.trim(), expiresOn, ...(m.countryCode ? { countryCode: m.countryCode } : {}) }), onClose);
  return (
    <FormModal title={t('movements.fix.documentTitle', { name: p.displayName })} testId="document-form" onClose={onClose} onSubmit={() => save.mutate(undefined)} pending={save.isPending} error={save.error} submitLabel={t('personEdit.save')}>
      <TextInput label={t('movements.fix.documentNumber')} required value={number} onChange={(e) => setNumber(e.currentTarget.value)} maxLength={100} error={fieldError(save.error, 'number')} data-testid="document-number" />
      <TextInput type="date" label={t('movements.fix.expiresOn')} value={expiresOn} onChange={(e) => setExpiresOn(e.currentTarget.value)} error={fieldError(save.error, 'expiresOn')} data-testid="document-expires" />
    </FormModal>
  );
}

function FitnessForm({ m, p, onClose }: { readonly m: Movement; readonly p: Passenger; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [assessedOn, setAssessedOn] = useState(todayIso());
  const [assessedBy, setAssessedBy] = useState('');
  const save = useMovementAction(m, () => movementsApi.fitness(p.personId, { assessedOn, fit: true, ...(assessedBy.trim() ? { assessedBy: assessedBy.trim() } : {}) }), onClose);
  return (
    <FormModal title={t('movements.fix.fitnessTitle', { name: p.displayName })} testId="fitness-form" onClose={onClose} onSubmit={() => save.mutate(undefined)} pending={save.isPending} error={save.error} submitLabel={t('movements.fix.fit')}>
      <TextInput type="date" label={t('movements.fix.assessedOn')} required value={assessedOn} onChange={(e) => setAssessedOn(e.currentTarget.value)} error={fieldError(save.error, 'assessedOn')} data-testid="fitness-date" />
      <TextInput label={t('movements.fix.assessedBy')} value={assessedBy} onChange={(e) => setAssessedBy(e.currentTarget.value)} maxLength={200} data-testid="fitness-by" />
    </FormModal>
  );
}

function HandoverForm({ m, p, onClose }: { readonly m: Movement; readonly p: Passenger; readonly onClose: () => void }) {
  const { t } = useTranslation();
  const [receivedBy, setReceivedBy] = useState('');
  const [authority, setAuthority] = useState('');
  const [receivedAt, setReceivedAt] = useState(() => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
  const save = useMovementAction(m, () => movementsApi.handOver(m.id, { personId: p.personId, receivedBy: receivedBy.trim(), ...(authority.trim() ? { receivingAuthority: authority.trim() } : {}), receivedAt: new Date(receivedAt).toISOString() }), onClose);
  return (
    <FormModal title={t('movements.handover.title', { name: p.displayName })} testId="handover-form" onClose={onClose} onSubmit={() => save.mutate(undefined)} pending={save.isPending} error={save.error} submitLabel={t('movements.handover.submit')}>
      <TextInput label={t('movements.handover.receivedBy')} required value={receivedBy} onChange={(e) => setReceivedBy(e.currentTarget.value)} maxLength={200} error={fieldError(save.error, 'receivedBy')} data-testid="handover-by" />
      <TextInput label={t('movements.handover.authority')} value={authority} onChange={(e) => setAuthority(e.currentTarget.value)} maxLength={200} data-testid="handover-authority" />
      <TextInput type="datetime-local" label={t('movements.handover.receivedAt')} required value={receivedAt} onChange={(e) => setReceivedAt(e.currentTarget.value)} error={fieldError(save.error, 'receivedAt')} data-testid="handover-at" />
    </FormModal>
  );
}

/** The manifest: each passenger with case, child or adult, escort, the checks that fail, the handover. */
function Manifest({ m, user }: { readonly m: Movement; readonly user: User }) {
  const { t } = useTranslation();
  const checkText = useCheckText();
  const [form, setForm] = useState<{ kind: 'document' | 'fitness' | 'handover' | 'receipt'; p: Passenger } | null>(null);
  const assign = useMovementAction(m, ({ personId, escortId }: { personId: string; escortId: string | null }) => movementsApi.assignEscort(m.id, personId, escortId));
  const failed = new Map((m.checks?.passengers ?? []).map((p) => [p.personId, p.failed]));
  return (
    <Paper withBorder p="md" component="section" data-testid="manifest">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4">
          {t('movements.manifest.title')}
        </Title>
        <Text size="sm" c="dimmed" data-testid="manifest-seats">
          {t('movements.manifest.seats', { ...m.seats })}
        </Text>
      </Group>
      <CategoryNote shared categories={['identity', 'case_status']} />
      {assign.error ? <ErrorAlert error={assign.error} /> : null}
      {m.passengers.length === 0 ? (
        <Text c="dimmed">{t('movements.manifest.empty')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table fz="sm" data-testid="manifest-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('movements.manifest.name')}</Table.Th>
                <Table.Th>{t('movements.manifest.case')}</Table.Th>
                <Table.Th>{t('movements.manifest.age')}</Table.Th>
                <Table.Th>{t('movements.manifest.escort')}</Table.Th>
                <Table.Th>{m.status === 'planned' ? t('movements.manifest.checks') : t('movements.manifest.handover')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {m.passengers.map((p) => {
                const fails = failed.get(p.personId) ?? [];
                return (
                  <Table.Tr key={p.personId} data-testid="passenger" data-person-id={p.personId} data-handed-over={String(p.handover !== null)}>
                    <Table.Td dir="auto">
                      <bdi className="hw-name">{p.displayName}</bdi>
                      {p.latinName !== p.displayName && (
                        <Text size="xs" c="dimmed" dir="ltr">
                          {p.latinName}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {p.caseId ? (
                        <Anchor href={casePath(p.caseId)} onClick={onLinkClick(casePath(p.caseId))} size="sm">
                          {p.caseReference}
                        </Anchor>
                      ) : (
                        t('common.none')
                      )}
                    </Table.Td>
                    <Table.Td>
                      {p.child ? t('movements.manifest.child') : t('movements.manifest.adult')} · {p.birthDate}
                    </Table.Td>
                    <Table.Td>
                      {m.allowedActions.editManifest ? (
                        <NativeSelect
                          size="xs"
                          aria-label={t('movements.manifest.escort')}
                          value={p.escortId ?? ''}
                          onChange={(e) => assign.mutate({ personId: p.personId, escortId: e.currentTarget.value || null })}
                          data={[{ value: '', label: t('common.none') }, ...m.escorts.map((e) => ({ value: e.id, label: e.name }))]}
                          data-testid="passenger-escort"
                        />
                      ) : (
                        (m.escorts.find((e) => e.id === p.escortId)?.name ?? t('common.none'))
                      )}
                    </Table.Td>
                    <Table.Td>
                      {m.status === 'planned' ? (
                        fails.length === 0 ? (
                          <Text size="sm" c="green.8">
                            {t('movements.checks.passes')}
                          </Text>
                        ) : (
                          <Stack gap={4}>
                            {fails.map((f) => (
                              <Group key={f.code} gap={6} wrap="nowrap">
                                <Text size="sm" c="red.8" data-testid="passenger-failed" data-code={f.code}>
                                  {checkText(f)}
                                </Text>
                                {f.check === 'travel_document' && mayPlanMovements(user) && (
                                  <Button size="compact-xs" variant="light" onClick={() => setForm({ kind: 'document', p })} data-testid="fix-document">
                                    {t('movements.fix.document')}
                                  </Button>
                                )}
                                {f.check === 'medical_fitness' && mayRecordFitness(user) && (
                                  <Button size="compact-xs" variant="light" onClick={() => setForm({ kind: 'fitness', p })} data-testid="fix-fitness">
                                    {t('movements.fix.fitness')}
                                  </Button>
                                )}
                              </Group>
                            ))}
                          </Stack>
                        )
                      ) : p.handover ? (
                        <HandoverCell m={m} p={p} onAttach={() => setForm({ kind: 'receipt', p })} />
                      ) : m.allowedActions.handOver ? (
                        <Button size="compact-sm" onClick={() => setForm({ kind: 'handover', p })} data-testid="handover-open">
                          {t('movements.handover.open')}
                        </Button>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('movements.handover.pending')}
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {m.allowedActions.editManifest && m.kind === 'repatriation' && m.countryCode && <AddCase m={m} />}
      {form?.kind === 'document' && <TravelDocumentForm m={m} p={form.p} onClose={() => setForm(null)} />}
      {form?.kind === 'fitness' && <FitnessForm m={m} p={form.p} onClose={() => setForm(null)} />}
      {form?.kind === 'handover' && <HandoverForm m={m} p={form.p} onClose={() => setForm(null)} />}
      {form?.kind === 'receipt' && <ReceiptForm m={m} p={form.p} onClose={() => setForm(null)} />}
    </Paper>
  );
}

/** Add an approved case of the movement's country to the manifest. */
function AddCase({ m }: { readonly m: Movement }) {
  const { t } = useTranslation();
  const [caseId, setCaseId] = useState('');
  const approved = useQuery({ queryKey: ['cases', 'approved', m.countryCode], queryFn: () => casesApi.list({ state: 'approved', countryCode: m.countryCode ?? '' }, null, 200) });
  const add = useMovementAction(m, (id: string) => movementsApi.addCase(m.id, id), () => {
    setCaseId('');
    void approved.refetch();
  });
  const options = (approved.data?.data ?? []).map((c) => ({ value: c.id, label: `${c.reference} · ${c.members.map((x) => x.displayName).join(', ')}` }));
  return (
    <Group align="flex-end" mt="md" data-testid="add-case">
      <NativeSelect label={t('movements.manifest.addCase')} value={caseId} onChange={(e) => setCaseId(e.currentTarget.value)} data={[{ value: '', label: options.length ? t('movements.manifest.chooseCase') : t('movements.manifest.noApproved') }, ...options]} data-testid="add-case-select" className="hw-grow" />
      <Button disabled={!caseId} loading={add.isPending} onClick={() => add.mutate(caseId)} data-testid="add-case-submit">
        {t('movements.manifest.add')}
      </Button>
      {add.error ? <ErrorAlert error={add.error} testId="add-case-error" /> : null}
    </Group>
  );
}

function Escorts({ m }: { readonly m: Movement }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [role, setRole] = useState<EscortRole>('official');
  const [organisation, setOrganisation] = useState('');
  const add = useMovementAction(m, () => movementsApi.addEscort(m.id, { name: name.trim(), role, ...(organisation.trim() ? { organisation: organisation.trim() } : {}) }), () => {
    setName('');
    setOrganisation('');
  });
  const remove = useMovementAction(m, (escortId: string) => movementsApi.removeEscort(m.id, escortId));
  return (
    <Paper withBorder p="md" component="section" data-testid="escorts">
      <Title order={2} size="h4" mb="xs">
        {t('movements.escorts.title')}
      </Title>
      {m.escorts.length === 0 ? (
        <Text c="dimmed">{t('movements.escorts.none')}</Text>
      ) : (
        <List size="sm">
          {m.escorts.map((e) => (
            <List.Item key={e.id} data-testid="escort">
              <bdi>{e.name}</bdi> · {t(`movements.escortRoles.${e.role}`)}
              {e.organisation ? ` · ${e.organisation}` : ''}
              {m.allowedActions.editManifest && (
                <Button size="compact-xs" variant="subtle" color="red" ml="xs" onClick={() => remove.mutate(e.id)} data-testid="escort-remove">
                  {t('movements.escorts.remove')}
                </Button>
              )}
            </List.Item>
          ))}
        </List>
      )}
      {m.allowedActions.editManifest && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            add.mutate(undefined);
          }}
          data-testid="escort-form"
        >
          <Group align="flex-end" mt="sm" wrap="wrap">
            <TextInput label={t('movements.escorts.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} error={fieldError(add.error, 'name')} data-testid="escort-name" />
            <NativeSelect label={t('movements.escorts.role')} value={role} onChange={(e) => setRole(e.currentTarget.value as EscortRole)} data={ESCORT_ROLES.map((r) => ({ value: r, label: t(`movements.escortRoles.${r}`) }))} data-testid="escort-role" />
            <TextInput label={t('movements.escorts.organisation')} value={organisation} onChange={(e) => setOrganisation(e.currentTarget.value)} maxLength={200} data-testid="escort-organisation" />
            <Button type="submit" loading={add.isPending} data-testid="escort-submit">
              {t('movements.escorts.add')}
            </Button>
          </Group>
          {add.error && !fieldError(add.error, 'name') ? <ErrorAlert error={add.error} /> : null}
        </form>
      )}
    </Paper>
  );
}

function InvoiceSection({ m, user }: { readonly m: Movement; readonly user: User }) {
  const { t } = useTranslation();
  const [issuedOn, setIssuedOn] = useState(todayIso());
  const [dueOn, setDueOn] = useState(addDaysIso(60));
  const invoice = useQuery({ queryKey: [...INVOICES_KEY, 'one', m.invoice?.id], queryFn: () => movementsApi.invoice(m.invoice?.id ?? ''), enabled: m.invoice !== null });
  const issue = useMovementAction(m, () => movementsApi.issueInvoice(m.id, { issuedOn, dueOn }));
  if (!m.invoice && !m.allowedActions.invoice) return null;
  return (
    <Paper withBorder p="md" component="section" data-testid="movement-invoice">
      <Title order={2} size="h4" mb="xs">
        {t('invoices.title')}
      </Title>
      {m.invoice ? (
        invoice.isError ? <ErrorAlert error={invoice.error} /> : invoice.data ? <InvoiceCard invoice={invoice.data} user={user} /> : <Loader size="sm" />
      ) : (
        <Group align="flex-end" wrap="wrap" data-testid="invoice-issue-form">
          <Text size="sm" className="hw-grow">
            {t('invoices.issueHint')}
          </Text>
          <TextInput type="date" label={t('invoices.fields.issuedOn')} value={issuedOn} onChange={(e) => setIssuedOn(e.currentTarget.value)} data-testid="invoice-issued" />
          <TextInput type="date" label={t('invoices.fields.dueOn')} value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} data-testid="invoice-due" />
          <Button loading={issue.isPending} onClick={() => issue.mutate(undefined)} data-testid="invoice-issue">
            {t('invoices.issue')}
          </Button>
        </Group>
      )}
      {issue.error ? <ErrorAlert error={issue.error} testId="invoice-error" /> : null}
    </Paper>
  );
}

function History({ m }: { readonly m: Movement }) {
  const { t } = useTranslation();
  const moment = useMoment();
  if (m.history.length === 0) return null;
  return (
    <Paper withBorder p="md" component="section" data-testid="movement-history">
      <Title order={2} size="h4" mb="xs">
        {t('movements.historyTitle')}
      </Title>
      <Table fz="sm">
        <Table.Tbody>
          {m.history.map((h, i) => (
            <Table.Tr key={`${h.at}:${i}`} data-testid="movement-history-row" data-transition={h.transition}>
              <Table.Td className="hw-nowrap">{moment(h.at)}</Table.Td>
              <Table.Td>{t(`movements.transitions.${h.transition}`)}</Table.Td>
              <Table.Td>{t('cases.history.fromTo', { from: t(`movements.statuses.${h.from}`), to: t(`movements.statuses.${h.to}`) })}</Table.Td>
              <Table.Td dir="auto">{h.by ?? t('common.none')}</Table.Td>
              <Table.Td dir="auto">{h.reason ?? ''}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** A movement: its facts, the actions open to the caller, the checks, the manifest, escorts, the invoice, the history. */
export function MovementPage({ id, user }: { readonly id: string; readonly user: User }) {
  const { t } = useTranslation();
  const countryName = useCountryName();
  const moment = useMoment();
  const found = useQuery({ queryKey: movementKey(id), queryFn: () => movementsApi.one(id), retry: false });
  const back = (
    <Anchor href={MOVEMENTS_PATH} onClick={onLinkClick(MOVEMENTS_PATH)} size="sm" data-testid="movement-back">
      {t('movements.back')}
    </Anchor>
  );
  if (found.isPending) return <Loader aria-label={t('common.loading')} />;
  if (found.isError) {
    const missing = found.error instanceof ApiError && (found.error.status === 404 || found.error.status === 400);
    return (
      <Stack gap="md" data-testid="movement-page">
        {back}
        {missing ? <Alert color="gray">{t('movements.notFound')}</Alert> : <ErrorAlert error={found.error} />}
      </Stack>
    );
  }
  const m = found.data;
  return (
    <Stack gap="md" data-testid="movement-page" data-status={m.status} data-version={m.version}>
      {back}
      <div>
        <PageTitle testId="movement-title">{t('movements.movementTitle', { reference: m.reference })}</PageTitle>
        <Group gap="xs" mt={-8} mb="xs" wrap="wrap">
          <MovementStatusBadge status={m.status} />
          <Badge color="gray" variant="outline" className="hw-badge">
            {t(`movements.kinds.${m.kind}`)}
            {m.countryCode ? ` · ${countryName(m.countryCode)}` : ''}
          </Badge>
          <Badge color="gray" variant="outline" className="hw-badge">
            {t(`movements.modes.${m.mode}`)}
          </Badge>
        </Group>
        <Text data-testid="movement-facts">
          <bdi>{m.fromPlace}</bdi> → <bdi>{m.toPlace}</bdi> · {m.departureDate}
          {m.carrier || m.flightNumber ? ` · ${[m.carrier, m.flightNumber].filter(Boolean).join(' ')}` : ''}
        </Text>
        <Group gap="md" wrap="wrap">
          <Anchor href={manifestPdfUrl(m.id)} size="sm" data-testid="manifest-pdf" download>
            {t('movements.manifest.pdf')}
          </Anchor>
          {m.manifestSent && (
            <Anchor href={sentManifestUrl(m.id)} size="sm" data-testid="manifest-sent" data-sha256={m.manifestSent.sha256} download title={m.manifestSent.sha256}>
              {t('movements.manifest.sent', { when: moment(m.manifestSent.storedAt) })}
            </Anchor>
          )}
        </Group>
      </div>
      <Actions m={m} />
      <Checks m={m} />
      <Manifest m={m} user={user} />
      <Escorts m={m} />
      {maySeeInvoices(user) && m.kind === 'repatriation' && <InvoiceSection m={m} user={user} />}
      <History m={m} />
    </Stack>
  );
}
